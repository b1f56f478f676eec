package org.ktl4j.client;

/**
 * Receives keyword updates. Runs on the client's callback executor, never on the Redis reader thread. For one
 * subscription, calls come one at a time and in {@code seq} order; a slow listener sees intermediate values
 * coalesced (the count is in {@link KeywordUpdate#coalesced()}) and never delays other keywords. A deleted
 * value calls nothing; the next value stored arrives as a {@linkplain KeywordUpdate#resync() resync}, even if its
 * {@code seq} is lower. The update may be shared with other listeners: it is immutable (arrays are copied on
 * access).
 */
@FunctionalInterface
public interface KeywordListener {
  /** One update; exceptions are logged and do not stop the subscription. */
  void onUpdate(KeywordUpdate update);
}
