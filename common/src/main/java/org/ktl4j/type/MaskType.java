package org.ktl4j.type;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.ktl4j.definition.Enumerator;
import org.ktl4j.definition.KeywordDefinition;

/**
 * {@code mask}: a 64-bit field, binary {@link Long}. Each enumerator names one bit by its number (0–63);
 * the definition's none label (default {@code none}) names the value 0.
 *
 * <p>The canonical form lists the labels of the set bits in bit order, joined by {@code ", "}
 * ({@code "Lamp, Shutter"}), or is the none label for 0. Writes accept labels separated by commas
 * and/or whitespace (case-insensitive, duplicates and the none label allowed; a comma-separated part
 * is first matched whole, so labels may contain spaces), or one decimal number, signed from
 * -2<sup>63</sup> or unsigned up to 2<sup>64</sup>-1 so that all 64 bits are usable
 * ({@code 18446744073709551615} and {@code -1} both set every bit). Unknown labels, empty parts
 * ({@code "A,,B"}), set bits without a label and a radix prefix ({@code 0x9}: "hexadecimal is not
 * accepted: write 9") are {@code BAD_VALUE}.
 *
 * <p>Without enumerators any 64-bit value is accepted and the canonical form is signed decimal.
 * Binary writes accept any integral {@link Number}, a {@link BigInteger} up to 2<sup>64</sup>-1, or the
 * ascii form.
 *
 * <p>Immutable and thread-safe; label lookups are tree searches without allocation.
 */
final class MaskType implements KeywordType {
  /** Not a single bit nor zero, so never the bits of one label. */
  private static final long UNKNOWN = -1;

  private final Refusals refusals;
  private final KeywordDefinition definition;
  private final String[] labelByBit = new String[64];
  private final TreeMap<String, Integer> bitByLabel = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private final long labelledBits;
  private final String noneLabel;

  MaskType(Refusals refusals, KeywordDefinition definition) {
    this.refusals = refusals;
    this.definition = definition;
    this.noneLabel = definition.noneLabel();
    long bits = 0;
    for (Enumerator e : definition.enumerators()) {
      int bit = (int) e.value();
      labelByBit[bit] = e.label();
      bitByLabel.put(e.label(), bit);
      bits |= 1L << bit;
    }
    this.labelledBits = bits;
  }

  /** The label of each bit number, in bit order; empty for a mask without enumerators. */
  public List<String> labels() {
    List<String> labels = new ArrayList<>();
    for (String label : labelByBit) {
      if (label != null) {
        labels.add(label);
      }
    }
    return List.copyOf(labels);
  }

  /** The label of the value 0. */
  public String noneLabel() {
    return noneLabel;
  }

  @Override
  public String canonicalize(String ascii) throws InvalidValueException {
    return text(parse(ascii));
  }

  @Override
  public Long toBinary(String ascii) throws InvalidValueException {
    return parse(ascii);
  }

  @Override
  public String fromBinary(Object binary) throws InvalidValueException {
    if (binary instanceof CharSequence text) {
      return canonicalize(text.toString());
    }
    Long value = null;
    if (binary instanceof BigInteger b && b.signum() >= 0 && b.bitLength() <= 64) {
      value = b.longValue();
    } else if (binary instanceof Number n) {
      value = NumberSyntax.exactLong(n);
    } else {
      throw refusals.badBinary(binary, "expected a number, got " + Refusals.kind(binary));
    }
    if (value == null) {
      throw refusals.badBinary(binary, "not a 64-bit integer");
    }
    return text(checkBits(value, Refusals.describe(binary)));
  }

  private String text(long value) {
    if (bitByLabel.isEmpty()) {
      return Long.toString(value);
    }
    if (value == 0) {
      return noneLabel;
    }
    StringBuilder text = new StringBuilder();
    for (long rest = value; rest != 0; rest &= rest - 1) {
      if (text.length() > 0) {
        text.append(", ");
      }
      text.append(labelByBit[Long.numberOfTrailingZeros(rest)]);
    }
    return text.toString();
  }

  private long parse(String ascii) throws InvalidValueException {
    String text = refusals.requireText(ascii);
    if (NumberSyntax.isInteger(text)) {
      try {
        return checkBits(NumberSyntax.parseBits(text), ascii);
      } catch (ArithmeticException e) {
        throw refusals.bad(ascii, "does not fit 64 bits");
      }
    }
    if (text.equalsIgnoreCase(noneLabel)) {
      return 0;
    }
    String radix = NumberSyntax.radixReason(text);
    if (radix != null && isOneWord(text) && bitsOf(text) == UNKNOWN) {
      throw refusals.bad(ascii, radix);
    }
    if (bitByLabel.isEmpty()) {
      throw refusals.bad(ascii, "not a number (this mask has no bit labels)");
    }
    long value = 0;
    int start = 0;
    while (start <= text.length()) {
      int comma = text.indexOf(',', start);
      int end = comma < 0 ? text.length() : comma;
      value |= parsePart(ascii, AsciiSpace.strip(text.substring(start, end)));
      start = end + 1;
    }
    return value;
  }

  /** One comma-separated part: a whole label (which may contain spaces), or whitespace-separated labels. */
  private long parsePart(String ascii, String part) throws InvalidValueException {
    if (part.isEmpty()) {
      throw refusals.bad(ascii, "empty label between commas");
    }
    long whole = bitsOf(part);
    if (whole != UNKNOWN) {
      return whole;
    }
    long value = 0;
    int i = 0;
    while (i < part.length()) {
      int start = i;
      while (i < part.length() && !AsciiSpace.is(part.charAt(i))) {
        i++;
      }
      String token = part.substring(start, i);
      long bits = bitsOf(token);
      if (bits == UNKNOWN) {
        throw refusals.bad(ascii, "unknown label " + Refusals.quote(token) + " (" + Refusals.validLabels(validLabels()) + ")");
      }
      value |= bits;
      while (i < part.length() && AsciiSpace.is(part.charAt(i))) {
        i++;
      }
    }
    return value;
  }

  /** Whether {@code text} has no separator: a number, or a single label. */
  private static boolean isOneWord(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == ',' || AsciiSpace.is(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** The bit set by {@code label} (0 for the none label), or {@link #UNKNOWN}. */
  private long bitsOf(String label) {
    Integer bit = bitByLabel.get(label);
    if (bit != null) {
      return 1L << bit;
    }
    return label.equalsIgnoreCase(noneLabel) ? 0 : UNKNOWN;
  }

  private long checkBits(long value, String shown) throws InvalidValueException {
    long unlabelled = bitByLabel.isEmpty() ? 0 : value & ~labelledBits;
    if (unlabelled != 0) {
      StringBuilder bits = new StringBuilder();
      for (long rest = unlabelled; rest != 0; rest &= rest - 1) {
        bits.append(bits.length() == 0 ? "" : ", ").append(Long.numberOfTrailingZeros(rest));
      }
      throw refusals.bad(shown, (Long.bitCount(unlabelled) == 1 ? "bit " : "bits ") + bits + " without a label");
    }
    return value;
  }

  private List<String> validLabels() {
    List<String> valid = new ArrayList<>(labels());
    valid.add(noneLabel);
    return valid;
  }

  @Override
  public KtlType ktlType() {
    return KtlType.MASK;
  }

  @Override
  public KeywordDefinition definition() {
    return definition;
  }

  @Override
  public Class<?> binaryClass() {
    return Long.class;
  }
}
