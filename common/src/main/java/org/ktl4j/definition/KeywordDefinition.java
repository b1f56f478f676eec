package org.ktl4j.definition;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.ktl4j.type.KtlType;

/**
 * Everything a service declares about one keyword: its type and the facts that shape its values
 * (range, enumerators, format, array length), its documentation and its server-side behaviour.
 *
 * <p>A definition is data: {@link org.ktl4j.type.KeywordType#of} makes the type that validates
 * values, {@code DefinitionJson} (internal) gives the form stored in Redis, {@link KtlXmlBundle} reads KTL XML.
 *
 * <p>Immutable and thread-safe. The constructor normalises and checks (and throws
 * {@link IllegalArgumentException} naming the keyword): the name is upper-cased and must match
 * {@code [A-Z][A-Z0-9_]{0,63}}; {@code null} texts become empty; {@code null} optionals become empty;
 * a blank none label becomes {@value #DEFAULT_NONE_LABEL}; enumerators are sorted by value and only
 * allowed for boolean (values 0, 1), enumerated (32-bit values) and mask (bit numbers 0–63, labels
 * without commas, distinct from the none label) keywords, with labels unique ignoring case and values
 * unique; minimum and maximum only for numeric types, with minimum ≤ maximum; length (≥ 1) and element
 * labels only for arrays, and element labels without a length set the length. The initial value is
 * not checked here (that needs the type: see {@link KtlXmlBundle}).
 *
 * @param name the keyword name, upper case
 * @param type the KTL type
 * @param units units of the binary value, e.g. {@code deg}; may be empty
 * @param help one-line help; may be empty
 * @param longHelp verbose help; may be empty
 * @param minimum inclusive minimum (numbers and array elements)
 * @param maximum inclusive maximum (numbers and array elements)
 * @param enumerators labels of boolean/enumerated values or mask bits, sorted by value
 * @param noneLabel the mask label of the value 0
 * @param readonly whether clients may not write the keyword
 * @param format printf format of the ascii form of float/double values (for other numbers, a display hint)
 * @param length number of array elements; empty for a variable-length array and for scalars
 * @param elementLabels names of the array elements; empty or {@code length} of them
 * @param initialValue ascii value the dispatcher starts with
 * @param useCache whether the dispatcher starts with the last stored value rather than the initial value
 * @param allowNonFinite whether float/double values may be NaN or infinite
 * @param broadcasts whether changes are broadcast to subscribers
 */
