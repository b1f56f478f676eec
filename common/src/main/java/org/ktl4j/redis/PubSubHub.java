package org.ktl4j.redis;

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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The one pub/sub connection of a process to one Redis node. <b>This class owns that connection</b> and the
 * thread that reads it; every channel and pattern subscription of the process (the dispatcher's MODIFY
 * channel, the client's keyspace notifications, reply channels) shares it.
 *
 * <p>Jedis neither reconnects nor resubscribes, so this class does: a reader thread
 * ({@code ktl-pubsub-HOST:PORT}) connects on a dedicated (never pooled) connection, subscribes to everything
 * registered, and on any failure reconnects with backoff and subscribes again. A keep-alive thread pings the
 * connection so that a dead peer is noticed within about three ping intervals (the blocking read timeout).
 * After every (re)connection, once all subscriptions are confirmed, {@link ConnectionListener}s are told on
 * a separate event thread, because pub/sub is at-most-once: whoever depends on it must re-read state then.
 *
 * <p>Listeners run <b>on the reader thread</b> and must only decode and hand off; they must never block or
 * call Redis. Thread-safe: subscriptions may be added and removed from any thread at any time. Cost: three
 * threads per hub (reader, keep-alive, events), one TCP connection; messages are delivered without locks.
 */
public final class PubSubHub implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PubSubHub.class);
  private static final AtomicLong IDS = new AtomicLong();
  private static final int BATCH = 1000;
  private static final String RESYNC_TOKEN = "ktl-resync";

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
    private final String name;
    private final boolean pattern;
    private final Listener listener;
    private final CompletableFuture<Void> active = new CompletableFuture<>();
    private volatile boolean closed;

    private Registration(String name, boolean pattern, Listener listener) {
      this.name = name;
      this.pattern = pattern;
      this.listener = listener;
    }

    /** Completes once the server has confirmed the subscription. */
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
  private final String controlChannel;
  private final Duration pingInterval;
  private final Map<String, CopyOnWriteArrayList<Registration>> channels = new ConcurrentHashMap<>();
  private final Map<String, CopyOnWriteArrayList<Registration>> patterns = new ConcurrentHashMap<>();
  private final List<ConnectionListener> connectionListeners = new CopyOnWriteArrayList<>();
  private final Object registry = new Object();
  private final Object writeLock = new Object();
  private final CountDownLatch closedLatch = new CountDownLatch(1);
  private final Thread reader;
  private final ScheduledExecutorService keepAlive;
  private final ExecutorService events;
  private volatile Connection connection;
  private volatile Subscriber active;
  private volatile boolean closed;
  private volatile boolean everConnected;
  private volatile String lastError = "not connected yet";

  /** Starts a hub for {@code settings}, pinging every {@code pingInterval}. */
  public PubSubHub(RedisSettings settings, Duration pingInterval) {
    this.settings = settings;
    this.pingInterval = pingInterval;
    this.controlChannel = "ktl:pubsub:" + ProcessIdentity.id() + ":" + IDS.incrementAndGet();
    String tag = settings.address();
    this.events = Executors.newSingleThreadExecutor(r -> daemon(r, "ktl-pubsub-events-" + tag));
    this.keepAlive = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "ktl-pubsub-keepalive-" + tag));
    this.reader = daemon(this::readLoop, "ktl-pubsub-" + tag);
    reader.start();
    long ms = pingInterval.toMillis();
    keepAlive.scheduleWithFixedDelay(this::ping, ms, ms, TimeUnit.MILLISECONDS);
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
    List<String> fresh = new ArrayList<>();
    synchronized (registry) {
      for (String name : names) {
        Registration r = new Registration(name, false, listener);
        if (register(channels, r)) {
          fresh.add(name);
        } else if (!pendingFor(channels, name)) {
          r.active.complete(null);
        }
        out.add(r);
      }
      sendSubscribe(fresh, false); // under the registry lock: commands go out in registry order
    }
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

  /** True while the connection is up and subscribed. */
  public boolean isConnected() {
    return active != null;
  }

  /** Why the connection is down, or the last failure seen. */
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
    Registration r = new Registration(name, pattern, listener);
    boolean fresh;
    synchronized (registry) {
      Map<String, CopyOnWriteArrayList<Registration>> map = pattern ? patterns : channels;
      fresh = register(map, r);
      if (!fresh && !pendingFor(map, name)) {
        r.active.complete(null);
      }
      if (fresh) {
        // under the registry lock, so that a concurrent last remove's UNSUBSCRIBE cannot overtake it
        sendSubscribe(List.of(name), pattern);
      }
    }
    return r;
  }

  /** Adds r; true if the name had no registration before (a SUBSCRIBE must be sent). */
  private static boolean register(Map<String, CopyOnWriteArrayList<Registration>> map, Registration r) {
    CopyOnWriteArrayList<Registration> list = map.computeIfAbsent(r.name, k -> new CopyOnWriteArrayList<>());
    list.add(r);
    return list.size() == 1;
  }

  private static boolean pendingFor(Map<String, CopyOnWriteArrayList<Registration>> map, String name) {
    CopyOnWriteArrayList<Registration> list = map.get(name);
    if (list == null) {
      return true;
    }
    for (Registration r : list) {
      if (!r.active.isDone()) {
        return true;
      }
    }
    return false;
  }

  private void remove(Registration r) {
    synchronized (registry) {
      Map<String, CopyOnWriteArrayList<Registration>> map = r.pattern ? patterns : channels;
      CopyOnWriteArrayList<Registration> list = map.get(r.name);
      if (list == null || !list.remove(r) || !list.isEmpty()) {
        return;
      }
      map.remove(r.name);
      Subscriber s = active;
      if (s == null) {
        return; // not subscribed now; the next connection subscribes only what is registered
      }
      try {
        synchronized (writeLock) {
          if (r.pattern) {
            s.punsubscribe(r.name);
          } else {
            s.unsubscribe(r.name);
          }
        }
      } catch (JedisException e) {
        log.debug("unsubscribe {} on {} failed (connection is being replaced): {}", r.name, settings.address(),
            e.getMessage());
      }
    }
  }

  private void sendSubscribe(List<String> names, boolean pattern) {
    Subscriber s = active;
    if (s == null || names.isEmpty()) {
      return; // sent by the reader when it (re)connects
    }
    try {
      for (int i = 0; i < names.size(); i += BATCH) {
        String[] batch = names.subList(i, Math.min(names.size(), i + BATCH)).toArray(new String[0]);
        synchronized (writeLock) {
          if (pattern) {
            s.psubscribe(batch);
          } else {
            s.subscribe(batch);
          }
        }
      }
    } catch (JedisException e) {
      log.debug("subscribe on {} failed (will resubscribe on reconnect): {}", settings.address(), e.getMessage());
    }
  }

  private void readLoop() {
    long backoffMs = 100;
    while (!closed) {
      Connection c = null;
      try {
        c = new Connection(settings.hostAndPort(), settings.clientConfig("ktl-pubsub", blockingTimeout()));
        connection = c;
        if (closed) {
          break;
        }
        Subscriber s = new Subscriber();
        s.proceed(c, controlChannel);
        lastError = "subscription ended";
      } catch (RuntimeException e) { // JedisException, or anything else: the loop must never die
        lastError = describe(e);
        if (!(e instanceof JedisException) && !(e instanceof IllegalStateException)) {
          log.warn("pub/sub connection to {} failed unexpectedly: {}", settings.address(), e.toString(), e);
        }
      } finally {
        boolean wasActive = active != null;
        active = null;
        connection = null;
        if (c != null) {
          try {
            c.close();
          } catch (RuntimeException ignored) {
            // already broken
          }
        }
        if (wasActive && !closed) {
          backoffMs = 100;
          log.warn("lost pub/sub connection to {}: {}; reconnecting", settings.address(), lastError);
          String reason = lastError;
          fire(l -> l.onDisconnected(reason));
        }
      }
      if (closed) {
        break;
      }
      log.debug("pub/sub connection to {} unavailable ({}); retrying in {} ms", settings.address(), lastError, backoffMs);
      try {
        if (closedLatch.await(backoffMs, TimeUnit.MILLISECONDS)) {
          break;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      backoffMs = Math.min(backoffMs * 2, 2000);
    }
  }

  private Duration blockingTimeout() {
    Duration three = pingInterval.multipliedBy(3);
    return three.compareTo(settings.timeout()) > 0 ? three : settings.timeout().plus(pingInterval);
  }

  private void ping() {
    Subscriber s = active;
    if (s == null) {
      return;
    }
    try {
      synchronized (writeLock) {
        s.ping();
      }
    } catch (RuntimeException e) {
      log.debug("keep-alive ping on {} failed: {}", settings.address(), e.getMessage());
    }
  }

  private void fire(java.util.function.Consumer<ConnectionListener> event) {
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
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  /** The JedisPubSub of one connection; callbacks run on the reader thread. */
  private final class Subscriber extends JedisPubSub {
    @Override
    public void onSubscribe(String channel, int count) {
      if (channel.equals(controlChannel)) {
        connected(this);
        return;
      }
      confirm(channels, channel);
    }

    @Override
    public void onPSubscribe(String pattern, int count) {
      confirm(patterns, pattern);
    }

    @Override
    public void onPong(String message) {
      if (RESYNC_TOKEN.equals(message)) {
        boolean reconnect = everConnected;
        everConnected = true;
        lastError = "connected";
        if (reconnect) {
          log.info("pub/sub connection to {} restored; {} channels and {} patterns resubscribed", settings.address(),
              channels.size(), patterns.size());
        }
        fire(l -> l.onConnected(reconnect));
      }
    }

    @Override
    public void onMessage(String channel, String message) {
      CopyOnWriteArrayList<Registration> list = channels.get(channel);
      if (list != null) {
        for (Registration r : list) {
          deliver(r, null, channel, message);
        }
      }
    }

    @Override
    public void onPMessage(String pattern, String channel, String message) {
      CopyOnWriteArrayList<Registration> list = patterns.get(pattern);
      if (list != null) {
        for (Registration r : list) {
          deliver(r, pattern, channel, message);
        }
      }
    }
  }

  private void connected(Subscriber s) {
    synchronized (registry) {
      active = s;
      sendSubscribe(new ArrayList<>(channels.keySet()), false);
      sendSubscribe(new ArrayList<>(patterns.keySet()), true);
    }
    synchronized (writeLock) {
      s.ping(RESYNC_TOKEN); // its pong follows every confirmation above
    }
  }

  private void confirm(Map<String, CopyOnWriteArrayList<Registration>> map, String name) {
    synchronized (registry) { // add() decides under this lock whether a registration waits for a confirmation
      CopyOnWriteArrayList<Registration> list = map.get(name);
      if (list != null) {
        for (Registration r : list) {
          r.active.complete(null);
        }
      }
    }
  }

  private static void deliver(Registration r, String pattern, String channel, String message) {
    try {
      r.listener.onMessage(pattern, channel, message);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) { // a listener's failure must not end the reader thread of the whole process
      log.warn("pub/sub listener for {} failed: {}", r.name, e.toString(), e);
    }
  }

  private static String describe(Throwable e) {
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

  /** Stops the reader, keep-alive and event threads and closes the connection. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    closedLatch.countDown();
    keepAlive.shutdownNow();
    Connection c = connection;
    if (c != null) {
      try {
        c.close(); // unblocks the reader; interrupt would not
      } catch (RuntimeException ignored) {
        // already closed
      }
    }
    try {
      reader.join(settings.timeout().toMillis() + 1000);
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
