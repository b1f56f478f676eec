package org.ktl4j.type;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.List;
import org.ktl4j.ErrorCode;

/** Builds the refusals of one keyword, and holds the checks every type shares. Immutable. */
final class Refusals {
  private static final int MAX_LISTED_LABELS = 20;

  private final String service;
  private final String keyword;

  Refusals(String service, String keyword) {
    this.service = service;
    this.keyword = keyword;
  }

  InvalidValueException bad(String value, String reason) {
    return new InvalidValueException(ErrorCode.BAD_VALUE, service, keyword, value, reason);
  }

  InvalidValueException outOfRange(String value, String reason) {
    return new InvalidValueException(ErrorCode.OUT_OF_RANGE, service, keyword, value, reason);
  }

  /** A refusal of a binary value, shown with {@link #describe(Object)}. */
  InvalidValueException badBinary(Object binary, String reason) {
    return bad(describe(binary), reason);
  }

  /** Re-issues an element's refusal for the whole array value, prefixing the element's position. */
  InvalidValueException element(InvalidValueException cause, String wholeValue, int index, List<String> labels) {
    String where = index < labels.size() ? "element " + index + " (" + labels.get(index) + ")" : "element " + index;
    return new InvalidValueException(cause.code(), service, keyword, wholeValue, where + ": " + cause.reason());
  }

  /**
   * Trims surrounding whitespace of a non-string value; refuses {@code null} and blank values.
   * Allocates only when there is whitespace to trim.
   */
  String requireText(String ascii) throws InvalidValueException {
    if (ascii == null) {
      throw bad(null, "null value");
    }
    String text = AsciiSpace.strip(ascii);
    if (text.isEmpty()) {
      throw bad(ascii, "empty value");
    }
    return text;
  }

  /** The refused value of a binary write, for messages: arrays and collections shown element by element. */
  static String describe(Object binary) {
    if (binary == null) {
      return null;
    }
    if (binary.getClass().isArray()) {
      int n = Array.getLength(binary);
      StringBuilder text = new StringBuilder("[");
      for (int i = 0; i < n && text.length() <= InvalidValueException.PREVIEW_CHARS; i++) {
        text.append(i == 0 ? "" : ", ").append(Array.get(binary, i));
      }
      return text.append(text.length() > InvalidValueException.PREVIEW_CHARS ? ", …]" : "]").toString();
    }
    if (binary instanceof Collection<?> c && c.size() > InvalidValueException.PREVIEW_CHARS) {
      return "[" + c.size() + " elements]";
    }
    return String.valueOf(binary);
  }

  /** {@code "valid: Open, Closed"}, abbreviated after {@value #MAX_LISTED_LABELS} labels. */
  static String validLabels(Collection<String> labels) {
    StringBuilder text = new StringBuilder("valid: ");
    int i = 0;
    for (String label : labels) {
      if (i == MAX_LISTED_LABELS) {
        return text.append(", …(").append(labels.size() - i).append(" more)").toString();
      }
      text.append(i++ == 0 ? "" : ", ").append(label);
    }
    return text.toString();
  }

  /** A fragment of a value for a reason, quoted, truncated and escaped like the value in the message. */
  static String quote(String fragment) {
    return "'" + InvalidValueException.escape(InvalidValueException.preview(fragment)) + "'";
  }

  /** A binary value's class for messages: {@code "a Boolean"}. */
  static String kind(Object binary) {
    return binary == null ? "null" : "a " + binary.getClass().getSimpleName();
  }
}
