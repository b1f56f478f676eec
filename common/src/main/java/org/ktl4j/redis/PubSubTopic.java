package org.ktl4j.redis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One channel or pattern that a {@link PubSubHub} keeps subscribed, with the registrations that listen to it. A name
 * that is unregistered and registered again gets a new topic, so that a late reply to an old command can never
 * confirm or refuse the new registration.
 *
 * <p>{@link #registrations} is safe to iterate from any thread (the reader delivers through it without locks);
 * {@link #confirmed} is guarded by the hub's registry lock. Cost: one small object per subscribed name.
 */
final class PubSubTopic {
  final String name;
  final boolean pattern;
  final List<PubSubHub.Registration> registrations = new CopyOnWriteArrayList<>();
  /** The server confirmed it on the current connection; guarded by the hub's registry lock. */
  boolean confirmed;

  PubSubTopic(String name, boolean pattern) {
    this.name = name;
    this.pattern = pattern;
  }

  /** E.g. {@code channel 'kw:x'} or {@code pattern 'kw:*'}, for messages. */
  String describe() {
    return (pattern ? "pattern '" : "channel '") + name + "'";
  }

  @Override
  public String toString() {
    return describe();
  }
}
