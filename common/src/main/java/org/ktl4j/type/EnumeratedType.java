package org.ktl4j.type;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import org.ktl4j.definition.Enumerator;
import org.ktl4j.definition.KeywordDefinition;

/**
 * {@code enumerated}: binary {@link Integer}; ascii is the enumerator's label.
 *
 * <p>Writes accept a label (case-insensitive, surrounding whitespace ignored) or an enumerator's number,
 * written as an {@link IntegerType integer} is (decimal only: {@code 05} is 5, {@code 0x5} is refused);
 * the canonical form is the label as defined. Numbering may have gaps. A label is matched before a
 * number, so a label that looks like a number ({@code "5"}) means its own enumerator. Unknown labels
 * and numbers are {@code BAD_VALUE}, with the valid labels in the reason.
 *
 * <p>Without enumerators (Cauldron fixtures have such keywords) any 32-bit integer is accepted and the
 * canonical form is plain decimal.
 *
 * <p>Immutable and thread-safe; a label lookup is a tree search without allocation.
 */
final class EnumeratedType implements KeywordType {
  private final Refusals refusals;
  private final KeywordDefinition definition;
  private final int[] values;
  private final String[] labels;
  private final TreeMap<String, Integer> indexByLabel = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

  EnumeratedType(Refusals refusals, KeywordDefinition definition) {
    this.refusals = refusals;
    this.definition = definition;
    List<Enumerator> sorted = definition.enumerators().stream()
        .sorted((a, b) -> Long.compare(a.value(), b.value())).toList();
    values = new int[sorted.size()];
    labels = new String[sorted.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.toIntExact(sorted.get(i).value());
      labels[i] = sorted.get(i).label();
      indexByLabel.put(labels[i], i);
    }
  }

  /** The labels in value order; empty for an enumeration without enumerators. */
  public List<String> labels() {
    return Collections.unmodifiableList(Arrays.asList(labels));
  }

  @Override
  public String canonicalize(String ascii) throws InvalidValueException {
    String text = refusals.requireText(ascii);
    return values.length == 0 ? Integer.toString(parseNumber(ascii, text)) : labels[find(ascii, text)];
  }

  @Override
  public Integer toBinary(String ascii) throws InvalidValueException {
    String text = refusals.requireText(ascii);
    return values.length == 0 ? parseNumber(ascii, text) : values[find(ascii, text)];
  }

  @Override
  public String fromBinary(Object binary) throws InvalidValueException {
    if (binary instanceof CharSequence text) {
      return canonicalize(text.toString());
    }
    if (!(binary instanceof Number n)) {
      throw refusals.badBinary(binary, "expected a label or a number, got " + Refusals.kind(binary));
    }
    Long exact = NumberSyntax.exactLong(n);
    if (exact == null || exact < Integer.MIN_VALUE || exact > Integer.MAX_VALUE) {
      throw refusals.badBinary(binary, "not a 32-bit integer");
    }
    if (values.length == 0) {
      return Long.toString(exact);
    }
    int index = Arrays.binarySearch(values, (int) (long) exact);
    if (index < 0) {
      throw refusals.badBinary(binary, "no enumerator has value " + exact + " (" + Refusals.validLabels(labels()) + ")");
    }
    return labels[index];
  }

  /** The index of the enumerator named or numbered by {@code text} (trimmed {@code ascii}). */
  private int find(String ascii, String text) throws InvalidValueException {
    Integer index = indexByLabel.get(text);
    if (index != null) {
      return index;
    }
    if (NumberSyntax.isInteger(text)) {
      long number;
      try {
        number = NumberSyntax.parseInteger(text);
      } catch (ArithmeticException e) {
        number = Long.MAX_VALUE;
      }
      int found = number >= Integer.MIN_VALUE && number <= Integer.MAX_VALUE
          ? Arrays.binarySearch(values, (int) number) : -1;
      if (found >= 0) {
        return found;
      }
      throw refusals.bad(ascii, "no enumerator has value " + Refusals.quote(text) + " (" + Refusals.validLabels(labels()) + ")");
    }
    String radix = NumberSyntax.radixReason(text);
    throw refusals.bad(ascii, radix != null ? radix : "unknown label (" + Refusals.validLabels(labels()) + ")");
  }

  private int parseNumber(String ascii, String text) throws InvalidValueException {
    if (!NumberSyntax.isInteger(text)) {
      throw refusals.bad(ascii, IntegerType.notAnInteger(text));
    }
    try {
      return Math.toIntExact(NumberSyntax.parseInteger(text));
    } catch (ArithmeticException e) {
      throw refusals.bad(ascii, "does not fit a 32-bit integer");
    }
  }

  @Override
  public KtlType ktlType() {
    return KtlType.ENUMERATED;
  }

  @Override
  public KeywordDefinition definition() {
    return definition;
  }

  @Override
  public Class<?> binaryClass() {
    return Integer.class;
  }
}
