package org.ktl4j.client;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.ktl4j.KtlException;
import org.ktl4j.UnavailableException;
import org.ktl4j.type.InvalidValueException;
import org.ktl4j.type.KtlType;

/**
 * A KTL expression over keyword values, for {@code waitFor}: true/false now ({@link #evaluate()}), or wait
 * until it holds ({@link #waitFor(Duration)}).
 *
 * <h2>Grammar</h2>
 * <pre>
 * expression := or
 * or         := and { ("or" | "||") and }
 * and        := not { ("and" | "&amp;&amp;") not }
 * not        := ("not" | "!") not | primary
 * primary    := "(" expression ")" | comparison
 * comparison := operand [ op operand ]
 * op         := "==" | "=" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;="
 * operand    := "$" service "." KEYWORD | "$" KEYWORD | number | 'text' | "text" | word
 * </pre>
 * Keywords are written {@code $service.KEYWORD} ({@code $KEYWORD} or a bare {@code KEYWORD} on the left of a
 * comparison refer to the default service, when there is one). Words are case-insensitive.
 *
 * <h2>Comparisons</h2>
 * A keyword compared with a literal compares in the keyword's terms: numeric keywords numerically; boolean,
 * enumerated and mask keywords by value, the literal being a label (any case) or a number; strings
 * case-insensitively; arrays by their canonical ascii form. Two keywords compare numerically when both are
 * numeric, otherwise by ascii. A lone operand is true when it is true, non-zero or non-empty. A comparison with
 * a keyword that has never been set is false. A literal that cannot be a value of its keyword (an unknown label)
 * is an error when the expression is parsed.
 *
 * <p>Examples: {@code ($telescope.AZ > 44.9) and ($dome.STATE == open)}, {@code $svc.READY == True},
 * {@code '$kbes.grstatus == "Move complete"'}. Thread-safe once parsed.
 */
public final class Expression {
  private final String text;
  private final Node root;
  private final Map<String, Keyword> keywords;

  private Expression(String text, Node root, Map<String, Keyword> keywords) {
    this.text = text;
    this.root = root;
    this.keywords = keywords;
  }

  /** Parses an expression whose keywords are all written {@code $service.KEYWORD}, resolved with the shared pool. */
  public static Expression parse(String text) {
    return parse(text, null, Ktl::service);
  }

  /** Parses an expression, resolving services with {@code services}. */
  public static Expression parse(String text, Function<String, Service> services) {
    return parse(text, null, services);
  }

  /**
   * Parses an expression in which {@code $KEYWORD} and a bare keyword name on the left of a comparison refer to
   * {@code defaultService}.
   *
   * @throws IllegalArgumentException for a syntax error (with the column) or an impossible literal
   * @throws NoSuchKeywordException / NoSuchServiceException for unknown names
   */
  public static Expression parse(String text, Service defaultService, Function<String, Service> services) {
    Parser p = new Parser(text, defaultService, services);
    Node root = p.parse();
    return new Expression(text, root, p.keywords);
  }

  /** A condition on one keyword: {@code "== ready"}, {@code ">= 45"}, or a whole expression. */
  static Expression condition(Keyword kw, String condition) {
    String c = condition.trim();
    if (!c.isEmpty() && "=!<>".indexOf(c.charAt(0)) >= 0) {
      c = "$" + kw.service().name() + "." + kw.name() + " " + c;
    }
    return parse(c, kw.service(), kw.service()::sibling);
  }

  /** The text it was parsed from. */
  public String text() {
    return text;
  }

  /** The keywords it refers to. */
  public List<Keyword> keywords() {
    return List.copyOf(keywords.values());
  }

  /** Evaluates it now, reading each keyword once. */
  public boolean evaluate() {
    Map<String, KeywordValue> values = new LinkedHashMap<>();
    for (Map.Entry<String, Keyword> e : keywords.entrySet()) {
      e.getValue().read().ifPresent(v -> values.put(e.getKey(), v));
    }
    return root.truth(values);
  }

