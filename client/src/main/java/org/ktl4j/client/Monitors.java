package org.ktl4j.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.ktl4j.UnavailableException;
import org.ktl4j.internal.redis.PubSub;
import org.ktl4j.internal.redis.RedisConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/**
 * Every keyword monitored in this process (for one Redis endpoint): keyspace-notification subscriptions on the
 * shared pub/sub connection (one channel per keyword, or one pattern per service for whole-service monitors),
 * a fetcher thread that reads notified keywords (pipelined, coalesced), and delivery to listeners on the
 * callback executor. After a reconnection every monitored keyword is read again and delivered as a resync; a
 * deleted value or a restarted {@code seq} is a resync too, never a reason to stop delivering.
 *
 * <p>The reader thread only marks keywords dirty and queues them. Thread-safe.
 */
final class Monitors implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Monitors.class);
  private static final int BATCH = 256;
  /** Keyspace events after which a monitored keyword is read again. */
  private static final Set<String> REREAD_EVENTS =
      Set.of("hset", "del", "hdel", "expired", "evicted", "rename_from", "rename_to", "restore");

  private final RedisConnections endpoint;
  private final Executor callbacks;
  private final Map<String, MonitoredKeyword> keywords = new ConcurrentHashMap<>();
  private final Map<String, PubSub.Registration> servicePatterns = new ConcurrentHashMap<>();
  private final Map<String, Integer> servicePatternUsers = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<MonitoredKeyword> queue = new LinkedBlockingQueue<>();
  private final Thread fetcher;
  private final int db;
  private volatile boolean closed;
  private long retryDelayMs = 50; // fetcher thread only
  private volatile boolean fetching; // the fetcher is reading keywords (not to be interrupted then)

  Monitors(RedisConnections endpoint, Executor callbacks) {
    this.endpoint = endpoint;
    this.callbacks = callbacks;
    this.db = endpoint.settings().db();
    this.fetcher = new Thread(this::fetchLoop, "ktl-client-fetch-" + endpoint.settings().address());
    fetcher.setDaemon(true);
    fetcher.start();
  }

  /** Subscribes a listener to one keyword (one keyspace channel). */
  Subscription subscribe(Keyword kw, KeywordListener listener, boolean prime, Duration activation) {
    MonitoredKeyword mk;
    PubSub.Registration reg;
    ListenerSlot slot = new ListenerSlot(listener, callbacks, prime);
    synchronized (this) {
      mk = monitored(kw);
      if (mk.channel == null) {
        mk.channel = endpoint.pubSub().subscribe(kw.service().keys().keyspaceChannel(db, kw.name()),
            (p, c, m) -> notified(mk, m));
      }
      mk.channelUsers++;
      mk.slots.add(slot); // under the lock: a concurrent close must not see this keyword without listeners
      reg = mk.channel;
    }
    Sub sub = new Sub(List.of(mk), List.of(slot), kw.service().name(), false);
    try {
      awaitActive(reg, kw.fullName(), kw.service().keys().keyspaceChannel(db, kw.name()), activation);
      if (prime) {
        prime(mk, slot);
      }
    } catch (RuntimeException e) {
      sub.close(); // nothing half-made stays behind
      throw e;
    }
    return sub;
  }

  /** Subscribes a listener to every keyword of a service (one keyspace pattern). */
  Subscription subscribeService(Service service, KeywordListener listener, boolean prime) {
    List<MonitoredKeyword> mks = new ArrayList<>();
    List<ListenerSlot> slots = new ArrayList<>();
    PubSub.Registration reg;
    synchronized (this) {
      for (Keyword kw : service.keywords()) {
        MonitoredKeyword mk = monitored(kw);
        ListenerSlot slot = new ListenerSlot(listener, callbacks, prime);
        mk.slots.add(slot);
        mks.add(mk);
        slots.add(slot);
      }
      reg = servicePatterns.computeIfAbsent(service.name(), s -> endpoint.pubSub().psubscribe(
          service.keys().keyspacePattern(db), (p, c, m) -> {
            String name = service.keys().keywordOfChannel(c);
            MonitoredKeyword mk = name == null ? null : keywords.get(key(service.name(), name));
            if (mk != null) {
              notified(mk, m);
            }
          }));
      servicePatternUsers.merge(service.name(), 1, Integer::sum);
    }
    Sub sub = new Sub(mks, slots, service.name(), true);
    try {
      awaitActive(reg, service.name(), service.keys().keyspacePattern(db), defaultActivation());
      if (prime) {
        for (int i = 0; i < mks.size(); i++) {
          prime(mks.get(i), slots.get(i));
        }
      }
    } catch (RuntimeException e) {
      sub.close();
      throw e;
    }
    return sub;
  }

  /** How long a subscription may take to be confirmed by the server, by default. */
  Duration defaultActivation() {
    return endpoint.settings().timeout().multipliedBy(3);
  }

  /**
   * Re-reads every monitored keyword of the services {@code affects} accepts after their connection came back (on a
   * cluster: their node's, or their slot moved to another node).
   */
  void resyncAll(Predicate<String> affects) {
    for (MonitoredKeyword mk : keywords.values()) {
      if (!affects.test(mk.keyword.service().name())) {
        continue;
      }
      mk.resync.set(true);
      if (mk.dirty.compareAndSet(false, true)) {
        queue.add(mk);
      }
    }
  }

  int size() {
    return keywords.size();
  }

  private MonitoredKeyword monitored(Keyword kw) {
    return keywords.computeIfAbsent(key(kw.service().name(), kw.name()),
        k -> new MonitoredKeyword(kw, kw.service().keys().keyword(kw.name())));
  }

  private static String key(String service, String keyword) {
    return service + "\u0000" + keyword;
  }

  /**
   * Reader thread: only mark and queue. A broadcast ({@code hset}) and every event that may remove or replace the
   * value ({@code del} by hand, …) are read: a removal must not leave listeners holding a value that is gone,
   * and the value stored after it may restart the numbering (see {@link MonitoredKeyword}).
   */
  private void notified(MonitoredKeyword mk, String event) {
    if (!REREAD_EVENTS.contains(event)) {
      return; // expire, persist…: the value is unchanged
    }
    if (mk.dirty.compareAndSet(false, true)) {
      queue.add(mk);
    }
  }

  private void prime(MonitoredKeyword mk, ListenerSlot slot) {
    KeywordValue v = mk.keyword.read().orElse(null);
    mk.observe(v);
    slot.prime(v);
  }

  private void awaitActive(PubSub.Registration reg, String what, String channel, Duration within) {
    try {
      reg.active().get(Math.max(1, within.toMillis()), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new UnavailableException("cannot subscribe to " + what + ": no pub/sub connection to Redis at "
          + endpoint.settings().address() + " within " + within.toMillis() + " ms ("
          + endpoint.pubSub().lastError(channel) + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while subscribing to " + what);
    }
  }

  private void fetchLoop() {
    List<MonitoredKeyword> batch = new ArrayList<>(BATCH);
    while (!closed) {
      try {
        MonitoredKeyword first = queue.poll(500, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH - 1);
        fetching = true;
        try {
          fetch(batch);
        } finally {
          fetching = false;
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("keyword fetch failed: {}", e.toString());
      } finally {
        batch.clear();
      }
    }
  }

  private void fetch(List<MonitoredKeyword> batch) {
    boolean[] resync = new boolean[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      MonitoredKeyword mk = batch.get(i);
      mk.dirty.set(false); // a notification from now on queues it again
      resync[i] = mk.resync.getAndSet(false);
    }
    List<Response<List<String>>> responses = new ArrayList<>(batch.size());
    try {
      if (batch.size() == 1) {
        List<String> r = endpoint.commands().hmget(batch.get(0).key, Keyword.FIELDS);
        retryDelayMs = 50;
        deliver(batch.get(0), r, resync[0]);
        return;
      }
      try (AbstractPipeline p = endpoint.commands().pipelined()) {
        for (MonitoredKeyword mk : batch) {
          responses.add(p.hmget(mk.key, Keyword.FIELDS));
        }
        p.sync();
      }
    } catch (JedisException e) {
      log.debug("could not read {} notified keyword(s) ({}); retrying", batch.size(), e.getMessage());
      endpoint.clearIdleConnections();
      retryLater(batch, resync);
      return;
    }
    retryDelayMs = 50;
    List<MonitoredKeyword> unanswered = new ArrayList<>();
    List<Boolean> unansweredResync = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      try {
        deliver(batch.get(i), responses.get(i).get(), resync[i]);
      } catch (JedisRedirectionException | IllegalStateException e) {
        // its slot moved (a cluster pipeline does not follow MOVED), or its node failed during the pipeline (the
        // answer never came): read it again
        unanswered.add(batch.get(i));
        unansweredResync.add(resync[i]);
      } catch (RuntimeException e) { // e.g. WRONGTYPE on a hand-made key: skip it, deliver the others
        log.warn("cannot read {}: {}", batch.get(i).key, e.getMessage());
      }
    }
    if (!unanswered.isEmpty()) {
      boolean[] again = new boolean[unanswered.size()];
      for (int i = 0; i < again.length; i++) {
        again[i] = unansweredResync.get(i);
      }
      retryLater(unanswered, again);
    }
  }

  /** Puts a failed batch back after a pause that grows while Redis stays unreachable. */
  private void retryLater(List<MonitoredKeyword> batch, boolean[] resync) {
    fetching = false; // a pause, not a read: close() may interrupt it
    try {
      if (closed) {
        return;
      }
      Thread.sleep(retryDelayMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } finally {
      fetching = true;
    }
    retryDelayMs = Math.min(retryDelayMs * 2, 2000);
    for (int i = 0; i < batch.size(); i++) {
      MonitoredKeyword mk = batch.get(i);
      if (resync[i]) {
        mk.resync.set(true);
      }
      if (mk.dirty.compareAndSet(false, true)) {
        queue.add(mk);
      }
    }
  }

  private void deliver(MonitoredKeyword mk, List<String> fields, boolean resync) {
    mk.offer(mk.keyword.valueOf(fields), resync);
  }

  @Override
  public void close() {
    closed = true;
    if (!fetching) {
      fetcher.interrupt(); // waiting for work: wake it; a fetch under way ends by itself (an interrupted pipeline
    }                      // makes Jedis log an error), within the command timeout
    try {
      fetcher.join(endpoint.settings().timeout().toMillis() + 1000);
      if (fetcher.isAlive()) {
        fetcher.interrupt();
        fetcher.join(1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      for (MonitoredKeyword mk : keywords.values()) {
        if (mk.channel != null) {
          mk.channel.close();
        }
        mk.slots.forEach(ListenerSlot::close);
      }
      servicePatterns.values().forEach(PubSub.Registration::close);
      keywords.clear();
      servicePatterns.clear();
    }
  }

  /** A subscription handle over one or more keywords. */
  private final class Sub implements Subscription {
    private final List<MonitoredKeyword> mks;
    private final List<ListenerSlot> slots;
    private final String service;
    private final boolean pattern;
    private boolean closed;

    Sub(List<MonitoredKeyword> mks, List<ListenerSlot> slots, String service, boolean pattern) {
      this.mks = mks;
      this.slots = slots;
      this.service = service;
      this.pattern = pattern;
    }

    @Override
    public Optional<KeywordValue> latest() {
      return Optional.ofNullable(mks.get(0).latest);
    }

    @Override
    public void close() {
      synchronized (Monitors.this) {
        if (closed) {
          return;
        }
        closed = true;
        for (int i = 0; i < mks.size(); i++) {
          MonitoredKeyword mk = mks.get(i);
          ListenerSlot slot = slots.get(i);
          slot.close();
          mk.slots.remove(slot);
          if (!pattern) {
            mk.channelUsers--;
            if (mk.channelUsers == 0 && mk.channel != null) {
              mk.channel.close();
              mk.channel = null;
            }
          }
          if (mk.slots.isEmpty()) {
            keywords.remove(key(mk.keyword.service().name(), mk.keyword.name()), mk);
          }
        }
        if (pattern) {
          int left = servicePatternUsers.merge(service, -1, Integer::sum);
          if (left <= 0) {
            servicePatternUsers.remove(service);
            PubSub.Registration r = servicePatterns.remove(service);
            if (r != null) {
              r.close();
            }
          }
        }
      }
    }
  }
}
