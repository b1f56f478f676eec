package org.ktl4j.type;

import java.util.Objects;
import org.ktl4j.definition.KeywordDefinition;

/**
 * The type of one keyword: validates values and converts between their ascii form (the text that is
 * stored and broadcast) and their binary form (a Java value).
 *
 * <p>Every value has one <em>canonical</em> ascii form; {@link #canonicalize} accepts the aliases a
 * person may type (labels in any case, {@code on}/{@code off}, surrounding whitespace, commas between
 * array elements…) and returns that form, which is what a dispatcher stores. The families:
 *
 * <table>
 *   <caption>Binary and canonical ascii forms</caption>
 *   <tr><th>Type</th><th>Class</th><th>Binary</th><th>Canonical ascii</th></tr>
 *   <tr><td>boolean</td><td>{@link BooleanType}</td><td>{@link Boolean}</td><td>the false/true label</td></tr>
 *   <tr><td>integer, int64</td><td>{@link IntegerType}</td><td>{@link Integer}, {@link Long}</td><td>plain decimal</td></tr>
 *   <tr><td>float, double</td><td>{@link FloatingType}</td><td>{@link Float}, {@link Double}</td><td>the {@code format}, else shortest round trip</td></tr>
 *   <tr><td>string</td><td>{@link StringType}</td><td>{@link String}</td><td>unchanged</td></tr>
 *   <tr><td>enumerated</td><td>{@link EnumeratedType}</td><td>{@link Integer}</td><td>the label</td></tr>
 *   <tr><td>mask</td><td>{@link MaskType}</td><td>{@link Long}</td><td>labels of set bits, {@code ", "}-separated</td></tr>
 *   <tr><td>numeric arrays</td><td>{@link NumericArrayType}</td><td>{@code int[]}, {@code long[]}, {@code float[]}, {@code double[]}</td><td>elements separated by one space</td></tr>
 * </table>
 *
 * <p>For every type and every non-string value: {@code null}, empty and blank values are
 * {@link org.ktl4j.ErrorCode#BAD_VALUE BAD_VALUE}, surrounding whitespace is ignored, and
 * {@code canonicalize(canonicalize(x)).equals(canonicalize(x))}.
 *
 * <p>Implementations are immutable and thread-safe, and cheap on the write path: no regular
 * expressions, no exceptions on valid input, and little allocation beyond the returned string.
 */
public sealed interface KeywordType
    permits BooleanType, IntegerType, FloatingType, StringType, EnumeratedType, MaskType, NumericArrayType {

  /**
   * The type of a keyword definition.
   *
   * @param service the service name, used only in refusal messages ({@code telescope.AZ: …})
   * @throws IllegalArgumentException if the definition cannot be served, e.g. a {@code format} that
   *     does not format a floating-point number as text that parses back
   */
  static KeywordType of(String service, KeywordDefinition definition) {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(definition, "definition");
    Refusals refusals = new Refusals(service, definition.name());
    return switch (definition.type()) {
      case BOOLEAN -> new BooleanType(refusals, definition);
      case INTEGER, INT64 -> new IntegerType(refusals, definition);
      case FLOAT, DOUBLE -> new FloatingType(refusals, definition);
      case STRING -> new StringType(refusals, definition);
      case ENUMERATED -> new EnumeratedType(refusals, definition);
      case MASK -> new MaskType(refusals, definition);
      case INTEGER_ARRAY, INT64_ARRAY, FLOAT_ARRAY, DOUBLE_ARRAY -> new NumericArrayType(refusals, definition);
    };
  }

  /**
   * Validates a value written in ascii and returns its canonical ascii form.
   *
   * @throws InvalidValueException with {@code BAD_VALUE} or {@code OUT_OF_RANGE}
   */
  String canonicalize(String ascii) throws InvalidValueException;

  /**
   * The binary form of a valid ascii value, canonical or not; {@code toBinary(a)} equals
   * {@code toBinary(canonicalize(a))}.
   *
   * @return an instance of {@link #binaryClass()}
   * @throws InvalidValueException as {@link #canonicalize}
   */
  Object toBinary(String ascii) throws InvalidValueException;

  /**
   * Validates a binary value and returns its canonical ascii form. Accepts more than
   * {@link #binaryClass()} where the meaning is clear: any {@link Number} with an exact value for
   * numbers, a label for enumerations, any primitive numeric array or {@code List<? extends Number>}
   * for arrays.
   *
   * @throws InvalidValueException with {@code BAD_VALUE} or {@code OUT_OF_RANGE}
   */
  String fromBinary(Object binary) throws InvalidValueException;

  /** The KTL type. */
  default KtlType ktlType() {
    return definition().type();
  }

  /** The definition this type was made from. */
  KeywordDefinition definition();

  /** The class of the values {@link #toBinary} returns, e.g. {@code Double.class} or {@code int[].class}. */
  Class<?> binaryClass();
}
