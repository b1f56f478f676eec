package org.ktl4j.internal.redis;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.ktl4j.UnavailableException;
import org.ktl4j.redis.RedisSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The one pub/sub connection of a process to one Redis node. <b>This class owns that connection</b> and the
 * threads that read and write it; every channel and pattern subscription of the process (the dispatcher's MODIFY
 * channel, the client's keyspace notifications, reply channels) shares it.
 *
 * <p>Jedis neither reconnects nor resubscribes, so this class does: a reader thread ({@code ktl-pubsub-HOST:PORT})
 * connects on a dedicated (never pooled) connection, reads it, and on any failure reconnects with backoff and
 * subscribes everything registered again. Only the writer thread ({@code ktl-pubsub-writer-HOST:PORT}) writes to the
 * socket: {@link #subscribe} and {@link Registration#close()} update the registry and queue a command, so no caller
 * and not the reader ever waits for the network, however slow or dead the peer. After every (re)connection, once all
 * subscriptions are confirmed, {@link ConnectionListener}s are told on a third thread ({@code ktl-pubsub-events-…}),
 * because pub/sub is at-most-once: whoever depends on it must re-read state then.
 *
 * <p>Keep-alive: the writer pings every ping interval, so a live server is never silent for long; a server from which
 * nothing at all arrives for {@link #deadPeerBound()} ({@code max(3 × ping interval, timeout + ping interval)}, 3 s
 * with the defaults) is declared dead, the connection closed and re-established. A peer that stops answering is
 * therefore noticed within that bound. A subscription the server refuses ({@code -NOPERM}: an ACL without that channel)
 * fails its registrations with one clear error and is forgotten; the connection and every other subscription stay.
 *
 * <p>Listeners run <b>on the reader thread</b> and must only decode and hand off; they must never block or call
 * Redis. Thread-safe: subscriptions may be added and removed from any thread at any time. Cost: three threads per hub
 * (reader, writer, events), one TCP connection; messages are delivered without locks.
 *
 * <p>Its parts: {@link PubSubRegistry} (what is subscribed, and where commands go), {@link PubSubWriter} (the writer
 * thread), {@link PubSubReceiver} (what the reader does with each frame), {@link PubSubStatus} (connection state and
 * listeners), {@link PubSubSession} (one life of the connection).
 */
public final class PubSubHub implements PubSub, AutoCloseable {
  /**
   * Most subscription commands waiting for the writer. Reaching it means the peer has not read our commands for a
   * long while (normal bursts are merged into batches of 1000 names as fast as they are queued), so the connection
   * is treated as dead rather than a command dropped: the new connection subscribes everything registered.
   */
  static final int DEFAULT_QUEUE_CAPACITY = 1 << 16;
  private static final Logger log = LoggerFactory.getLogger(PubSubHub.class);
  private static final long FIRST_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 2000;

  /** A listener registered on this hub; {@link #close()} removes it (and unsubscribes when it was the last one). */
  final class HubRegistration implements Registration {
    final PubSubTopic topic;
    final Listener listener;
    private final CompletableFuture<Void> active = new CompletableFuture<>();
    private volatile boolean closed;

    private HubRegistration(PubSubTopic topic, Listener listener) {
      this.topic = topic;
      this.listener = listener;
    }

    @Override
    public CompletableFuture<Void> active() {
      return active;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        registry.remove(this);
      }
    }
  }

  private final RedisSettings settings;
  private final Duration pingInterval;
  private final Duration deadPeerBound;
  private final int queueCapacity;
  /** A cluster node's hub: service channels are shard channels. */
  private final boolean sharded;
  /** The server, as named in thread names and messages: {@code host:port}, or the deployment for a followed one. */
  private final String tag;
  /**
   * What is subscribed. Its monitor is the registry lock: it guards the registry's decisions (fresh name, confirmed,
   * removed), which session commands go to and, here, closing against a new session; no I/O under it.
   */
  private final PubSubRegistry registry;
  /** Where to connect, asked at every (re)connection (behind Sentinel: the current master). */
  private final Supplier<HostAndPort> address;
  private final PubSubStatus status;
  private final PubSubReceiver receiver;
  private final CountDownLatch closedLatch = new CountDownLatch(1);
  private final Thread reader;
  private final PubSubWriter writer;
  private volatile boolean closed; // written under the registry lock
  private boolean everConnected; // reader thread only: a session was established before
  private HostAndPort lastAttempt; // reader thread only: where the last connection attempt went

  /** Starts a hub for {@code settings}, pinging every {@code pingInterval}. */
  public PubSubHub(RedisSettings settings, Duration pingInterval) {
    this(settings, pingInterval, DEFAULT_QUEUE_CAPACITY, standalone(settings), null, settings.address());
  }

  private static Supplier<HostAndPort> standalone(RedisSettings settings) {
    if (settings.sentinel().isPresent() || settings.cluster().isPresent()) {
      throw new IllegalArgumentException("a pub/sub hub behind Sentinel or on a cluster follows the topology: use "
          + "RedisConnections.pubSub()");
    }
    return () -> JedisSettings.hostAndPort(settings);
  }

  /** Starts a hub that connects, at every (re)connection, to the address {@code address} names then. */
  PubSubHub(RedisSettings settings, Duration pingInterval, Supplier<HostAndPort> address) {
    this(settings, pingInterval, DEFAULT_QUEUE_CAPACITY, address, null, settings.address());
  }

  /**
   * Told, on the reader thread, that this node does not (or no longer) serve a shard channel's slot: it dropped the
   * channel by itself ({@code target} null: the hub subscribes it again, which is refused with {@code MOVED} if the
   * slot is elsewhere), or refused it with {@code MOVED}/{@code ASK} naming {@code target}. Must not block.
   */
  @FunctionalInterface
  interface SlotMoved {
    void moved(String channel, HostAndPort target);
  }

  /**
   * Starts the hub of one cluster node: service channels are shard channels ({@code SSUBSCRIBE}), and
   * {@code slotMoved} is told when the node says a slot has left it.
   */
  static PubSubHub clusterNode(RedisSettings settings, Duration pingInterval, HostAndPort node, SlotMoved slotMoved) {
    return new PubSubHub(settings, pingInterval, DEFAULT_QUEUE_CAPACITY, () -> node, slotMoved, node.toString());
  }

  /** As above, with a smaller command queue for tests. */
  PubSubHub(RedisSettings settings, Duration pingInterval, int queueCapacity) {
    this(settings, pingInterval, queueCapacity, () -> JedisSettings.hostAndPort(settings), null, settings.address());
  }

  private PubSubHub(RedisSettings settings, Duration pingInterval, int queueCapacity, Supplier<HostAndPort> address,
      SlotMoved slotMoved, String tag) {
    if (pingInterval.isNegative() || pingInterval.isZero()) {
      throw new IllegalArgumentException("ping interval must be positive, got " + pingInterval);
    }
    this.settings = settings;
    this.address = address;
    this.pingInterval = pingInterval;
    this.deadPeerBound = deadPeerBound(pingInterval, settings.timeout());
    this.queueCapacity = queueCapacity;
    this.sharded = slotMoved != null;
    this.tag = tag;
    this.status = new PubSubStatus(tag); // the events thread, ktl-pubsub-events-HOST:PORT
    this.registry = new PubSubRegistry(tag, queueCapacity);
    this.receiver = new PubSubReceiver(settings, tag, registry, status, slotMoved != null ? slotMoved : (c, t) -> { });
    this.writer = new PubSubWriter(tag, pingInterval);
    this.reader = daemon(this::readLoop, "ktl-pubsub-" + tag);
    reader.start();
  }

  /**
   * How long a connection may stay completely silent before it is declared dead: {@code max(3 × pingInterval,
   * timeout + pingInterval)}. A live server answers the ping sent every interval within its command timeout, so it
   * is never silent that long; a server that stops answering (stopped, hung, unplugged) is therefore noticed at most
   * this long after the last byte it sent. 3 s with {@link RedisConnections#DEFAULT_PING_INTERVAL} and
   * {@link RedisSettings#DEFAULT_TIMEOUT}.
   */
  public static Duration deadPeerBound(Duration pingInterval, Duration timeout) {
    Duration three = pingInterval.multipliedBy(3);
    Duration answer = timeout.plus(pingInterval);
    return three.compareTo(answer) >= 0 ? three : answer;
  }

  /** {@link #deadPeerBound(Duration, Duration)} for this hub's ping interval and timeout. */
  public Duration deadPeerBound() {
    return deadPeerBound;
  }

  /** The keep-alive interval this hub pings at. */
  public Duration pingInterval() {
    return pingInterval;
  }

  @Override
  public Registration subscribe(String channel, Listener listener) {
    return add(channel, PubSubTopic.Kind.CHANNEL, listener);
  }

  @Override
  public Registration psubscribe(String pattern, Listener listener) {
    return add(pattern, PubSubTopic.Kind.PATTERN, listener);
  }

  @Override
  public Registration subscribeServiceChannel(String channel, Listener listener) {
    return add(channel, sharded ? PubSubTopic.Kind.SHARD : PubSubTopic.Kind.CHANNEL, listener);
  }

  /**
   * Subscribes one listener to many channels in as few commands as possible (10,000 keywords are one
   * round of batched SUBSCRIBE commands, not 10,000).
   */
  @Override
  public List<Registration> subscribeAll(List<String> names, Listener listener) {
    return List.copyOf(registry.add(names, PubSubTopic.Kind.CHANNEL, t -> new HubRegistration(t, listener)));
  }

  @Override
  public void addConnectionListener(ConnectionListener l) {
    status.addListener(l);
  }

  @Override
  public void removeConnectionListener(ConnectionListener l) {
    status.removeListener(l);
  }

  @Override
  public boolean isConnected(String name) {
    return isConnected();
  }

  @Override
  public String lastError(String name) {
    return lastError();
  }

  /** True while the connection is up (from the moment it is made until it is lost). */
  public boolean isConnected() {
    return status.isConnected();
  }

  /** Why the connection is down, or the last failure seen (including a refused subscription). */
  public String lastError() {
    return status.lastError();
  }

  @Override
  public RedisSettings settings() {
    return settings;
  }

  /** Number of channel subscriptions (not listeners) currently registered. */
  public int channelCount() {
    return registry.channelCount();
  }

  /** Number of pattern subscriptions currently registered. */
  public int patternCount() {
    return registry.patternCount();
  }

  /** Number of shard channel subscriptions currently registered. */
  public int shardChannelCount() {
    return registry.shardCount();
  }

  /** Whether no subscription at all is registered. */
  boolean isIdle() {
    return registry.channelCount() + registry.patternCount() + registry.shardCount() == 0;
  }

  private Registration add(String name, PubSubTopic.Kind kind, Listener listener) {
    return registry.add(List.of(name), kind, t -> new HubRegistration(t, listener)).get(0);
  }

  // ---- reader thread ----

  private void readLoop() {
    long backoffMs = FIRST_BACKOFF_MS;
    String lastRefusal = null;
    while (!closed) {
      PubSubConnection c;
      try {
        lastAttempt = address.get();
        c = new PubSubConnection(lastAttempt, JedisSettings.clientConfig(settings, "ktl-pubsub", deadPeerBound));
        c.setSoTimeout((int) Math.min(Integer.MAX_VALUE, deadPeerBound.toMillis()));
        if (settings.sentinel().isPresent()) {
          c.requireMaster(lastAttempt);
        }
      } catch (JedisDataException e) { // WRONGPASS, NOPERM on the handshake: retrying soon will not help
        String refusal = "Redis at " + tag + " refused the pub/sub connection: " + e.getMessage();
        status.lastError(refusal);
        if (!refusal.equals(lastRefusal)) {
          log.error("{}; retrying every {} ms", refusal, MAX_BACKOFF_MS);
          lastRefusal = refusal;
        }
        registry.failPending(refusal);
        if (pause(MAX_BACKOFF_MS)) {
          break;
        }
        continue;
      } catch (RuntimeException e) {
        String error = TlsFailure.explain(e, settings)
            .orElseGet(() -> "cannot connect to Redis at " + tag + ": " + describe(e));
        status.lastError(error);
        registry.failPending(error);
        log.debug("pub/sub connection to {} unavailable ({}); retrying in {} ms", tag, error,
            backoffMs);
        if (pause(backoffMs)) {
          break;
        }
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
        continue;
      }
      lastRefusal = null;
      long startedNanos = System.nanoTime();
      PubSubSession s = run(c);
      String reason = s.endReason();
      if (closed) {
        break;
      }
      if (s.announced && System.nanoTime() - startedNanos >= TimeUnit.MILLISECONDS.toNanos(MAX_BACKOFF_MS)) {
        // it worked for a while: reconnect at once (requests may be arriving); a connection dropped again and again
        // (e.g. by Redis's output-buffer limit under a flood of huge messages) backs off as usual
        backoffMs = FIRST_BACKOFF_MS;
        log.debug("reconnecting pub/sub to {} at once after: {}", tag, reason);
        continue;
      }
      if (s.announced) {
        backoffMs = FIRST_BACKOFF_MS;
      }
      if (pause(backoffMs)) {
        break;
      }
      backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      log.debug("reconnecting pub/sub to {} after: {}", tag, reason);
    }
  }



  /**
   * Waits {@code ms} before the next attempt; true if the hub was closed meanwhile. Ends early when the address to
   * connect to changes (behind Sentinel: a new master was named), so that a failover is followed at once.
   */
  private boolean pause(long ms) {
    HostAndPort before = lastAttempt != null ? lastAttempt : address.get();
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    try {
      for (long left = ms; left > 0; left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())) {
        if (closedLatch.await(Math.min(left, 50), TimeUnit.MILLISECONDS)) {
          return true;
        }
        if (!before.equals(address.get())) {
          return false;
        }
      }
      return closedLatch.getCount() == 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /** Subscribes everything registered on c, reads it until it fails, and cleans up; returns the ended session. */
  private PubSubSession run(PubSubConnection c) {
    PubSubSession s;
    synchronized (registry) {
      // the queue gets room for the resubscription on top of its capacity: however much is registered, a new
      // connection must be able to subscribe it all
      int resubscribe = registry.subscribeCommands() + 1;
      s = new PubSubSession(c, queueCapacity + resubscribe);
      if (closed) {
        s.end("closed");
        return s;
      }
      status.connected(true);
      s.reconnect = everConnected;
      everConnected = true;
      registry.attach(s); // commands go to s from now on, the first ones subscribing everything registered
      s.offer(PubSubCommand.ping(PubSubReceiver.RESYNC_TOKEN)); // its pong follows every confirmation above
      s.resyncsPending = 1;
    }
    writer.serve(s);
    String reason;
    try {
      while (!closed) {
        Object reply;
        try {
          reply = s.connection.read();
        } catch (JedisDataException e) { // an error reply: the connection is intact, one command was refused
          receiver.refused(s, e);
          continue;
        }
        receiver.onFrame(s, reply);
      }
      reason = "closed";
    } catch (JedisConnectionException e) {
      reason = s.endReason() != null ? s.endReason() : lostReason(e);
    } catch (RuntimeException e) { // a reply we cannot match, or anything else: the loop must never die
      reason = s.endReason() != null ? s.endReason() : "pub/sub connection to " + tag + " failed: " + e;
      if (s.endReason() == null && !closed) {
        log.warn("pub/sub connection to {} failed unexpectedly: {}", tag, e.toString(), e);
      }
    }
    s.end(reason);
    reason = s.endReason(); // the first reason wins (e.g. the writer's, or the queue's)
    status.lastError(reason);
    List<HubRegistration> pending;
    synchronized (registry) {
      pending = registry.detach();
      status.connected(false);
    }
    registry.fail(pending, reason);
    try {
      s.connection.close();
    } catch (RuntimeException ignored) {
      // already aborted
    }
    if (!closed) { // even if not announced yet: some subscriptions may have been confirmed, and are lost now
      log.warn("lost pub/sub connection to {}: {}; reconnecting", tag, reason);
      String r = reason;
      status.fire(l -> l.onDisconnected(r, ALL_SERVICES));
    }
    return s;
  }

  private String lostReason(JedisConnectionException e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SocketTimeoutException) {
        return "no answer from Redis at " + tag + " for " + deadPeerBound.toMillis() + " ms (keep-alive)";
      }
    }
    String cause = describe(e);
    if (cause.contains("end of stream")) { // Redis closed it: say what usually makes it do that to a subscriber
      return "connection to Redis at " + tag + " closed by Redis (" + cause + "): it closes a subscriber "
          + "that falls behind by more than client-output-buffer-limit pubsub (32 MB at once or 8 MB for 60 s by "
          + "default; messages sent meanwhile are lost), on CLIENT KILL, and on shutdown";
    }
    return "connection to Redis at " + tag + " lost: " + cause;
  }

  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = e.getMessage();
    return root == e || m == null ? String.valueOf(m) : m + " (" + root.getMessage() + ")";
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Stops the reader, writer and event threads and closes the connection. Idempotent; bounded by the timeout. */
  @Override
  public void close() {
    PubSubSession s;
    synchronized (registry) {
      if (closed) {
        return;
      }
      closed = true;
      s = registry.session();
    }
    closedLatch.countDown();
    if (s != null) {
      s.end("closed"); // unblocks the reader and the writer; interrupt would not
    }
    long wait = settings.timeout().toMillis() + 1000; // the reader may be in a connect attempt
    try {
      reader.join(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        writer.close(wait); // even when interrupted: the writer thread must not outlive the hub
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    status.close(settings.timeout().toMillis());
  }
}
