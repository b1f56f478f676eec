package org.ktl4j.internal.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.ktl4j.UnavailableException;
import org.ktl4j.internal.redis.PubSubHub.HubRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channels, patterns and shard channels a {@link PubSubHub} keeps subscribed, each a {@link PubSubTopic} with its registrations,
 * and the session that their SUBSCRIBE and UNSUBSCRIBE commands are queued on (none while disconnected).
 *
 * <p>Thread-safe: its monitor is the hub's registry lock. It guards the registry's decisions (fresh name, confirmed,
 * removed) and which session commands go to, and commands are queued under it, so they reach the server in registry
 * order; the hub and the {@link PubSubReceiver} hold it too where their own decisions must go with the registry's. No
 * I/O and no callback ever runs under it; the reader finds a message's topic without it. Cost: one topic per name.
 */
final class PubSubRegistry {
  private static final Logger log = LoggerFactory.getLogger(PubSubHub.class); // the hub's parts log as the hub

  private final String address;
  private final int queueCapacity;
  private final Map<String, PubSubTopic> channels = new ConcurrentHashMap<>();
  private final Map<String, PubSubTopic> patterns = new ConcurrentHashMap<>();
  private final Map<String, PubSubTopic> shards = new ConcurrentHashMap<>();
  private PubSubSession session; // guarded by this; null while disconnected

  /** An empty registry for the hub of Redis at {@code address}, whose sessions queue {@code queueCapacity} commands. */
  PubSubRegistry(String address, int queueCapacity) {
    this.address = address;
    this.queueCapacity = queueCapacity;
  }

  /**
   * Registers a listener on each of {@code names}, made by {@code newRegistration} for its topic, and queues the
   * SUBSCRIBE commands for the names that were not subscribed yet. Returns the registrations in the order of names.
   */
  List<HubRegistration> add(List<String> names, PubSubTopic.Kind kind,
      Function<PubSubTopic, HubRegistration> newRegistration) {
    List<HubRegistration> out = new ArrayList<>(names.size());
    List<PubSubTopic> fresh = new ArrayList<>();
    PubSubSession full;
    synchronized (this) {
      for (String name : names) {
        out.add(register(name, kind, newRegistration, fresh));
      }
      // queued under the registry lock, in registry order, so that a concurrent last remove's UNSUBSCRIBE cannot
      // overtake it
      full = queueSubscribes(session, fresh, kind);
    }
    endIfFull(full);
    return out;
  }

  /** Adds a registration for name; collects its topic in {@code fresh} if a SUBSCRIBE must be sent. Under the lock. */
  private HubRegistration register(String name, PubSubTopic.Kind kind,
      Function<PubSubTopic, HubRegistration> newRegistration, List<PubSubTopic> fresh) {
    Map<String, PubSubTopic> map = map(kind);
    PubSubTopic t = map.get(name);
    if (t == null) {
      t = new PubSubTopic(name, kind);
      map.put(name, t);
      fresh.add(t);
    }
    HubRegistration r = newRegistration.apply(t);
    t.registrations.add(r);
    if (t.confirmed) {
      r.active().complete(null); // nobody holds r yet: no callback runs under the lock
    }
    return r;
  }

  /** Removes {@code r}; when it was the last of its topic, forgets the topic and queues its UNSUBSCRIBE. */
  void remove(HubRegistration r) {
    PubSubTopic t = r.topic;
    PubSubSession full = null;
    synchronized (this) {
      if (!t.registrations.remove(r) || !t.registrations.isEmpty()) {
        return;
      }
      if (!map(t.kind).remove(t.name, t)) {
        return; // refused earlier: nothing is subscribed
      }
      PubSubSession s = session;
      if (s != null && !s.offer(PubSubCommand.unsubscribe(t))) {
        full = s;
      } // no session: the next connection subscribes only what is registered
    }
    endIfFull(full);
  }

  /** Queues SUBSCRIBE commands for {@code topics} on s; returns s if its queue is full, else null. Under the lock. */
  private static PubSubSession queueSubscribes(PubSubSession s, List<PubSubTopic> topics, PubSubTopic.Kind kind) {
    if (s == null) {
      return null; // sent by the reader when it (re)connects
    }
    int batch = batchSize(kind);
    for (int i = 0; i < topics.size(); i += batch) {
      if (!s.offer(PubSubCommand.subscribe(topics.subList(i, Math.min(topics.size(), i + batch)), kind))) {
        return s;
      }
    }
    return null;
  }

  /** Ends a session whose queue overflowed; outside the registry lock, as closing a socket may take a moment. */
  void endIfFull(PubSubSession full) {
    if (full != null) {
      String reason = "Redis at " + address + " is not reading our commands (" + queueCapacity
          + " pub/sub commands waiting to be sent)";
      log.warn("{}; reconnecting", reason);
      full.end(reason);
    }
  }

  /** How many SUBSCRIBE and PSUBSCRIBE commands subscribe everything registered. */
  synchronized int subscribeCommands() {
    return batches(channels.size(), PubSubWriter.BATCH) + batches(patterns.size(), PubSubWriter.BATCH) + shards.size();
  }

  private static int batches(int names, int batch) {
    return (names + batch - 1) / batch;
  }

