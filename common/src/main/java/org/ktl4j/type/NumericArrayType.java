package org.ktl4j.type;

import java.lang.reflect.Array;
import java.util.List;
import org.ktl4j.definition.KeywordDefinition;

/**
 * {@code integer array}, {@code int64 array}, {@code float array} and {@code double array}: binary
 * {@code int[]}, {@code long[]}, {@code float[]} and {@code double[]}.
 *
 * <p>Each element follows the rules of its scalar type ({@link IntegerType}, {@link FloatingType}),
 * including the definition's minimum, maximum and format, which apply per element. The canonical
 * form separates elements by one space ({@code "1.5 2.0 -3.0"}); writes accept any whitespace, and a
 * comma with optional whitespace, as separator ({@code "1, 2, 3"}), but not empty elements
 * ({@code "1,,2"}, a leading or trailing comma).
 *
 * <p>The definition's {@code length} fixes the number of elements ({@code "expected 3 elements, got
 * 2"}). A definition without a length (KTL bundles often omit it) has variable length: any number of
 * elements, at least one. Refusals of one element name its index and, if the definition has element
 * labels, its label: {@code element 2 (z): above maximum 5}.
 *
 * <p>Binary writes accept any primitive numeric array, a {@code Number[]} or a
 * {@code List<? extends Number>}.
 *
 * <p>Immutable and thread-safe. A write scans the text twice (count, then parse) and allocates one
 * string per element.
 */
final class NumericArrayType implements KeywordType {
  @FunctionalInterface
  private interface ElementSink {
    void accept(int index, String element) throws InvalidValueException;
  }

  private final Refusals refusals;
  private final KeywordDefinition definition;
  private final IntegerType integers;
  private final FloatingType floats;

  NumericArrayType(Refusals refusals, KeywordDefinition definition) {
    this.refusals = refusals;
    this.definition = definition;
    boolean integral = definition.type() == KtlType.INTEGER_ARRAY || definition.type() == KtlType.INT64_ARRAY;
    this.integers = integral ? new IntegerType(refusals, definition) : null;
    this.floats = integral ? null : new FloatingType(refusals, definition);
  }

  /** The scalar type of the elements: {@code INTEGER}, {@code INT64}, {@code FLOAT} or {@code DOUBLE}. */
  public KtlType elementType() {
    return switch (definition.type()) {
      case INTEGER_ARRAY -> KtlType.INTEGER;
      case INT64_ARRAY -> KtlType.INT64;
      case FLOAT_ARRAY -> KtlType.FLOAT;
      default -> KtlType.DOUBLE;
    };
  }

  @Override
  public String canonicalize(String ascii) throws InvalidValueException {
    checkLength(scan(ascii, null), ascii);
    StringBuilder out = new StringBuilder(ascii.length());
    scan(ascii, (index, element) -> {
      if (index > 0) {
        out.append(' ');
      }
      out.append(integers != null ? Long.toString(integers.parse(element)) : floats.text(floats.parse(element)));
    });
    return out.toString();
  }

  @Override
  public Object toBinary(String ascii) throws InvalidValueException {
    int count = scan(ascii, null);
    checkLength(count, ascii);
    Object array = Array.newInstance(binaryClass().getComponentType(), count);
    scan(ascii, (index, element) -> {
      switch (definition.type()) {
        case INTEGER_ARRAY -> ((int[]) array)[index] = (int) integers.parse(element);
        case INT64_ARRAY -> ((long[]) array)[index] = integers.parse(element);
        case FLOAT_ARRAY -> ((float[]) array)[index] = (float) floats.stored(floats.parse(element));
        default -> ((double[]) array)[index] = floats.stored(floats.parse(element));
      }
    });
    return array;
  }

  @Override
  public String fromBinary(Object binary) throws InvalidValueException {
    List<?> list = binary instanceof List<?> l ? l : null;
    if (list == null && (binary == null || !binary.getClass().isArray() || binary.getClass().getComponentType() == boolean.class
        || binary.getClass().getComponentType() == char.class)) {
      throw refusals.badBinary(binary, "expected an array or a List of numbers, got " + Refusals.kind(binary));
    }
    int count = list != null ? list.size() : Array.getLength(binary);
    if (count == 0) {
      throw refusals.badBinary(binary, "empty value");
    }
    checkLength(count, Refusals.describe(binary));
    StringBuilder out = new StringBuilder(count * 8);
    for (int i = 0; i < count; i++) {
      Object element = list != null ? list.get(i) : Array.get(binary, i);
      try {
        if (i > 0) {
          out.append(' ');
        }
        out.append(integers != null ? Long.toString(integers.checkBinary(element))
            : floats.text(floats.checkBinary(element)));
      } catch (InvalidValueException e) {
        throw refusals.element(e, Refusals.describe(binary), i, definition.elementLabels());
      }
    }
    return out.toString();
  }

  private void checkLength(int count, String shown) throws InvalidValueException {
    if (definition.length().isPresent() && count != definition.length().getAsInt()) {
      throw refusals.bad(shown, "expected " + definition.length().getAsInt() + " elements, got " + count);
    }
  }

  /**
   * Splits {@code ascii} into elements and hands each to {@code sink} ({@code null}: only count).
   *
   * @return the number of elements, at least one
   */
  private int scan(String ascii, ElementSink sink) throws InvalidValueException {
    if (ascii == null) {
      throw refusals.bad(null, "null value");
    }
    int n = ascii.length();
    int i = skipWhitespace(ascii, 0);
    if (i == n) {
      throw refusals.bad(ascii, "empty value");
    }
    int index = 0;
    while (true) {
      int start = i;
      while (i < n && !AsciiSpace.is(ascii.charAt(i)) && ascii.charAt(i) != ',') {
        i++;
      }
      if (i == start) {
        throw refusals.bad(ascii, "element " + index + " is empty");
      }
      if (sink != null) {
        try {
          sink.accept(index, ascii.substring(start, i));
        } catch (InvalidValueException e) {
          throw refusals.element(e, ascii, index, definition.elementLabels());
        }
      }
      index++;
      i = skipWhitespace(ascii, i);
      if (i == n) {
        return index;
      }
      if (ascii.charAt(i) == ',') {
        i = skipWhitespace(ascii, i + 1);
        if (i == n) {
          throw refusals.bad(ascii, "element " + index + " is empty (trailing comma)");
        }
      }
    }
  }

  private static int skipWhitespace(String text, int i) {
    while (i < text.length() && AsciiSpace.is(text.charAt(i))) {
      i++;
    }
    return i;
  }


  @Override
  public KeywordDefinition definition() {
    return definition;
  }

  @Override
  public Class<?> binaryClass() {
    return switch (definition.type()) {
      case INTEGER_ARRAY -> int[].class;
      case INT64_ARRAY -> long[].class;
      case FLOAT_ARRAY -> float[].class;
      default -> double[].class;
    };
  }
}
