package org.ktl4j.redis;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.ktl4j.UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

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
 */
public final class PubSubHub implements AutoCloseable {
  /**
   * Most subscription commands waiting for the writer. Reaching it means the peer has not read our commands for a
   * long while (normal bursts are merged into batches of 1000 names as fast as they are queued), so the connection
   * is treated as dead rather than a command dropped: the new connection subscribes everything registered.
   */
  static final int DEFAULT_QUEUE_CAPACITY = 1 << 16;
  private static final Logger log = LoggerFactory.getLogger(PubSubHub.class);
  private static final String RESYNC_TOKEN = "ktl-resync";
  private static final long FIRST_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 2000;

  /** Receives messages; runs on the reader thread, must return quickly. */
  @FunctionalInterface
  public interface Listener {
    /**
     * One message.
     *
     * @param pattern the pattern it matched, or null for a channel subscription
     * @param channel the channel it was published on
     * @param message the payload, decoded as UTF-8
     */
    void onMessage(String pattern, String channel, String message);
  }

  /** Told when the connection is lost and when it is back with every subscription active. */
  public interface ConnectionListener {
    /** The connection is up and every registered subscription is confirmed; {@code reconnect} is false the first time. */
    default void onConnected(boolean reconnect) {}

    /** The connection was lost; messages published from now until {@link #onConnected} are lost. */
    default void onDisconnected(String reason) {}
  }

  /** A registered listener; {@link #close()} removes it (and unsubscribes when it was the last one). */
  public final class Registration implements AutoCloseable {
    private final PubSubTopic topic;
    private final Listener listener;
    private final CompletableFuture<Void> active = new CompletableFuture<>();
    private volatile boolean closed;

    private Registration(PubSubTopic topic, Listener listener) {
      this.topic = topic;
      this.listener = listener;
    }