public record KeywordDefinition(
    String name,
    KtlType type,
    String units,
    String help,
    String longHelp,
    Optional<BigDecimal> minimum,
    Optional<BigDecimal> maximum,
    List<Enumerator> enumerators,
    String noneLabel,
    boolean readonly,
    Optional<String> format,
    OptionalInt length,
    List<String> elementLabels,
    Optional<String> initialValue,
    boolean useCache,
    boolean allowNonFinite,
    boolean broadcasts) {

  /** The mask label of the value 0 unless the definition says otherwise. */
  public static final String DEFAULT_NONE_LABEL = "none";

  /** Normalises and checks; see the class description. */
  public KeywordDefinition {
    name = DefinitionRules.name(name);
    if (type == null) {
      throw new IllegalArgumentException("keyword " + name + ": type is missing");
    }
    units = DefinitionRules.text(units);
    help = DefinitionRules.text(help);
    longHelp = DefinitionRules.text(longHelp);
    minimum = DefinitionRules.optional(minimum);
    maximum = DefinitionRules.optional(maximum);
    DefinitionRules.range(name, type, minimum, maximum);
    noneLabel = DefinitionRules.noneLabel(name, noneLabel);
    enumerators = DefinitionRules.enumerators(name, type, enumerators, noneLabel);
    format = DefinitionRules.optional(format).filter(f -> !f.isBlank());
    elementLabels = DefinitionRules.elementLabels(name, type, elementLabels);
    if (length == null || length.isEmpty()) {
      length = elementLabels.isEmpty() ? OptionalInt.empty() : OptionalInt.of(elementLabels.size());
    }
    DefinitionRules.length(name, type, length, elementLabels);
    initialValue = DefinitionRules.optional(initialValue);
  }

  /** A builder with the defaults: empty texts, no range or enumerators, writable, broadcast, no cache. */
  public static Builder builder(String name, KtlType type) {
    return new Builder(name, type);
  }

  /** A builder holding all of this definition's values, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder(name, type).units(units).help(help).longHelp(longHelp).noneLabel(noneLabel)
        .readonly(readonly).elementLabels(elementLabels).useCache(useCache).allowNonFinite(allowNonFinite)
        .broadcasts(broadcasts);
    b.minimum = minimum;
    b.maximum = maximum;
    b.enumerators.addAll(enumerators);
    b.format = format;
    b.length = length;
    b.initialValue = initialValue;
    return b;
  }

  /**
   * Builds a {@link KeywordDefinition} step by step. Not thread-safe; {@link #build()} checks
   * everything and may be called more than once.
   */
  public static final class Builder {
    private final String name;
    private final KtlType type;
    private String units = "";
    private String help = "";
    private String longHelp = "";
    private Optional<BigDecimal> minimum = Optional.empty();
    private Optional<BigDecimal> maximum = Optional.empty();
    private final List<Enumerator> enumerators = new ArrayList<>();
    private String noneLabel = DEFAULT_NONE_LABEL;
    private boolean readonly;
    private Optional<String> format = Optional.empty();
    private OptionalInt length = OptionalInt.empty();
    private List<String> elementLabels = List.of();
    private Optional<String> initialValue = Optional.empty();
    private boolean useCache;
    private boolean allowNonFinite;
    private boolean broadcasts = true;

    private Builder(String name, KtlType type) {
      this.name = name;
      this.type = type;
    }

    public Builder units(String units) {
      this.units = units;
      return this;
    }

    public Builder help(String help) {
      this.help = help;
      return this;
    }

    public Builder longHelp(String longHelp) {
      this.longHelp = longHelp;
      return this;
    }

    /** Inclusive range; either may be {@code null} for none. */
    public Builder range(Number minimum, Number maximum) {
      return minimum(minimum).maximum(maximum);
    }

    /** Inclusive minimum, or {@code null} for none. A double is taken by its shortest decimal text (0.1 is 0.1). */
    public Builder minimum(Number minimum) {
      this.minimum = Optional.ofNullable(minimum).map(Builder::decimal);
      return this;
    }

    /** Inclusive maximum, or {@code null} for none. */
    public Builder maximum(Number maximum) {
      this.maximum = Optional.ofNullable(maximum).map(Builder::decimal);
      return this;
    }

    /** Adds an enumerator (for a mask, {@code value} is the bit number). */
    public Builder enumerator(long value, String label) {
      enumerators.add(new Enumerator(value, label));
      return this;
    }

    /** Adds enumerators numbered 0, 1, 2… in the order given. */
    public Builder labels(String... labels) {
      for (int i = 0; i < labels.length; i++) {
        enumerator(i, labels[i]);
      }
      return this;
    }

    public Builder noneLabel(String noneLabel) {
      this.noneLabel = noneLabel;
      return this;
    }

    public Builder readonly(boolean readonly) {
      this.readonly = readonly;
      return this;
    }

    /** Printf format of the ascii value, e.g. {@code %.3f}; {@code null} for none. */
    public Builder format(String format) {
      this.format = Optional.ofNullable(format);
      return this;
    }

    public Builder length(int length) {
      this.length = OptionalInt.of(length);
      return this;
    }

    public Builder elementLabels(String... labels) {
      return elementLabels(Arrays.asList(labels));
    }

    public Builder elementLabels(List<String> labels) {
      this.elementLabels = new ArrayList<>(labels);
      return this;
    }

    /** Initial ascii value, or {@code null} for none. */
    public Builder initialValue(String initialValue) {
      this.initialValue = Optional.ofNullable(initialValue);
      return this;
    }

    public Builder useCache(boolean useCache) {
      this.useCache = useCache;
      return this;
    }

    public Builder allowNonFinite(boolean allowNonFinite) {
      this.allowNonFinite = allowNonFinite;
      return this;
    }

    public Builder broadcasts(boolean broadcasts) {
      this.broadcasts = broadcasts;
      return this;
    }

    /** @throws IllegalArgumentException naming the keyword if the definition is inconsistent */
    public KeywordDefinition build() {
      return new KeywordDefinition(name, type, units, help, longHelp, minimum, maximum, enumerators, noneLabel,
          readonly, format, length, elementLabels, initialValue, useCache, allowNonFinite, broadcasts);
    }

    private static BigDecimal decimal(Number n) {
      Objects.requireNonNull(n);
      if (n instanceof BigDecimal b) {
        return b;
      }
      if (n instanceof BigInteger b) {
        return new BigDecimal(b);
      }
      if (n instanceof Double || n instanceof Float) {
        double d = n.doubleValue();
        if (!Double.isFinite(d)) {
          throw new IllegalArgumentException("a range bound is finite, not " + d);
        }
        return n instanceof Float f ? new BigDecimal(Float.toString(f)) : BigDecimal.valueOf(d);
      }
      return BigDecimal.valueOf(n.longValue());
    }
  }
}
