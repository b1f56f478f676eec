package org.ktl4j.type;

import org.ktl4j.definition.Enumerator;
import org.ktl4j.definition.KeywordDefinition;

/**
 * {@code boolean}: binary {@link Boolean}; ascii is the definition's label for 0 (false) or 1 (true),
 * by default {@code false} and {@code true}.
 *
 * <p>Writes accept, case-insensitively and with surrounding whitespace ignored, the two labels and the
 * aliases {@code 0/1}, {@code false/true}, {@code f/t}, {@code no/yes}, {@code off/on}; {@code 0} and {@code 1}
 * are matched as text, not read as numbers ({@code 01}, {@code +1}, {@code 0x1} are refused). The labels are
 * matched first, so a legacy keyword whose labels invert the usual meaning (0 = {@code "on"}) keeps
 * its own meaning. Binary writes accept a {@link Boolean} or a number 0 or 1.
 *
 * <p>Immutable and thread-safe; no allocation beyond trimming whitespace.
 */
final class BooleanType implements KeywordType {
  private static final String[] FALSE_ALIASES = {"0", "false", "f", "no", "off"};
  private static final String[] TRUE_ALIASES = {"1", "true", "t", "yes", "on"};

  private final Refusals refusals;
  private final KeywordDefinition definition;
  private final String falseLabel;
  private final String trueLabel;

  BooleanType(Refusals refusals, KeywordDefinition definition) {
    this.refusals = refusals;
    this.definition = definition;
    String f = "false";
    String t = "true";
    for (Enumerator e : definition.enumerators()) {
      if (e.value() == 0) {
        f = e.label();
      } else if (e.value() == 1) {
        t = e.label();
      }
    }
    this.falseLabel = f;
    this.trueLabel = t;
  }

  /** The label of {@code false} (value 0). */
  public String falseLabel() {
    return falseLabel;
  }

  /** The label of {@code true} (value 1). */
  public String trueLabel() {
    return trueLabel;
  }

  @Override
  public String canonicalize(String ascii) throws InvalidValueException {
    return parse(ascii) ? trueLabel : falseLabel;
  }

  @Override
  public Boolean toBinary(String ascii) throws InvalidValueException {
    return parse(ascii);
  }

  @Override
  public String fromBinary(Object binary) throws InvalidValueException {
    if (binary instanceof Boolean b) {
      return b ? trueLabel : falseLabel;
    }
    if (binary instanceof Number n) {
      Long exact = NumberSyntax.exactLong(n);
      if (exact != null && (exact == 0 || exact == 1)) {
        return exact == 1 ? trueLabel : falseLabel;
      }
      throw refusals.badBinary(binary, "a boolean number is 0 or 1");
    }
    throw refusals.badBinary(binary, "expected a Boolean or 0/1, got " + Refusals.kind(binary));
  }

  private boolean parse(String ascii) throws InvalidValueException {
    String text = refusals.requireText(ascii);
    if (text.equalsIgnoreCase(falseLabel)) {
      return false;
    }
    if (text.equalsIgnoreCase(trueLabel)) {
      return true;
    }
    for (int i = 0; i < FALSE_ALIASES.length; i++) {
      if (text.equalsIgnoreCase(FALSE_ALIASES[i])) {
        return false;
      }
      if (text.equalsIgnoreCase(TRUE_ALIASES[i])) {
        return true;
      }
    }
    throw refusals.bad(ascii, "not a boolean: use " + falseLabel + " or " + trueLabel + " (or " + aliases(FALSE_ALIASES)
        + " for " + falseLabel + "; " + aliases(TRUE_ALIASES) + " for " + trueLabel + ")");
  }

  /** The aliases that still mean what they say: those spelled like a label are the label (labels win). */
  private String aliases(String[] words) {
    StringBuilder b = new StringBuilder();
    for (String w : words) {
      if (!w.equalsIgnoreCase(falseLabel) && !w.equalsIgnoreCase(trueLabel)) {
        b.append(b.length() == 0 ? "" : ", ").append(w);
      }
    }
    return b.toString();
  }

  @Override
  public KtlType ktlType() {
    return KtlType.BOOLEAN;
  }

  @Override
  public KeywordDefinition definition() {
    return definition;
  }

  @Override
  public Class<?> binaryClass() {
    return Boolean.class;
  }
}
