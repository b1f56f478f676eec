package org.ktl4j.definition;

import java.util.Objects;

/**
 * One named value of an {@code enumerated} or {@code boolean} keyword (value → label), or one named
 * bit of a {@code mask} keyword (bit number 0–63 → label).
 *
 * <p>Immutable. The label is non-blank and has no surrounding whitespace (writes are trimmed before
 * they are matched, so such a label could never be written).
 *
 * @param value the number (for a mask, the bit number)
 * @param label the name shown as the ascii value
 */
public record Enumerator(long value, String label) {
  /** @throws IllegalArgumentException for a blank label or one with surrounding whitespace */
  public Enumerator {
    Objects.requireNonNull(label, "label");
    if (label.isBlank()) {
      throw new IllegalArgumentException("enumerator " + value + " has a blank label");
    }
    if (!label.strip().equals(label)) {
      throw new IllegalArgumentException("enumerator " + value + " label '" + label + "' has surrounding whitespace");
    }
  }
}
