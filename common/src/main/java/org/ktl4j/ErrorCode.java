package org.ktl4j;

/**
 * Why a MODIFY request was refused or failed: the {@code code} field of a {@code done} reply with
 * {@code ok:false} (ktl protocol 1, {@code docs/protocol.md}).
 *
 * <p>The set is closed: a dispatcher never sends another code, and a client that receives one it does
 * not know treats it as {@link #WRITE_FAILED}.
 */
public enum ErrorCode {
  /** The service has no keyword of that name. */
  NO_SUCH_KEYWORD,
  /** The keyword is read-only. */
  READ_ONLY,
  /** The value does not parse or does not fit the keyword's type (NaN, fraction for an integer, unknown label, wrong array length, overflow). */
  BAD_VALUE,
  /** The value parses but lies outside the definition's inclusive {@code min}/{@code max}. */
  OUT_OF_RANGE,
  /** A dispatcher {@code check} hook refused the value, with its reason. */
  REJECTED,
  /** A dispatcher {@code write} hook failed; nothing was stored. */
  WRITE_FAILED,
  /** The request itself is malformed (not JSON, missing fields, a bad {@code deadline}, too large). */
  BAD_REQUEST,
  /**
   * The request's {@code deadline} passed before the dispatcher could apply and store it: nothing was applied,
   * nothing was stored, and nothing will be.
   */
  EXPIRED,
  /**
   * The dispatcher's queue for the service is full: the request was answered at once (no {@code ack}), nothing
   * was applied; the writer may retry later.
   */
  BUSY;

  /**
   * Parses a wire code; unknown codes map to {@link #WRITE_FAILED} so that a newer dispatcher never
   * breaks an older client.
   */
  public static ErrorCode fromWire(String code) {
    if (code != null) {
      for (ErrorCode c : values()) {
        if (c.name().equals(code)) {
          return c;
        }
      }
    }
    return WRITE_FAILED;
  }
}
