package org.ktl4j.internal.redis;

import java.util.List;
import org.ktl4j.UnavailableException;
import org.ktl4j.internal.redis.PubSubHub.HubRegistration;
import org.ktl4j.redis.RedisSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * What a {@link PubSubHub}'s reader does with each frame it reads: a message goes to the listeners of its channel or
 * pattern; any other frame or error answers the oldest command in flight (Redis answers in order), and confirms,
 * refuses or resynchronises. A frame that answers no command sent is thrown, and the hub reconnects. RESP2 only.
 *
 * <p>Reader thread only; it changes the registry under the registry lock, never runs a callback under it. Cost: no
 * state of its own; messages are delivered without locks.
 */
final class PubSubReceiver {
  /** The PING argument that marks a resync: its pong follows every confirmation of the commands queued before it. */
  static final String RESYNC_TOKEN = "ktl-resync";
  private static final Logger log = LoggerFactory.getLogger(PubSubHub.class); // the hub's parts log as the hub

  private final RedisSettings settings;
  private final String address;
  private final PubSubRegistry registry;
  private final PubSubStatus status;
  /** Told when the server says a slot has left it (a shard channel dropped, or {@code MOVED}); cheap, non-blocking. */
  private final PubSubHub.SlotMoved slotMoved;

  PubSubReceiver(RedisSettings settings, String address, PubSubRegistry registry, PubSubStatus status,
      PubSubHub.SlotMoved slotMoved) {
    this.settings = settings;
    this.address = address;
    this.registry = registry;
    this.status = status;
    this.slotMoved = slotMoved;
  }

  /** One frame: a message, or a reply to the oldest command in flight (Redis answers in order). RESP2 only. */
  void onFrame(PubSubSession s, Object frame) {
    if (frame instanceof byte[]) { // PONG outside subscribed mode, i.e. while nothing is subscribed
      answered(s, "pong");
      return;
    }
    if (!(frame instanceof List<?> list) || list.isEmpty() || !(list.get(0) instanceof byte[] kindRaw)) {
      throw new IllegalStateException("unexpected pub/sub frame from Redis at " + address + ": " + frame);
    }
    String kind = SafeEncoder.encode(kindRaw);
    switch (kind) {
      case "message" -> {
        String channel = SafeEncoder.encode((byte[]) list.get(1));
        PubSubTopic t = registry.channel(channel);
        if (t != null) {
          deliverAll(t, null, channel, (byte[]) list.get(2));
        }
      }
      case "pmessage" -> {
        PubSubTopic t = registry.pattern(SafeEncoder.encode((byte[]) list.get(1)));
        if (t != null) {
          deliverAll(t, t.name, SafeEncoder.encode((byte[]) list.get(2)), (byte[]) list.get(3));
        }
      }
      case "smessage" -> {
        String channel = SafeEncoder.encode((byte[]) list.get(1));
        PubSubTopic t = registry.shard(channel);
        if (t != null) {
          deliverAll(t, null, channel, (byte[]) list.get(2));
        }
      }
      case "sunsubscribe" -> shardUnsubscribed(s, SafeEncoder.encode((byte[]) list.get(1)));
      default -> answered(s, kind);
    }
  }

  private void answered(PubSubSession s, String kind) {
    PubSubCommand c = s.oldest();
    if (c == null || !c.kind.reply.equals(kind)) {
      throw new IllegalStateException("reply '" + kind + "' from Redis at " + address
          + " does not answer the command sent (" + c + "); reconnecting to resynchronise");
    }
    int index = c.answered++;
    if (c.answered == c.expectedReplies()) {
      s.answered();
    }
    switch (c.kind) {
      case SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE -> registry.confirm(c.topics.get(index));
      case PING -> {
        if (RESYNC_TOKEN.equals(c.token)) {
          resynced(s);
        }
      }
      default -> { } // UNSUBSCRIBE: nothing waits for it
    }
  }

  /**
   * An {@code sunsubscribe} frame: the answer to our SUNSUBSCRIBE, or, unasked, Redis dropping a shard channel whose
   * slot has just left this node (a slot migration or a failover); it is then subscribed again (and refused with
   * {@code MOVED}, moving it to the right node, if the slot is elsewhere now).
   */
  private void shardUnsubscribed(PubSubSession s, String channel) {
    PubSubCommand c = s.oldest();
    if (c != null && c.kind == PubSubCommand.Kind.SUNSUBSCRIBE && c.topics.get(c.answered).name.equals(channel)) {
      answered(s, "sunsubscribe");
      return;
    }
    PubSubTopic t = registry.shard(channel);
    if (t == null) {
      return; // unasked, for a channel we have already left (our own SUNSUBSCRIBE was answered first)
    }
    log.debug("Redis at {} dropped {}: its slot has moved", address, t.describe());
    registry.endIfFull(registry.dropped(s, t));
    slotMoved.moved(channel, null);
  }

