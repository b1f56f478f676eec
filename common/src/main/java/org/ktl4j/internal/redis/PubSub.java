package org.ktl4j.internal.redis;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.ktl4j.redis.RedisSettings;

/**
 * The process's pub/sub connections to one Redis deployment, as {@link RedisConnections#pubSub()} hands them out: one
 * {@link PubSubHub} for one server (or the master behind Sentinel), or a {@link ClusterPubSub} that keeps one hub per
 * cluster node and subscribes each name on the node that serves its slot. Every ktl4j name carries the hash tag
 * {@code {svc}}, so a service's channels, keyspace notifications and reply channels all live on one node.
 *
 * <p>Two kinds of channel: a <em>service channel</em> ({@link #subscribeServiceChannel}: a service's MODIFY and reply
 * channels) is published by ktl4j itself, with {@code SPUBLISH} on a cluster and {@code PUBLISH} otherwise
 * ({@link RedisConnections#publish}); a plain channel or pattern ({@link #subscribe}, {@link #psubscribe}) is for
 * keyspace notifications, which Redis publishes only on the node that holds the key.
 *
 * <p>Thread-safe. Listeners run on a reader thread and must only decode and hand off.
 */
public sealed interface PubSub permits PubSubHub, ClusterPubSub {
  /** Every service: the scope of an event on a single server. */
  Predicate<String> ALL_SERVICES = s -> true;

  /** Receives messages; runs on a reader thread, must return quickly. */
  @FunctionalInterface
  interface Listener {
    /**
     * One message.
     *
     * @param pattern the pattern it matched, or null for a channel subscription
     * @param channel the channel it was published on
     * @param message the payload, decoded as UTF-8
     */
    void onMessage(String pattern, String channel, String message);
  }

  /**
   * A listener that takes messages only up to a size: a longer one is not decoded, only reported, so that a burst of
   * huge messages costs the reader thread no more than reading their bytes (and Redis does not drop a subscriber that
   * falls behind). Same threading as {@link Listener}.
   */
  interface BoundedListener extends Listener {
    /** The largest message delivered to {@link #onMessage}, in bytes as received. */
    int maxMessageBytes();

    /** A message longer than {@link #maxMessageBytes()} arrived; it was not decoded. */
    void onOversized(String pattern, String channel, int bytes);
  }

  /**
   * Told when a connection is lost and when it is back with every subscription active. On a cluster each event
   * concerns one node, and names the services it concerns ({@code affects}, by service name in stored form); a
   * subscription moved to another node (its slot moved, or its master failed over) is told as a reconnection of the
   * services it belongs to, since messages may have been lost meanwhile. Listeners that do not care which services
   * implement the one-argument methods.
   */
  interface ConnectionListener {
    /** The connection is up and every registered subscription is confirmed; {@code reconnect} is false the first time. */
    default void onConnected(boolean reconnect) {}

    /** The connection was lost; messages published from now until {@link #onConnected} are lost. */
    default void onDisconnected(String reason) {}

    /** As {@link #onConnected(boolean)}, for the services {@code affects} accepts. */
    default void onConnected(boolean reconnect, Predicate<String> affects) {
      onConnected(reconnect);
    }

    /** As {@link #onDisconnected(String)}, for the services {@code affects} accepts. */
    default void onDisconnected(String reason, Predicate<String> affects) {
      onDisconnected(reason);
    }
  }

  /** A registered listener; {@link #close()} removes it (and unsubscribes when it was the last one). */
  interface Registration extends AutoCloseable {
    /**
     * Completes once the server has confirmed the subscription. Completes exceptionally with an
     * {@link org.ktl4j.UnavailableException} when the server refuses it (the registration is then removed: it is not
     * retried), or when the connection is lost or cannot be made before the confirmation; in that last case the
     * registration stays and is subscribed again, with the others, when the connection is back.
     */
    CompletableFuture<Void> active();

    @Override
    void close();
  }

  /** Subscribes {@code listener} to a plain channel (keyspace notifications). */
  Registration subscribe(String channel, Listener listener);

  /** Subscribes {@code listener} to a glob-style pattern (keyspace notifications of a whole service). */
  Registration psubscribe(String pattern, Listener listener);

  /** Subscribes one listener to many plain channels in as few commands as possible. */
  List<Registration> subscribeAll(List<String> names, Listener listener);

  /**
   * Subscribes {@code listener} to a service's MODIFY or reply channel: {@code SSUBSCRIBE} on the node of its slot
   * behind a cluster (so that its traffic stays on that node), {@code SUBSCRIBE} otherwise.
   */
  Registration subscribeServiceChannel(String channel, Listener listener);

  /** Adds a connection listener. */
  void addConnectionListener(ConnectionListener l);

  /** Removes a connection listener. */
  void removeConnectionListener(ConnectionListener l);

  /** True while the connection that {@code name} is (or would be) subscribed on is up. */
  boolean isConnected(String name);

  /** Why the connection {@code name} is subscribed on is down, or the last failure seen there. */
  String lastError(String name);

  /** The settings these connections are made with. */
  RedisSettings settings();
}
