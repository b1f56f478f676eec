package org.ktl4j.client;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.ktl4j.client.ExpressionNode.And;
import org.ktl4j.client.ExpressionNode.Compare;
import org.ktl4j.client.ExpressionNode.Not;
import org.ktl4j.client.ExpressionNode.Operand;
import org.ktl4j.client.ExpressionNode.Or;
import org.ktl4j.client.ExpressionNode.Truth;
import org.ktl4j.internal.protocol.Names;
import org.ktl4j.type.InvalidValueException;
import org.ktl4j.type.KtlType;

/**
 * Reads the text of an {@link Expression} (the grammar is in its Javadoc) into an {@link ExpressionNode} tree by
 * recursive descent, resolving each keyword it names and converting each literal compared with a keyword into that
 * keyword's terms, so an impossible literal fails here rather than on every evaluation. Not thread-safe: one parser
 * reads one text, once, on one thread. Cost: one pass over the text; each service is looked up once per parse and
 * each keyword once per reference; no reads of values.
 */
final class ExpressionParser {
  private final String text;
  private final Service defaultService;
  private final Function<String, Service> services;
  private final Map<String, Keyword> keywords = new LinkedHashMap<>();
  private final Map<String, Service> opened = new LinkedHashMap<>();
  private int pos;

  ExpressionParser(String text, Service defaultService, Function<String, Service> services) {
    this.text = text;
    this.defaultService = defaultService;
    this.services = services;
  }

  /**
   * The whole text as a tree.
   *
   * @throws IllegalArgumentException for a syntax error (with the column) or an impossible literal
   */
  ExpressionNode parse() {
    ExpressionNode n = or();
    skipSpace();
    if (pos < text.length()) {
      throw error("unexpected '" + text.substring(pos) + "'");
    }
    return n;
  }

  /** The keywords met so far, by full name, in the order they first appear. */
  Map<String, Keyword> keywords() {
    return keywords;
  }

  private ExpressionNode or() {
    ExpressionNode n = and();
    while (word("or") || symbol("||")) {
      n = new Or(n, and());
    }
    return n;
  }

  private ExpressionNode and() {
    ExpressionNode n = not();
    while (word("and") || symbol("&&")) {
      n = new And(n, not());
    }
    return n;
  }

  private ExpressionNode not() {
    if (word("not") || (peekIs("!") && !peekIs("!=") && symbol("!"))) {
      return new Not(not());
    }
    return primary();
  }

  private ExpressionNode primary() {
    if (symbol("(")) {
      ExpressionNode n = or();
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
    Keyword k = other.keyword();
    KtlType t = k.type();
    if (t == KtlType.STRING) {
      return o;
    }
    if (t.isArray()) {
      try {
        return new Operand(null, null, k.converter().canonicalize(o.literal()), null);
      } catch (InvalidValueException e) {
        throw new IllegalArgumentException("in expression '" + text + "': " + e.getMessage(), e);
      }
    }
    if (t == KtlType.BOOLEAN || t == KtlType.ENUMERATED || t == KtlType.MASK) {
      try {
        Object b = k.converter().toBinary(o.literal()); // a label (any case) or a valid number
        long value = b instanceof Boolean x ? (x ? 1 : 0) : ((Number) b).longValue();
        return new Operand(null, null, o.literal(), value);
      } catch (InvalidValueException e) {
        throw new IllegalArgumentException("in expression '" + text + "': " + e.getMessage(), e);
      }
    }
    BigDecimal d = Compare.decimal(o.literal());
    if (d == null) {
      throw new IllegalArgumentException("in expression '" + text + "': " + k.fullName() + " is numeric but '"
          + o.literal() + "' is not a number");
    }
    if (t == KtlType.FLOAT) {
      return new Operand(null, null, o.literal(), (double) d.floatValue()); // in the keyword's own precision
    }
    if (t == KtlType.DOUBLE) {
      return new Operand(null, null, o.literal(), d.doubleValue());
    }
    return new Operand(null, null, o.literal(), d); // integers: exact
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
      String sname = Names.toLowerAscii(ref.substring(0, dot)); // the resolver checks the name
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

  private static Double parseDouble(String s) {
    try {
      return Double.valueOf(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