  private void resynced(PubSubSession s) {
    if (--s.resyncsPending > 0 || s.announced) {
      return;
    }
    s.announced = true;
    boolean reconnect = s.reconnect;
    status.lastError("connected");
    if (reconnect) {
      log.info("pub/sub connection to {} restored; {} channels and {} patterns resubscribed", address,
          registry.channelCount(), registry.patternCount());
    }
    status.fire(l -> l.onConnected(reconnect, PubSub.ALL_SERVICES));
  }

  /** An error reply: Redis refused the oldest command in flight as a whole. */
  void refused(PubSubSession s, JedisDataException e) {
    PubSubCommand c = s.oldest();
    if (c == null || c.answered > 0) {
      throw new IllegalStateException("error reply from Redis at " + address + " that answers no command ("
          + c + "): " + e.getMessage());
    }
    s.answered();
    switch (c.kind) {
      case PING -> { // e.g. an ACL without +ping: still an answer, and still in order
        log.debug("Redis at {} answered PING with an error: {}", address, e.getMessage());
        if (RESYNC_TOKEN.equals(c.token)) {
          resynced(s);
        }
      }
      case UNSUBSCRIBE, PUNSUBSCRIBE, SUNSUBSCRIBE -> log.warn("Redis at {} refused to unsubscribe {}: {}", address,
          c.topics, e.getMessage());
      default -> {
        if (c.topics.size() == 1) {
          refuse(c.topics.get(0), e);
        } else {
          isolate(s, c.topics);
        }
      }
    }
  }

  /**
   * One name of a batch was refused, but the error does not say which: subscribe each still-registered name alone
   * so that only the forbidden ones fail. A resync ping follows them while the connection is not yet announced, so
   * that listeners are told only once everything is settled.
   */
  private void isolate(PubSubSession s, List<PubSubTopic> topics) {
    PubSubSession full;
    synchronized (registry) {
      full = registry.subscribeEachAlone(s, topics);
      if (full == null && !s.announced) {
        s.resyncsPending++;
        if (!s.offer(PubSubCommand.ping(RESYNC_TOKEN))) {
          full = s;
        }
      }
    }
    registry.endIfFull(full);
  }

  /** The server refused to subscribe t: fail its registrations with one clear error and forget it. */
  private void refuse(PubSubTopic t, JedisDataException e) {
    List<HubRegistration> refusedRegs = registry.forget(t);
    if (e instanceof JedisRedirectionException) { // MOVED or ASK: the cluster layer subscribes it on the right node
      log.debug("Redis at {} does not serve {}: {}", address, t.describe(), e.getMessage());
      UnavailableException moved = new UnavailableException("cannot subscribe to " + t.describe() + " on Redis at "
          + address + ": its slot is served by another node (" + e.getMessage() + ")", e);
      for (HubRegistration r : refusedRegs) {
        r.active().completeExceptionally(moved);
      }
      slotMoved.moved(t.name, ((JedisRedirectionException) e).getTargetNode());
      return;
    }
    String message = "cannot subscribe to " + t.describe() + ": Redis at " + address
        + settings.user().map(u -> " (user '" + u + "')").orElse("") + " refused it: " + e.getMessage()
        + (e instanceof JedisAccessControlException ? "; the user's ACL must allow the channel (&pattern)" : "");
    status.lastError(message);
    log.error(message);
    UnavailableException failure = new UnavailableException(message, e);
    for (HubRegistration r : refusedRegs) {
      r.active().completeExceptionally(failure);
    }
  }

  /** Delivers one message to every registration of its topic, decoding it once and only for those that take it. */
  private static void deliverAll(PubSubTopic t, String pattern, String channel, byte[] payload) {
    String message = null;
    for (HubRegistration r : t.registrations) {
      if (r.listener instanceof PubSubHub.BoundedListener b && payload != null && payload.length > b.maxMessageBytes()) {
        try {
          b.onOversized(pattern, channel, payload.length);
        } catch (VirtualMachineError e) {
          throw e;
        } catch (Throwable e) {
          log.warn("pub/sub listener for {} failed: {}", r.topic.name, e.toString(), e);
        }
        continue;
      }
      if (message == null && payload != null) {
        message = SafeEncoder.encode(payload);
      }
      deliver(r, pattern, channel, message);
    }
  }

  private static void deliver(HubRegistration r, String pattern, String channel, String message) {
    try {
      r.listener.onMessage(pattern, channel, message);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) { // a listener's failure must not end the reader thread of the whole process
      log.warn("pub/sub listener for {} failed: {}", r.topic.name, e.toString(), e);
    }
  }
}
