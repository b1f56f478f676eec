package org.ktl4j.client;

import java.time.Instant;

/**
 * One update delivered to a {@link KeywordListener}: the new value, how many updates were coalesced since the
 * previous one this listener saw (broadcasts have latest-value semantics), and whether it follows a
 * reconnection or a priming read.
 *
 * @param value     the value
 * @param coalesced number of stored values this listener did not see between the previous update and this one
 * @param resync    true for the priming read, for re-reads after the connection to Redis was restored, and for
 *                  the first value after the stored numbering restarted (the hash was deleted, or Redis lost its
 *                  data and a fresh dispatcher numbers from 1): updates may have been missed in between (a gap),
 *                  and {@code seq} may be lower than the previous update's
 */
public record KeywordUpdate(KeywordValue value, long coalesced, boolean resync) {
  /** The keyword name. */
  public String keyword() {
    return value.keyword();
  }

  /** The ascii value. */
  public String ascii() {
    return value.ascii();
  }

  /** The binary value; an array is a fresh copy on every call (see {@link KeywordValue#binary()}). */
  public Object binary() {
    return value.binary();
  }

  /** When it was stored. */
  public Instant timestamp() {
    return value.timestamp();
  }

  /** Its sequence number. */
  public long seq() {
    return value.seq();
  }
}
