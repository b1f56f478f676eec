package org.ktl4j.client;

import java.util.Optional;

/**
 * A live subscription (KTL's monitor + callback). {@link #latest()} is the last value the subscription holds,
 * kept current by broadcasts, so a hot loop reads a monitored keyword without a round trip to Redis.
 * {@link #close()} unsubscribes. Thread-safe.
 */
public interface Subscription extends AutoCloseable {
  /**
   * The latest value of the keyword, as of the last broadcast; empty before the first one, and again once the
   * keyword's value was deleted (until the next value is stored). No round trip.
   */
  Optional<KeywordValue> latest();

  /** Stops delivering to the listener. Idempotent. */
  @Override
  void close();
}
