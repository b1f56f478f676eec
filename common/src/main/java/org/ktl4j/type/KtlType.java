package org.ktl4j.type;

import java.util.Locale;
import java.util.Optional;

/**
 * The KTL keyword types, by their KTL XML names ({@code <type>double array</type>}).
 *
 * <p>Immutable and thread-safe. {@link #fromKtlName(String)} allocates one short string per call;
 * it is meant for loading definitions, not for the write path.
 */
public enum KtlType {
  BOOLEAN("boolean"),
  INTEGER("integer"),
  INT64("int64"),
  FLOAT("float"),
  DOUBLE("double"),
  STRING("string"),
  ENUMERATED("enumerated"),
  MASK("mask"),
  INTEGER_ARRAY("integer array"),
  INT64_ARRAY("int64 array"),
  FLOAT_ARRAY("float array"),
  DOUBLE_ARRAY("double array");

  private final String ktlName;

  KtlType(String ktlName) {
    this.ktlName = ktlName;
  }

  /** The name used in KTL XML and in the JSON definition, e.g. {@code "integer array"}. */
  public String ktlName() {
    return ktlName;
  }

  /** Whether values are fixed- or variable-length arrays of numbers. */
  public boolean isArray() {
    return switch (this) {
      case INTEGER_ARRAY, INT64_ARRAY, FLOAT_ARRAY, DOUBLE_ARRAY -> true;
      default -> false;
    };
  }

  /** Whether the scalar type (or the element type of an array) is a number with an optional range. */
  public boolean isNumeric() {
    return switch (this) {
      case INTEGER, INT64, FLOAT, DOUBLE -> true;
      default -> isArray();
    };
  }

  /**
   * Looks a type up by its KTL name, ignoring case, whitespace, {@code _} and {@code -}
   * ({@code "Double  Array"}, {@code "double_array"} and {@code "doublearray"} all work).
   *
   * <p>Also accepts the aliases found in the field: {@code basic} (Cauldron's untyped keyword: any
   * text) → {@link #STRING}; {@code int}, {@code int32} → {@link #INTEGER}; {@code long} →
   * {@link #INT64}; {@code enum}, {@code enumm} (KTL_ENUMM, which every known implementation treats
   * as an enumeration) → {@link #ENUMERATED}; {@code bool} → {@link #BOOLEAN}; {@code int array} →
   * {@link #INTEGER_ARRAY}.
   *
   * @return the type, or empty for {@code null} or an unknown name
   */
  public static Optional<KtlType> fromKtlName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    StringBuilder key = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!Character.isWhitespace(c) && c != '_' && c != '-') {
        key.append(c);
      }
    }
    return Optional.ofNullable(
        switch (key.toString().toLowerCase(Locale.ROOT)) {
          case "boolean", "bool" -> BOOLEAN;
          case "integer", "int", "int32" -> INTEGER;
          case "int64", "long" -> INT64;
          case "float" -> FLOAT;
          case "double" -> DOUBLE;
          case "string", "basic" -> STRING;
          case "enumerated", "enum", "enumm" -> ENUMERATED;
          case "mask" -> MASK;
          case "integerarray", "intarray", "int32array" -> INTEGER_ARRAY;
          case "int64array", "longarray" -> INT64_ARRAY;
          case "floatarray" -> FLOAT_ARRAY;
          case "doublearray" -> DOUBLE_ARRAY;
          default -> null;
        });
  }
}
