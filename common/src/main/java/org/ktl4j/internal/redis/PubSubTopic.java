package org.ktl4j.internal.redis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One channel, pattern or shard channel that a {@link PubSubHub} keeps subscribed, with the registrations that listen to it. A name
 * that is unregistered and registered again gets a new topic, so that a late reply to an old command can never
 * confirm or refuse the new registration.
 *
 * <p>{@link #registrations} is safe to iterate from any thread (the reader delivers through it without locks);
 * {@link #confirmed} is guarded by the hub's registry lock. Cost: one small object per subscribed name.
 */
final class PubSubTopic {
  /** What a name is subscribed as. */
  enum Kind {
    /** {@code SUBSCRIBE}: a plain channel (keyspace notifications; a service channel outside a cluster). */
    CHANNEL("channel '"),
    /** {@code PSUBSCRIBE}. */
    PATTERN("pattern '"),
    /** {@code SSUBSCRIBE}: a shard channel (a service channel behind a cluster), on the node serving its slot. */
    SHARD("shard channel '");

    private final String describe;

    Kind(String describe) {
      this.describe = describe;
    }
  }

  final String name;
  final Kind kind;
  final boolean pattern;
  final List<PubSubHub.HubRegistration> registrations = new CopyOnWriteArrayList<>();
  /** The server confirmed it on the current connection; guarded by the hub's registry lock. */
  boolean confirmed;

  PubSubTopic(String name, Kind kind) {
    this.name = name;
    this.kind = kind;
    this.pattern = kind == Kind.PATTERN;
  }

  /** E.g. {@code channel 'kw:x'} or {@code pattern 'kw:*'}, for messages. */
  String describe() {
    return kind.describe + name + "'";
  }

  @Override
  public String toString() {
    return describe();
  }
}
