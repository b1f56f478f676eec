package org.ktl4j.type;

import org.ktl4j.definition.KeywordDefinition;

/**
 * {@code string} (and Cauldron's untyped {@code basic}): any Unicode text, binary and ascii alike.
 *
 * <p>The value is stored exactly as written: not trimmed, and the empty string is a valid value. The
 * only refusals are {@code null} and text that cannot be encoded as UTF-8 (an unpaired surrogate).
 * Size is limited by the protocol layer, not here. Binary writes accept any {@link CharSequence}.
 *
 * <p>Immutable and thread-safe; a write scans the text once and allocates nothing.
 */
final class StringType implements KeywordType {
  private final Refusals refusals;
  private final KeywordDefinition definition;

  StringType(Refusals refusals, KeywordDefinition definition) {
    this.refusals = refusals;
    this.definition = definition;
  }

  @Override
  public String canonicalize(String ascii) throws InvalidValueException {
    if (ascii == null) {
      throw refusals.bad(null, "null value");
    }
    for (int i = 0; i < ascii.length(); i++) {
      char c = ascii.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < ascii.length() && Character.isLowSurrogate(ascii.charAt(i + 1))) {
          i++;
        } else {
          throw refusals.bad(ascii, "not valid Unicode (unpaired surrogate at index " + i + ")");
        }
      }
    }
    return ascii;
  }

  @Override
  public String toBinary(String ascii) throws InvalidValueException {
    return canonicalize(ascii);
  }

  @Override
  public String fromBinary(Object binary) throws InvalidValueException {
    if (binary instanceof CharSequence text) {
      return canonicalize(text.toString());
    }
    throw refusals.badBinary(binary, "expected a String, got " + Refusals.kind(binary));
  }

  @Override
  public KtlType ktlType() {
    return KtlType.STRING;
  }

  @Override
  public KeywordDefinition definition() {
    return definition;
  }

  @Override
  public Class<?> binaryClass() {
    return String.class;
  }
}
