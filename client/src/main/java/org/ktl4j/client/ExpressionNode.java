package org.ktl4j.client;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import org.ktl4j.type.KtlType;

/**
 * The parsed form of an {@link Expression}: a tree of or/and/not over comparisons and lone operands, evaluated
 * against one snapshot of keyword values keyed by full name. The comparison rules it implements are the ones the
 * {@link Expression} Javadoc states. Thread-safe: immutable, and {@link #truth} only reads the map it is handed.
 * Cost: one visit per node, no I/O; numbers compare as {@link BigDecimal} where both are exact.
 */
sealed interface ExpressionNode {

  /** True when the expression holds for {@code values}; a keyword missing from the map has never been set. */
  boolean truth(Map<String, KeywordValue> values);

  record Or(ExpressionNode a, ExpressionNode b) implements ExpressionNode {
    public boolean truth(Map<String, KeywordValue> v) {
      return a.truth(v) || b.truth(v);
    }
  }

  record And(ExpressionNode a, ExpressionNode b) implements ExpressionNode {
    public boolean truth(Map<String, KeywordValue> v) {
      return a.truth(v) && b.truth(v);
    }
  }

  record Not(ExpressionNode a) implements ExpressionNode {
    public boolean truth(Map<String, KeywordValue> v) {
      return !a.truth(v);
    }
  }

  /** An operand: a keyword reference or a literal (with, when compared to a keyword, its value in that keyword's terms). */
  record Operand(String keywordRef, Keyword keyword, String literal, Object converted) {
    boolean isKeyword() {
      return keyword != null;
    }
  }

  /** A lone operand: true when it is true, non-zero or non-empty. */
  record Truth(Operand a) implements ExpressionNode {
    public boolean truth(Map<String, KeywordValue> v) {
      if (a.isKeyword()) {
        KeywordValue kv = v.get(a.keywordRef);
        if (kv == null) {
          return false;
        }
        Object b = kv.binaryShared();
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

  /** {@code a op b}, with {@code op} one of {@code == != < <= > >=}. */
  record Compare(Operand a, String op, Operand b) implements ExpressionNode {
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
        Object binary = kv.binaryShared();
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

    /** The literal as a decimal number, or null when it is not one. */
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
  }
}
