package org.ktl4j.type;

import java.util.Objects;
import org.ktl4j.ErrorCode;

/**
 * A value that a keyword's type refuses: it does not parse or fit the type ({@link ErrorCode#BAD_VALUE})
 * or lies outside the definition's inclusive range ({@link ErrorCode#OUT_OF_RANGE}).
 *
 * <p>The message names service, keyword, value, code and reason, for example {@code telescope.AZ:
 * value '400' refused (OUT_OF_RANGE): above maximum 360}. The value is kept only as a preview: at most
 * {@value #PREVIEW_CHARS} characters followed by {@code …(N chars)}, so that a refused 10 MB value never
 * makes a 10 MB message; control characters are escaped in the message.
 *
 * <p>Immutable. Creating one costs a message string and, by default, a stack trace; refusals are
 * not on the path of valid writes.
 */
public final class InvalidValueException extends Exception {
  private static final long serialVersionUID = 1L;

  /** How many characters of a refused value are kept in {@link #value()} and the message. */
  public static final int PREVIEW_CHARS = 80;

  private final ErrorCode code;
  private final String service;
  private final String keyword;
  private final String value;
  private final String reason;

  /**
   * Creates a refusal.
   *
   * @param code {@link ErrorCode#BAD_VALUE} or {@link ErrorCode#OUT_OF_RANGE}
   * @param service the service name, e.g. {@code "telescope"}
   * @param keyword the keyword name, e.g. {@code "AZ"}
   * @param value the refused value as written ({@code null} is shown as {@code null}); only a preview is kept
   * @param reason why, for a human, e.g. {@code "above maximum 360"}
   * @throws IllegalArgumentException for any other code
   */
  public InvalidValueException(ErrorCode code, String service, String keyword, String value, String reason) {
    super(message(code, service, keyword, value, reason));
    if (code != ErrorCode.BAD_VALUE && code != ErrorCode.OUT_OF_RANGE) {
      throw new IllegalArgumentException("a value refusal is BAD_VALUE or OUT_OF_RANGE, not " + code);
    }
    this.code = code;
    this.service = Objects.requireNonNull(service, "service");
    this.keyword = Objects.requireNonNull(keyword, "keyword");
    this.value = value == null ? "null" : preview(value);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** {@link ErrorCode#BAD_VALUE} or {@link ErrorCode#OUT_OF_RANGE}. */
  public ErrorCode code() {
    return code;
  }

  /** The service name. */
  public String service() {
    return service;
  }

  /** The keyword name. */
  public String keyword() {
    return keyword;
  }

  /** The refused value, truncated to {@value #PREVIEW_CHARS} characters plus {@code …(N chars)}; not escaped. */
  public String value() {
    return value;
  }

  /** Why the value was refused, e.g. {@code "expected 3 elements, got 2"}. */
  public String reason() {
    return reason;
  }

  private static String message(ErrorCode code, String service, String keyword, String value, String reason) {
    String shown = value == null ? "null" : "'" + escape(preview(value)) + "'";
    return service + "." + keyword + ": value " + shown + " refused (" + code + "): " + reason;
  }

  /** The first {@value #PREVIEW_CHARS} characters of {@code value}, then {@code …(N chars)} if longer. */
  static String preview(String value) {
    if (value.length() <= PREVIEW_CHARS) {
      return value;
    }
    int cut = PREVIEW_CHARS;
    if (Character.isHighSurrogate(value.charAt(cut - 1))) {
      cut--; // never split a surrogate pair
    }
    return value.substring(0, cut) + "…(" + value.length() + " chars)";
  }

  /** Escapes control characters (and backslashes) so that a message stays on one line. */
  static String escape(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement = switch (c) {
        case '\n' -> "\\n";
        case '\r' -> "\\r";
        case '\t' -> "\\t";
        case '\\' -> "\\\\";
        default -> org.ktl4j.internal.protocol.Names.isControl(c) ? String.format("\\u%04x", (int) c) : null;
      };
      if (replacement != null && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (replacement != null) {
          out.append(replacement);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }
}