  /**
   * Waits until the expression holds: subscribes to every keyword it refers to, reads their current values and
   * evaluates them before waiting, so a condition that already holds returns true at once, without waiting for a
   * broadcast; then re-evaluates on each update. Cost: one subscription and one read per keyword.
   *
   * @param timeout how long to wait; zero (or negative) evaluates once, now, as {@link #evaluate()}
   * @return true as soon as it holds, false if it did not within {@code timeout}; never waits longer
   */
  public boolean waitFor(Duration timeout) {
    if (timeout.isZero() || timeout.isNegative()) {
      return evaluate(); // no time to subscribe: the current values decide
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Object signal = new Object();
    long[] version = {0};
    Map<String, KeywordValue> values = new java.util.concurrent.ConcurrentHashMap<>();
    List<Subscription> subs = new ArrayList<>();
    try {
      for (Map.Entry<String, Keyword> e : keywords.entrySet()) {
        Duration left = Duration.ofNanos(deadline - System.nanoTime());
        if (left.isNegative() || left.isZero()) {
          return root.truth(values);
        }
        try {
          subs.add(e.getValue().subscribe(u -> {
            values.put(e.getKey(), u.value()); // in delivery order: a restarted seq is still the newest
            synchronized (signal) {
              version[0]++;
              signal.notifyAll();
            }
          }, false, left));
        } catch (UnavailableException ex) {
          if (System.nanoTime() - deadline >= 0) {
            return false; // the time ran out while subscribing
          }
          throw ex;
        }
        // the current value is evaluated before any broadcast: a condition that already holds returns at once;
        // a value the subscription delivered meanwhile is at least as new
        e.getValue().read().ifPresent(v -> values.putIfAbsent(e.getKey(), v));
      }
      long seen = -1;
      while (true) {
        synchronized (signal) {
          seen = version[0];
        }
        if (root.truth(values)) {
          return true;
        }
        synchronized (signal) {
          while (version[0] == seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
              return false;
            }
            signal.wait(Math.max(1, left / 1_000_000), 0);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KtlException("interrupted while waiting for " + text);
    } finally {
      subs.forEach(Subscription::close);
    }
  }

  @Override
  public String toString() {
    return text;
  }

  // ---- evaluation tree ------------------------------------------------------------------------------

  private interface Node {
    boolean truth(Map<String, KeywordValue> values);
  }

  private record Or(Node a, Node b) implements Node {
    public boolean truth(Map<String, KeywordValue> v) {
      return a.truth(v) || b.truth(v);
    }
  }

  private record And(Node a, Node b) implements Node {
    public boolean truth(Map<String, KeywordValue> v) {
      return a.truth(v) && b.truth(v);
    }
  }

  private record Not(Node a) implements Node {
    public boolean truth(Map<String, KeywordValue> v) {
      return !a.truth(v);
    }
  }

  /** An operand: a keyword reference or a literal (with, when compared to a keyword, its value in that keyword's terms). */
  private record Operand(String keywordRef, Keyword keyword, String literal, Object converted) {
    boolean isKeyword() {
      return keyword != null;
    }
  }

  private record Truth(Operand a) implements Node {
    public boolean truth(Map<String, KeywordValue> v) {
      if (a.isKeyword()) {
        KeywordValue kv = v.get(a.keywordRef);
        if (kv == null) {
          return false;
        }
        Object b = kv.binary();
        if (b instanceof Boolean x) {
          return x;
        }
        if (b instanceof Number n) {
          return n.doubleValue() != 0;
        }
        return !kv.ascii().isEmpty();
      }
      String l = a.literal.toLowerCase(Locale.ROOT);
      return !(l.isEmpty() || l.equals("0") || l.equals("false") || l.equals("no") || l.equals("off"));
    }
  }

  private record Compare(Operand a, String op, Operand b) implements Node {
    public boolean truth(Map<String, KeywordValue> v) {
      Integer c = compare(v);
      if (c == null) {
        return op.equals("!=") && bothPresent(v); // NaN is unequal to everything
      }
      return switch (op) {
        case "==" -> c == 0;
        case "!=" -> c != 0;
        case "<" -> c < 0;
        case "<=" -> c <= 0;
        case ">" -> c > 0;
        default -> c >= 0;
      };
    }

    private boolean bothPresent(Map<String, KeywordValue> v) {
      return (!a.isKeyword() || v.containsKey(a.keywordRef)) && (!b.isKeyword() || v.containsKey(b.keywordRef));
    }

    /** Negative, zero or positive; null when a keyword has no value or a number is NaN. */
    private Integer compare(Map<String, KeywordValue> v) {
      Object x = side(a, b, v);
      Object y = side(b, a, v);
      if (x == null || y == null) {
        return null;
      }
      if (x instanceof Number nx && y instanceof Number ny) {
        return compareNumbers(nx, ny);
      }
      return String.valueOf(x).compareToIgnoreCase(String.valueOf(y));
    }

    /** A Number for numeric comparisons, a String otherwise; null if a keyword has no value. */
    private static Object side(Operand o, Operand other, Map<String, KeywordValue> v) {
      if (o.isKeyword()) {
        KeywordValue kv = v.get(o.keywordRef);
        if (kv == null) {
          return null;
        }
        Object binary = kv.binary();
        boolean numeric = binary instanceof Number || binary instanceof Boolean;
        boolean otherNumeric = other.isKeyword() ? isNumericType(other.keyword) : other.converted instanceof Number;
        if (numeric && otherNumeric) {
          return binary instanceof Boolean bool ? (Number) (bool ? 1 : 0) : (Number) binary;
        }
        return kv.ascii();
      }
      if (o.converted != null) {
        return o.converted; // already in the keyword's terms
      }
      if (other.isKeyword()) {
        return o.literal; // a string or array keyword: compare text with text
      }
      BigDecimal d = decimal(o.literal);
      BigDecimal od = decimal(other.literal);
      return d != null && od != null ? d : o.literal;
    }
  }

  /** Exact where both are exact (integers, decimals), by double otherwise; null if either is NaN. */
  static Integer compareNumbers(Number x, Number y) {
    BigDecimal bx = exact(x);
    BigDecimal by = exact(y);
    if (bx != null && by != null) {
      return bx.compareTo(by);
    }
    double dx = x.doubleValue();
    double dy = y.doubleValue();
    if (Double.isNaN(dx) || Double.isNaN(dy)) {
      return null;
    }
    return Double.compare(dx, dy) == 0 || dx == dy ? 0 : Double.compare(dx, dy);
  }

  private static BigDecimal exact(Number n) {
    if (n instanceof BigDecimal b) {
      return b;
    }
    if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
      return BigDecimal.valueOf(n.longValue());
    }
    double d = n.doubleValue();
    return Double.isFinite(d) ? new BigDecimal(d) : null; // the exact binary value
  }

  static BigDecimal decimal(String s) {
    try {
      return new BigDecimal(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static boolean isNumericType(Keyword k) {
    KtlType t = k.type();
    return !t.isArray() && t != KtlType.STRING;
  }

  static Double parseDouble(String s) {
    try {
      return Double.valueOf(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  // ---- parser ------------------------------------------------------------------------------------------

  private static final class Parser {
    private final String text;
    private final Service defaultService;
    private final Function<String, Service> services;
    final Map<String, Keyword> keywords = new LinkedHashMap<>();
    private final Map<String, Service> opened = new LinkedHashMap<>();
    private int pos;

    Parser(String text, Service defaultService, Function<String, Service> services) {
      this.text = text;
      this.defaultService = defaultService;
      this.services = services;
    }

    Node parse() {
      Node n = or();
      skipSpace();
      if (pos < text.length()) {
        throw error("unexpected '" + text.substring(pos) + "'");
      }
      return n;
    }

    private Node or() {
      Node n = and();
      while (word("or") || symbol("||")) {
        n = new Or(n, and());
      }
      return n;
    }

    private Node and() {
      Node n = not();
      while (word("and") || symbol("&&")) {
        n = new And(n, not());
      }
      return n;
    }

    private Node not() {
      if (word("not") || (peekIs("!") && !peekIs("!=") && symbol("!"))) {
        return new Not(not());
      }
      return primary();
    }

    private Node primary() {
      if (symbol("(")) {
        Node n = or();
        if (!symbol(")")) {
          throw error("expected ')'");
        }
        return n;
      }
      Operand left = operand(true);
      String op = operator();
      if (op == null) {
        return new Truth(left);
      }
      Operand right = operand(false);
      return new Compare(convert(left, right), op, convert(right, left));
    }

    /** A literal compared with a keyword is converted to that keyword's terms now (errors surface at parse time). */
    private Operand convert(Operand o, Operand other) {
      if (o.isKeyword() || !other.isKeyword()) {
        return o;
      }
      Keyword k = other.keyword;
      KtlType t = k.type();
      if (t == KtlType.STRING) {
        return o;
      }
      if (t.isArray()) {
        try {
          return new Operand(null, null, k.converter().canonicalize(o.literal), null);
        } catch (InvalidValueException e) {
          throw new IllegalArgumentException("in expression '" + text + "': " + e.getMessage(), e);
        }
      }
      if (t == KtlType.BOOLEAN || t == KtlType.ENUMERATED || t == KtlType.MASK) {
        try {
          Object b = k.converter().toBinary(o.literal); // a label (any case) or a valid number
          long value = b instanceof Boolean x ? (x ? 1 : 0) : ((Number) b).longValue();
          return new Operand(null, null, o.literal, value);
        } catch (InvalidValueException e) {
          throw new IllegalArgumentException("in expression '" + text + "': " + e.getMessage(), e);
        }
      }
      BigDecimal d = decimal(o.literal);
      if (d == null) {
        throw new IllegalArgumentException("in expression '" + text + "': " + k.fullName() + " is numeric but '"
            + o.literal + "' is not a number");
      }
      if (t == KtlType.FLOAT) {
        return new Operand(null, null, o.literal, (double) d.floatValue()); // in the keyword's own precision
      }
      if (t == KtlType.DOUBLE) {
        return new Operand(null, null, o.literal, d.doubleValue());
      }
      return new Operand(null, null, o.literal, d); // integers: exact
    }

    private Operand operand(boolean left) {
      skipSpace();
      if (pos >= text.length()) {
        throw error("expected a keyword or a value");
      }
      char c = text.charAt(pos);
      if (c == '$') {
        pos++;
        String ref = bareWord();
        if (ref.isEmpty()) {
          throw error("expected a keyword name after '$'");
        }
        return keyword(ref);
      }
      if (c == '\'' || c == '"') {
        int end = text.indexOf(c, pos + 1);
        if (end < 0) {
          throw error("unterminated quote");
        }
        String s = text.substring(pos + 1, end);
        pos = end + 1;
        return new Operand(null, null, s, null);
      }
      String w = bareWord();
      if (w.isEmpty()) {
        throw error("expected a keyword or a value");
      }
      if (left && defaultService != null && !w.contains(".") && defaultService.has(w) && parseDouble(w) == null) {
        return keyword(w);
      }
      return new Operand(null, null, w, null);
    }

    private Operand keyword(String ref) {
      int dot = ref.lastIndexOf('.');
      Service svc;
      String kwName;
      if (dot < 0) {
        if (defaultService == null) {
          throw error("keyword '" + ref + "' needs a service: write $service." + ref);
        }
        svc = defaultService;
        kwName = ref;
      } else {
        String sname = ref.substring(0, dot).toLowerCase(Locale.ROOT);
        svc = defaultService != null && defaultService.name().equals(sname) ? defaultService
            : opened.computeIfAbsent(sname, services);
        kwName = ref.substring(dot + 1);
      }
      Keyword k = svc.keyword(kwName);
      keywords.putIfAbsent(k.fullName(), k);
      return new Operand(k.fullName(), k, null, null);
    }

    private String operator() {
      skipSpace();
      for (String op : new String[] {"==", "!=", "<=", ">=", "<", ">", "="}) {
        if (text.startsWith(op, pos)) {
          pos += op.length();
          return op.equals("=") ? "==" : op;
        }
      }
      return null;
    }

    private String bareWord() {
      int start = pos;
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (Character.isWhitespace(c) || c == '(' || c == ')' || c == '=' || c == '!' || c == '<' || c == '>'
            || c == '&' || c == '|') {
          break;
        }
        pos++;
      }
      return text.substring(start, pos);
    }

    private boolean word(String w) {
      skipSpace();
      int end = pos + w.length();
      if (text.regionMatches(true, pos, w, 0, w.length())
          && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)) && text.charAt(end) != '_')) {
        pos = end;
        return true;
      }
      return false;
    }

    private boolean peekIs(String s) {
      skipSpace();
      return text.startsWith(s, pos);
    }

    private boolean symbol(String s) {
      skipSpace();
      if (text.startsWith(s, pos)) {
        pos += s.length();
        return true;
      }
      return false;
    }

    private void skipSpace() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException("bad expression at column " + (pos + 1) + ": " + what + " in: " + text);
    }
  }

}
