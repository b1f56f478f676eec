package org.ktl4j.client;

/**
 * Receives keyword updates. Runs on the client's callback executor, never on the Redis reader thread. For one
 * subscription, calls come one at a time and in {@code seq} order; a slow listener sees intermediate values
 * coalesced (the count is in {@link KeywordUpdate#coalesced()}) and never delays other keywords.
 */
@FunctionalInterface
public interface KeywordListener {
  /** One update; exceptions are logged and do not stop the subscription. */
  void onUpdate(KeywordUpdate update);
}
