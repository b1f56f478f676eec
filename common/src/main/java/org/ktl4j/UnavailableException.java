package org.ktl4j;

/** Redis cannot be reached, or no dispatcher is serving the service. */
public class UnavailableException extends KtlException {
  private static final long serialVersionUID = 1L;

  public UnavailableException(String message) {
    super(message);
  }

  public UnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
