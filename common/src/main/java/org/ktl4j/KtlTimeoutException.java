package org.ktl4j;

/** An answer did not arrive in time; the message says which stage (for example {@code ack} or {@code done}) was missing. */
public class KtlTimeoutException extends KtlException {
  private static final long serialVersionUID = 1L;

  public KtlTimeoutException(String message) {
    super(message);
  }
}
