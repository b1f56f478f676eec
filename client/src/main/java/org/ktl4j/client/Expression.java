package org.ktl4j.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.ktl4j.KtlException;
import org.ktl4j.UnavailableException;

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
 * {@code '$kbes.grstatus == "Move complete"'}. Thread-safe once parsed: immutable, and each evaluation reads into
 * its own snapshot. Cost: parsing looks up the keywords it names and reads no values; {@link #evaluate()} reads
 * each keyword once; {@link #waitFor(Duration)} also subscribes to each. The grammar is implemented by
 * {@code ExpressionParser}, the evaluation tree and comparison rules by {@code ExpressionNode}.
 */
public final class Expression {
  private final String text;
  private final ExpressionNode root;
  private final Map<String, Keyword> keywords;

  private Expression(String text, ExpressionNode root, Map<String, Keyword> keywords) {
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
    ExpressionParser p = new ExpressionParser(text, defaultService, services);
    ExpressionNode root = p.parse();
    return new Expression(text, root, p.keywords());
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
}