  /** Names per SUBSCRIBE command: one for shard channels (an {@code SSUBSCRIBE} must stay within one slot). */
  private static int batchSize(PubSubTopic.Kind kind) {
    return kind == PubSubTopic.Kind.SHARD ? 1 : PubSubWriter.BATCH;
  }

  private Map<String, PubSubTopic> map(PubSubTopic.Kind kind) {
    return switch (kind) {
      case CHANNEL -> channels;
      case PATTERN -> patterns;
      case SHARD -> shards;
    };
  }

  /** Commands go to {@code s} from now on, starting with SUBSCRIBE commands for everything registered. */
  synchronized void attach(PubSubSession s) {
    session = s;
    queueSubscribes(s, new ArrayList<>(channels.values()), PubSubTopic.Kind.CHANNEL);
    queueSubscribes(s, new ArrayList<>(patterns.values()), PubSubTopic.Kind.PATTERN);
    queueSubscribes(s, new ArrayList<>(shards.values()), PubSubTopic.Kind.SHARD);
  }

  /** The session commands go to, or null while disconnected. */
  synchronized PubSubSession session() {
    return session;
  }

  /**
   * The session has ended: commands go nowhere and nothing is confirmed until the next one. Returns the
   * registrations still waiting for a confirmation, to be {@linkplain #fail failed} outside the lock.
   */
  synchronized List<HubRegistration> detach() {
    session = null;
    List<HubRegistration> pending = new ArrayList<>();
    for (Map<String, PubSubTopic> map : List.of(channels, patterns, shards)) {
      for (PubSubTopic t : map.values()) {
        t.confirmed = false;
        for (HubRegistration r : t.registrations) {
          if (!r.active().isDone()) {
            pending.add(r);
          }
        }
      }
    }
    return pending;
  }

  /** The channel's topic, or null; without the lock, for delivering a message. */
  PubSubTopic channel(String name) {
    return channels.get(name);
  }

  /** The pattern's topic, or null; without the lock, for delivering a message. */
  PubSubTopic pattern(String pattern) {
    return patterns.get(pattern);
  }

  /** The shard channel's topic, or null; without the lock, for delivering a message. */
  PubSubTopic shard(String name) {
    return shards.get(name);
  }

  /**
   * The server dropped the shard channel {@code t} by itself (its slot left the node): it is no longer confirmed, and
   * a SUBSCRIBE of its own is queued for it (refused with {@code MOVED} if the slot is elsewhere now, which tells the
   * cluster layer to move it). Returns the session if its queue is full, else null.
   */
  synchronized PubSubSession dropped(PubSubSession s, PubSubTopic t) {
    if (!isRegistered(t)) {
      return null;
    }
    t.confirmed = false;
    return s.offer(PubSubCommand.subscribeAlone(t)) ? null : s;
  }

  int channelCount() {
    return channels.size();
  }

  int patternCount() {
    return patterns.size();
  }

  int shardCount() {
    return shards.size();
  }

  /** The server confirmed t: completes the registrations waiting for it, unless t was unregistered since. */
  void confirm(PubSubTopic t) {
    List<HubRegistration> waiting = new ArrayList<>();
    synchronized (this) { // add() decides under this lock whether a registration waits for a confirmation
      if (!isRegistered(t)) {
        return; // unregistered since: its UNSUBSCRIBE is on the way
      }
      t.confirmed = true;
      for (HubRegistration r : t.registrations) {
        if (!r.active().isDone()) {
          waiting.add(r);
        }
      }
    }
    for (HubRegistration r : waiting) { // outside the lock: completion runs the caller's dependent stages
      r.active().complete(null);
    }
  }

  /**
   * Queues a SUBSCRIBE of its own for each of {@code topics} still registered and not confirmed; returns s if its queue
   * is full, else null. Under the lock.
   */
  PubSubSession subscribeEachAlone(PubSubSession s, List<PubSubTopic> topics) {
    for (PubSubTopic t : topics) {
      if (isRegistered(t) && !t.confirmed && !s.offer(PubSubCommand.subscribeAlone(t))) {
        return s;
      }
    }
    return null;
  }

  private boolean isRegistered(PubSubTopic t) {
    return map(t.kind).get(t.name) == t;
  }

  /** Forgets t, which the server refused to subscribe; returns its registrations, to be failed outside the lock. */
  synchronized List<HubRegistration> forget(PubSubTopic t) {
    map(t.kind).remove(t.name, t);
    return new ArrayList<>(t.registrations);
  }

  /** Fails the registrations still waiting for a confirmation: the connection they wait for is down. */
  void failPending(String reason) {
    List<HubRegistration> pending = new ArrayList<>();
    synchronized (this) {
      for (Map<String, PubSubTopic> map : List.of(channels, patterns, shards)) {
        for (PubSubTopic t : map.values()) {
          for (HubRegistration r : t.registrations) {
            if (!r.active().isDone()) {
              pending.add(r);
            }
          }
        }
      }
    }
    fail(pending, reason);
  }

  /** Fails {@code pending}, which stay registered, because the connection is down for {@code reason}. */
  void fail(List<HubRegistration> pending, String reason) {
    for (HubRegistration r : pending) {
      r.active().completeExceptionally(new UnavailableException("subscription to " + r.topic.describe()
          + " on Redis at " + address + " not confirmed: " + reason
          + "; it stays registered and is subscribed again when the connection is back"));
    }
  }
}