    /**
     * Completes once the server has confirmed the subscription. Completes exceptionally with an
     * {@link UnavailableException} when the server refuses it (the registration is then removed: it is not retried),
     * or when the connection is lost or cannot be made before the confirmation; in that last case the registration
     * stays and is subscribed again, with the others, when the connection is back.
     */
    public CompletableFuture<Void> active() {
      return active;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        remove(this);
      }
    }
  }

  private final RedisSettings settings;
  private final Duration pingInterval;
  private final Duration deadPeerBound;
  private final int queueCapacity;
  private final Map<String, PubSubTopic> channels = new ConcurrentHashMap<>();
  private final Map<String, PubSubTopic> patterns = new ConcurrentHashMap<>();
  private final List<ConnectionListener> connectionListeners = new CopyOnWriteArrayList<>();
  /** Guards the registry's decisions (fresh name, confirmed, removed) and which session commands go to; no I/O under it. */
  private final Object registry = new Object();
  private final CountDownLatch closedLatch = new CountDownLatch(1);
  private final Thread reader;
  private final PubSubWriter writer;
  private final ExecutorService events;
  private PubSubSession session; // guarded by registry; null while disconnected
  private volatile boolean connected;
  private volatile boolean closed;
  private boolean everConnected; // reader thread only: a session was established before
  private volatile String lastError = "not connected yet";

  /** Starts a hub for {@code settings}, pinging every {@code pingInterval}. */
  public PubSubHub(RedisSettings settings, Duration pingInterval) {
    this(settings, pingInterval, DEFAULT_QUEUE_CAPACITY);
  }

  /** As above, with a smaller command queue for tests. */
  PubSubHub(RedisSettings settings, Duration pingInterval, int queueCapacity) {
    if (pingInterval.isNegative() || pingInterval.isZero()) {
      throw new IllegalArgumentException("ping interval must be positive, got " + pingInterval);
    }
    this.settings = settings;
    this.pingInterval = pingInterval;
    this.deadPeerBound = deadPeerBound(pingInterval, settings.timeout());
    this.queueCapacity = queueCapacity;
    String tag = settings.address();
    this.events = Executors.newSingleThreadExecutor(r -> daemon(r, "ktl-pubsub-events-" + tag));
    this.writer = new PubSubWriter(tag, pingInterval);
    this.reader = daemon(this::readLoop, "ktl-pubsub-" + tag);
    reader.start();
  }

  /**
   * How long a connection may stay completely silent before it is declared dead: {@code max(3 × pingInterval,
   * timeout + pingInterval)}. A live server answers the ping sent every interval within its command timeout, so it
   * is never silent that long; a server that stops answering (stopped, hung, unplugged) is therefore noticed at most
   * this long after the last byte it sent. 3 s with {@link RedisEndpoint#DEFAULT_PING_INTERVAL} and
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

  /** Subscribes {@code listener} to a channel. */
  public Registration subscribe(String channel, Listener listener) {
    return add(channel, false, listener);
  }

  /** Subscribes {@code listener} to a glob-style pattern. */
  public Registration psubscribe(String pattern, Listener listener) {
    return add(pattern, true, listener);
  }

  /**
   * Subscribes one listener to many channels in as few commands as possible (10,000 keywords are one
   * round of batched SUBSCRIBE commands, not 10,000).
   */
  public List<Registration> subscribeAll(List<String> names, Listener listener) {
    List<Registration> out = new ArrayList<>(names.size());
    List<PubSubTopic> fresh = new ArrayList<>();
    PubSubSession full;
    synchronized (registry) {
      for (String name : names) {
        Registration r = register(name, false, listener, fresh);
        out.add(r);
      }
      full = queueSubscribes(session, fresh, false); // under the lock: commands are queued in registry order
    }
    endIfFull(full);
    return out;
  }

  /** Adds a connection listener. */
  public void addConnectionListener(ConnectionListener l) {
    connectionListeners.add(l);
  }

  /** Removes a connection listener. */
  public void removeConnectionListener(ConnectionListener l) {
    connectionListeners.remove(l);
  }

  /** True while the connection is up (from the moment it is made until it is lost). */
  public boolean isConnected() {
    return connected;
  }

  /** Why the connection is down, or the last failure seen (including a refused subscription). */
  public String lastError() {
    return lastError;
  }

  /** The settings this hub connects with. */
  public RedisSettings settings() {
    return settings;
  }

  /** Number of channel subscriptions (not listeners) currently registered. */
  public int channelCount() {
    return channels.size();
  }

  /** Number of pattern subscriptions currently registered. */
  public int patternCount() {
    return patterns.size();
  }

  private Registration add(String name, boolean pattern, Listener listener) {
    List<PubSubTopic> fresh = new ArrayList<>(1);
    Registration r;
    PubSubSession full;
    synchronized (registry) {
      r = register(name, pattern, listener, fresh);
      // queued under the registry lock, so that a concurrent last remove's UNSUBSCRIBE cannot overtake it
      full = queueSubscribes(session, fresh, pattern);
    }
    endIfFull(full);
    return r;
  }

  /** Adds a registration for name; collects its topic in {@code fresh} if a SUBSCRIBE must be sent. Under registry. */
  private Registration register(String name, boolean pattern, Listener listener, List<PubSubTopic> fresh) {
    Map<String, PubSubTopic> map = pattern ? patterns : channels;
    PubSubTopic t = map.get(name);
    if (t == null) {
      t = new PubSubTopic(name, pattern);
      map.put(name, t);
      fresh.add(t);
    }
    Registration r = new Registration(t, listener);
    t.registrations.add(r);
    if (t.confirmed) {
      r.active.complete(null); // nobody holds r yet: no callback runs under the lock
    }
    return r;
  }

  private void remove(Registration r) {
    PubSubTopic t = r.topic;
    PubSubSession full = null;
    synchronized (registry) {
      if (!t.registrations.remove(r) || !t.registrations.isEmpty()) {
        return;
      }
      if (!(t.pattern ? patterns : channels).remove(t.name, t)) {
        return; // refused earlier: nothing is subscribed
      }
      PubSubSession s = session;
      if (s != null && !s.offer(PubSubCommand.unsubscribe(t))) {
        full = s;
      } // no session: the next connection subscribes only what is registered
    }
    endIfFull(full);
  }

  /** Queues SUBSCRIBE commands for {@code topics} on s; returns s if its queue is full, else null. Under registry. */
  private PubSubSession queueSubscribes(PubSubSession s, List<PubSubTopic> topics, boolean pattern) {
    if (s == null) {
      return null; // sent by the reader when it (re)connects
    }
    for (int i = 0; i < topics.size(); i += PubSubWriter.BATCH) {
      if (!s.offer(PubSubCommand.subscribe(topics.subList(i, Math.min(topics.size(), i + PubSubWriter.BATCH)), pattern))) {
        return s;
      }
    }
    return null;
  }

  /** Ends a session whose queue overflowed; outside the registry lock, as closing a socket may take a moment. */
  private void endIfFull(PubSubSession full) {
    if (full != null) {
      String reason = "Redis at " + settings.address() + " is not reading our commands (" + queueCapacity
          + " pub/sub commands waiting to be sent)";
      log.warn("{}; reconnecting", reason);
      full.end(reason);
    }
  }

  // ---- reader thread ----

  private void readLoop() {
    long backoffMs = FIRST_BACKOFF_MS;
    String lastRefusal = null;
    while (!closed) {
      PubSubConnection c;
      try {
        c = new PubSubConnection(settings.hostAndPort(), settings.clientConfig("ktl-pubsub", deadPeerBound));
        c.setSoTimeout((int) Math.min(Integer.MAX_VALUE, deadPeerBound.toMillis()));
      } catch (JedisDataException e) { // WRONGPASS, NOPERM on the handshake: retrying soon will not help
        lastError = "Redis at " + settings.address() + " refused the pub/sub connection: " + e.getMessage();
        if (!lastError.equals(lastRefusal)) {
          log.error("{}; retrying every {} ms", lastError, MAX_BACKOFF_MS);
          lastRefusal = lastError;
        }
        failPending(lastError);
        if (pause(MAX_BACKOFF_MS)) {
          break;
        }
        continue;
      } catch (RuntimeException e) {
        lastError = "cannot connect to Redis at " + settings.address() + ": " + describe(e);
        failPending(lastError);
        log.debug("pub/sub connection to {} unavailable ({}); retrying in {} ms", settings.address(), lastError,
            backoffMs);
        if (pause(backoffMs)) {
          break;
        }
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
        continue;
      }
      lastRefusal = null;
      PubSubSession s = run(c);
      String reason = s.endReason();
      if (s.announced) {
        backoffMs = FIRST_BACKOFF_MS;
      }
      if (closed) {
        break;
      }
      if (pause(backoffMs)) {
        break;
      }
      backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      log.debug("reconnecting pub/sub to {} after: {}", settings.address(), reason);
    }
  }

  /** Waits before the next connection attempt; true if the hub was closed meanwhile. */
  private boolean pause(long ms) {
    try {
      return closedLatch.await(ms, TimeUnit.MILLISECONDS);
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
      int resubscribe = batches(channels.size()) + batches(patterns.size()) + 1;
      s = new PubSubSession(c, queueCapacity + resubscribe);
      if (closed) {
        s.end("closed");
        return s;
      }
      session = s;
      connected = true;
      s.reconnect = everConnected;
      everConnected = true;
      queueSubscribes(s, new ArrayList<>(channels.values()), false);
      queueSubscribes(s, new ArrayList<>(patterns.values()), true);
      s.offer(PubSubCommand.ping(RESYNC_TOKEN)); // its pong follows every confirmation above
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
          refused(s, e);
          continue;
        }
        onFrame(s, reply);
      }
      reason = "closed";
    } catch (JedisConnectionException e) {
      reason = s.endReason() != null ? s.endReason() : lostReason(e);
    } catch (RuntimeException e) { // a reply we cannot match, or anything else: the loop must never die
      reason = s.endReason() != null ? s.endReason() : "pub/sub connection to " + settings.address() + " failed: " + e;
      if (s.endReason() == null && !closed) {
        log.warn("pub/sub connection to {} failed unexpectedly: {}", settings.address(), e.toString(), e);
      }
    }
    s.end(reason);
    reason = s.endReason(); // the first reason wins (e.g. the writer's, or the queue's)
    lastError = reason;
    List<Registration> pending = new ArrayList<>();
    synchronized (registry) {
      session = null;
      connected = false;
      for (Map<String, PubSubTopic> map : List.of(channels, patterns)) {
        for (PubSubTopic t : map.values()) {
          t.confirmed = false;
          for (Registration r : t.registrations) {
            if (!r.active.isDone()) {
              pending.add(r);
            }
          }
        }
      }
    }
    fail(pending, reason);
    try {
      s.connection.close();
    } catch (RuntimeException ignored) {
      // already aborted
    }
    if (!closed) { // even if not announced yet: some subscriptions may have been confirmed, and are lost now
      log.warn("lost pub/sub connection to {}: {}; reconnecting", settings.address(), reason);
      String r = reason;
      fire(l -> l.onDisconnected(r));
    }
    return s;
  }

  private static int batches(int names) {
    return (names + PubSubWriter.BATCH - 1) / PubSubWriter.BATCH;
  }

  private String lostReason(JedisConnectionException e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SocketTimeoutException) {
        return "no answer from Redis at " + settings.address() + " for " + deadPeerBound.toMillis() + " ms (keep-alive)";
      }
    }
    return "connection to Redis at " + settings.address() + " lost: " + describe(e);
  }

  /** One frame: a message, or a reply to the oldest command in flight (Redis answers in order). RESP2 only. */
  private void onFrame(PubSubSession s, Object frame) {
    if (frame instanceof byte[]) { // PONG outside subscribed mode, i.e. while nothing is subscribed
      answered(s, "pong");
      return;
    }
    if (!(frame instanceof List<?> list) || list.isEmpty() || !(list.get(0) instanceof byte[] kindRaw)) {
      throw new IllegalStateException("unexpected pub/sub frame from Redis at " + settings.address() + ": " + frame);
    }
    String kind = SafeEncoder.encode(kindRaw);
    switch (kind) {
      case "message" -> {
        String channel = SafeEncoder.encode((byte[]) list.get(1));
        PubSubTopic t = channels.get(channel);
        if (t != null) {
          String message = decode(list.get(2));
          for (Registration r : t.registrations) {
            deliver(r, null, channel, message);
          }
        }
      }
      case "pmessage" -> {
        PubSubTopic t = patterns.get(SafeEncoder.encode((byte[]) list.get(1)));
        if (t != null) {
          String channel = SafeEncoder.encode((byte[]) list.get(2));
          String message = decode(list.get(3));
          for (Registration r : t.registrations) {
            deliver(r, t.name, channel, message);
          }
        }
      }
      default -> answered(s, kind);
    }
  }

  private void answered(PubSubSession s, String kind) {
    PubSubCommand c = s.oldest();
    if (c == null || !c.kind.reply.equals(kind)) {
      throw new IllegalStateException("reply '" + kind + "' from Redis at " + settings.address()
          + " does not answer the command sent (" + c + "); reconnecting to resynchronise");
    }
    int index = c.answered++;
    if (c.answered == c.expectedReplies()) {
      s.answered();
    }
    switch (c.kind) {
      case SUBSCRIBE, PSUBSCRIBE -> confirm(c.topics.get(index));
      case PING -> {
        if (RESYNC_TOKEN.equals(c.token)) {
          resynced(s);
        }
      }
      default -> { } // UNSUBSCRIBE: nothing waits for it
    }
  }

  private void confirm(PubSubTopic t) {
    List<Registration> waiting = new ArrayList<>();
    synchronized (registry) { // add() decides under this lock whether a registration waits for a confirmation
      if ((t.pattern ? patterns : channels).get(t.name) != t) {
        return; // unregistered since: its UNSUBSCRIBE is on the way
      }
      t.confirmed = true;
      for (Registration r : t.registrations) {
        if (!r.active.isDone()) {
          waiting.add(r);
        }
      }
    }
    for (Registration r : waiting) { // outside the lock: completion runs the caller's dependent stages
      r.active.complete(null);
    }
  }

  private void resynced(PubSubSession s) {
    if (--s.resyncsPending > 0 || s.announced) {
      return;
    }
    s.announced = true;
    boolean reconnect = s.reconnect;
    lastError = "connected";
    if (reconnect) {
      log.info("pub/sub connection to {} restored; {} channels and {} patterns resubscribed", settings.address(),
          channels.size(), patterns.size());
    }
    fire(l -> l.onConnected(reconnect));
  }

  /** An error reply: Redis refused the oldest command in flight as a whole. */
  private void refused(PubSubSession s, JedisDataException e) {
    PubSubCommand c = s.oldest();
    if (c == null || c.answered > 0) {
      throw new IllegalStateException("error reply from Redis at " + settings.address() + " that answers no command ("
          + c + "): " + e.getMessage());
    }
    s.answered();
    switch (c.kind) {
      case PING -> { // e.g. an ACL without +ping: still an answer, and still in order
        log.debug("Redis at {} answered PING with an error: {}", settings.address(), e.getMessage());
        if (RESYNC_TOKEN.equals(c.token)) {
          resynced(s);
        }
      }
      case UNSUBSCRIBE, PUNSUBSCRIBE -> log.warn("Redis at {} refused to unsubscribe {}: {}", settings.address(),
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
    PubSubSession full = null;
    synchronized (registry) {
      for (PubSubTopic t : topics) {
        if ((t.pattern ? patterns : channels).get(t.name) == t && !t.confirmed
            && !s.offer(PubSubCommand.subscribeAlone(t))) {
          full = s;
          break;
        }
      }
      if (full == null && !s.announced) {
        s.resyncsPending++;
        if (!s.offer(PubSubCommand.ping(RESYNC_TOKEN))) {
          full = s;
        }
      }
    }
    endIfFull(full);
  }

  /** The server refused to subscribe t: fail its registrations with one clear error and forget it. */
  private void refuse(PubSubTopic t, JedisDataException e) {
    List<Registration> refusedRegs;
    synchronized (registry) {
      (t.pattern ? patterns : channels).remove(t.name, t);
      refusedRegs = new ArrayList<>(t.registrations);
    }
    String message = "cannot subscribe to " + t.describe() + ": Redis at " + settings.address()
        + settings.user().map(u -> " (user '" + u + "')").orElse("") + " refused it: " + e.getMessage()
        + (e instanceof JedisAccessControlException ? "; the user's ACL must allow the channel (&pattern)" : "");
    lastError = message;
    log.error(message);
    UnavailableException failure = new UnavailableException(message, e);
    for (Registration r : refusedRegs) {
      r.active.completeExceptionally(failure);
    }
  }

  /** Fails the registrations still waiting for a confirmation: the connection they wait for is down. */
  private void failPending(String reason) {
    List<Registration> pending = new ArrayList<>();
    synchronized (registry) {
      for (Map<String, PubSubTopic> map : List.of(channels, patterns)) {
        for (PubSubTopic t : map.values()) {
          for (Registration r : t.registrations) {
            if (!r.active.isDone()) {
              pending.add(r);
            }
          }
        }
      }
    }
    fail(pending, reason);
  }

  private void fail(List<Registration> pending, String reason) {
    for (Registration r : pending) {
      r.active.completeExceptionally(new UnavailableException("subscription to " + r.topic.describe()
          + " on Redis at " + settings.address() + " not confirmed: " + reason
          + "; it stays registered and is subscribed again when the connection is back"));
    }
  }

  private static String decode(Object payload) {
    return payload == null ? null : SafeEncoder.encode((byte[]) payload);
  }

  private void fire(Consumer<ConnectionListener> event) {
    if (connectionListeners.isEmpty()) {
      return;
    }
    try {
      events.execute(() -> {
        for (ConnectionListener l : connectionListeners) {
          try {
            event.accept(l);
          } catch (RuntimeException e) {
            log.warn("connection listener failed: {}", e.toString(), e);
          }
        }
      });
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private static void deliver(Registration r, String pattern, String channel, String message) {
    try {
      r.listener.onMessage(pattern, channel, message);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) { // a listener's failure must not end the reader thread of the whole process
      log.warn("pub/sub listener for {} failed: {}", r.topic.name, e.toString(), e);
    }
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
      s = session;
    }
    closedLatch.countDown();
    if (s != null) {
      s.end("closed"); // unblocks the reader and the writer; interrupt would not
    }
    long wait = settings.timeout().toMillis() + 1000; // the reader may be in a connect attempt
    try {
      reader.join(wait);
      writer.close(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    events.shutdown();
    try {
      events.awaitTermination(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    events.shutdownNow();
  }
}
