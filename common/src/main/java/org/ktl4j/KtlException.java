package org.ktl4j;

/**
 * Base of every ktl4j runtime failure. The subtype tells the category a caller acts on:
 * {@link RefusedException} (the dispatcher said no, with a code), {@link KtlTimeoutException} (an answer did
 * not come in time) and {@link UnavailableException} (no dispatcher, or no connection to Redis).
 *
 * <p>Messages always name the service and keyword involved where there is one.
 */
public class KtlException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KtlException(String message) {
    super(message);
  }

  public KtlException(String message, Throwable cause) {
    super(message, cause);
  }
}
