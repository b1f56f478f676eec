package org.ktl4j;


/**
 * A write was refused or failed, with the dispatcher's (or the local validator's) code and reason; nothing
 * was stored.
 */
public class RefusedException extends KtlException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;
  private final String reason;

  public RefusedException(ErrorCode code, String message, String reason) {
    super(message);
    this.code = code;
    this.reason = reason;
  }

  /** Why it was refused. */
  public ErrorCode code() {
    return code;
  }

  /** The reason alone, as the dispatcher gave it. */
  public String reason() {
    return reason;
  }
}
