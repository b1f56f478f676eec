package org.ktl4j.definition;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.ktl4j.internal.protocol.Names;
import org.ktl4j.type.KtlType;

/** The consistency rules of {@link KeywordDefinition}, kept apart so that the record reads as data. */
final class DefinitionRules {
  private DefinitionRules() {}

  /** Strips, checks and upper-cases a keyword name as {@link Names#keyword} does (ASCII only). */
  static String name(String name) {
    if (name == null) {
      throw new IllegalArgumentException("keyword name is missing");
    }
    return Names.keyword(name.strip());
  }

  /** A sorted, checked copy of the enumerators. */
  static List<Enumerator> enumerators(String keyword, KtlType type, List<Enumerator> enumerators, String noneLabel) {
    if (enumerators == null || enumerators.isEmpty()) {
      return List.of();
    }
    if (type != KtlType.BOOLEAN && type != KtlType.ENUMERATED && type != KtlType.MASK) {
      throw problem(keyword, "a " + type.ktlName() + " keyword has no enumerators");
    }
    Set<Long> values = new HashSet<>();
    Set<String> labels = new HashSet<>();
    if (type == KtlType.MASK) {
      labels.add(noneLabel.toLowerCase(Locale.ROOT));
    }
    for (Enumerator e : enumerators) {
      long v = e.value();
      switch (type) {
        case BOOLEAN -> require(v == 0 || v == 1, keyword, "boolean enumerator values are 0 and 1, not " + v);
        case ENUMERATED -> require(v == (int) v, keyword, "enumerator value " + v + " does not fit 32 bits");
        default -> {
          require(v >= 0 && v <= 63, keyword, "mask bit number " + v + " is not in 0..63");
          require(e.label().indexOf(',') < 0, keyword, "mask label '" + e.label() + "' contains a comma");
        }
      }
      require(values.add(v), keyword, "duplicate enumerator value " + v);
      require(labels.add(e.label().toLowerCase(Locale.ROOT)), keyword, "duplicate enumerator label '" + e.label()
          + "' (labels are case-insensitive" + (type == KtlType.MASK ? "; the none label is '" + noneLabel + "')" : ")"));
    }
    List<Enumerator> sorted = new ArrayList<>(enumerators);
    sorted.sort(Comparator.comparingLong(Enumerator::value));
    return List.copyOf(sorted);
  }

  static String noneLabel(String keyword, String noneLabel) {
    if (noneLabel == null || noneLabel.isBlank()) {
      return KeywordDefinition.DEFAULT_NONE_LABEL;
    }
    String label = noneLabel.strip();
    require(label.indexOf(',') < 0, keyword, "none label '" + label + "' contains a comma");
    return label;
  }

  static void range(String keyword, KtlType type, Optional<BigDecimal> minimum, Optional<BigDecimal> maximum) {
    if ((minimum.isPresent() || maximum.isPresent()) && !type.isNumeric()) {
      throw problem(keyword, "a " + type.ktlName() + " keyword has no minimum or maximum");
    }
    if (minimum.isPresent() && maximum.isPresent()) {
      require(minimum.get().compareTo(maximum.get()) <= 0, keyword,
          "minimum " + minimum.get().toPlainString() + " is above maximum " + maximum.get().toPlainString());
    }
  }

  /** A checked copy of the element labels. */
  static List<String> elementLabels(String keyword, KtlType type, List<String> labels) {
    if (labels == null || labels.isEmpty()) {
      return List.of();
    }
    require(type.isArray(), keyword, "a " + type.ktlName() + " keyword has no element labels");
    Set<String> seen = new HashSet<>();
    for (String label : labels) {
      require(label != null && !label.isBlank(), keyword, "blank element label");
      require(seen.add(label), keyword, "duplicate element label '" + label + "'");
    }
    return List.copyOf(labels);
  }

  static void length(String keyword, KtlType type, OptionalInt length, List<String> elementLabels) {
    if (length.isEmpty()) {
      return;
    }
    require(type.isArray(), keyword, "a " + type.ktlName() + " keyword has no length");
    require(length.getAsInt() >= 1, keyword, "array length " + length.getAsInt() + " is below 1");
    require(elementLabels.isEmpty() || elementLabels.size() == length.getAsInt(), keyword,
        "array length " + length.getAsInt() + " but " + elementLabels.size() + " element labels");
  }

  static String text(String text) {
    return text == null ? "" : text;
  }

  static <T> Optional<T> optional(Optional<T> value) {
    return value == null ? Optional.empty() : value;
  }

  private static void require(boolean condition, String keyword, String problem) {
    if (!condition) {
      throw problem(keyword, problem);
    }
  }

  private static IllegalArgumentException problem(String keyword, String problem) {
    return new IllegalArgumentException("keyword " + keyword + ": " + problem);
  }
}
