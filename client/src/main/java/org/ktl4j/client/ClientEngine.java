package org.ktl4j.client;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.ktl4j.internal.redis.PubSub;
import org.ktl4j.internal.redis.RedisConnections;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.SharedPool;

/**
 * The client machinery shared by every {@link Service} opened on one Redis endpoint in this process: reply
 * routing, monitors, the fetcher thread and the callback executor. Reference-counted: created by the first
 * service opened on an endpoint and stopped when the last one closes. Thread-safe.
 */
final class ClientEngine implements PubSub.ConnectionListener {
  private static final Map<RedisConnections, ClientEngine> ENGINES = new IdentityHashMap<>();

  final RedisConnections endpoint;
  final ExecutorService callbacks;
  /** Completes write handles' futures: kept apart from callbacks, so a listener that waits on a write cannot starve it. */
  final ExecutorService completions;
  final Replies replies;
  final Monitors monitors;
  private final ScheduledExecutorService timer;
  private int users;
  private final AutoCloseable closer = this::shutdown;

  private ClientEngine(RedisConnections endpoint, int callbackThreads) {
    this.endpoint = endpoint;
    AtomicInteger n = new AtomicInteger();
    String tag = endpoint.settings().address();
    this.callbacks = pool(callbackThreads, "callback", tag);
    this.completions = pool(4, "completion", tag);
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
      Thread th = new Thread(r, "ktl-client-timer-" + tag);
      th.setDaemon(true);
      return th;
    });
    t.setRemoveOnCancelPolicy(true);
    this.timer = t;
    this.replies = new Replies(endpoint);
    this.monitors = new Monitors(endpoint, callbacks);
    endpoint.pubSub().addConnectionListener(this);
  }

  private static ExecutorService pool(int size, String role, String tag) {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, "ktl-client-" + role + "-" + n.incrementAndGet() + "-" + tag);
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true); // threads exist only while there is work
    return pool;
  }

  static ClientEngine acquire(RedisConnections endpoint, ClientConfig config) {
    synchronized (ENGINES) {
      ClientEngine e = ENGINES.get(endpoint);
      if (e == null) {
        e = new ClientEngine(endpoint, config.callbackThreads());
        ENGINES.put(endpoint, e);
        RedisEndpoint shared = SharedPool.endpointIfCreated();
        if (shared != null && endpoint == RedisConnections.of(shared)) {
          SharedPool.closeBeforePool(e.closer); // the shared pool takes its clients' threads with it
        }
      }
      e.users++;
      return e;
    }
  }

  void release() {
    synchronized (ENGINES) {
      if (--users > 0) {
        return;
      }
    }
    shutdown();
  }

  /** Stops everything at once (last service closed, or the shared pool is closing). Idempotent. */
  void shutdown() {
    synchronized (ENGINES) {
      if (ENGINES.get(endpoint) != this) {
        return;
      }
      ENGINES.remove(endpoint);
    }
    SharedPool.forget(closer);
    if (!endpoint.isClosed()) {
      endpoint.pubSub().removeConnectionListener(this);
    }
    monitors.close();
    replies.connectionLost("client closed");
    replies.close();
    timer.shutdownNow();
    for (ExecutorService pool : new ExecutorService[] {callbacks, completions}) {
      pool.shutdown();
      try {
        if (!pool.awaitTermination(2, TimeUnit.SECONDS)) {
          pool.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        pool.shutdownNow();
      }
    }
  }

  /** Fails an asynchronous write whose ack or done does not come in time. */
  void scheduleTimeouts(PendingWrite p, ClientConfig config) {
    long ackMs = config.ackTimeout().toMillis();
    long doneMs = config.writeTimeout().toMillis();
    ScheduledFuture<?> ackTimer = timer.schedule(() -> {
      if (!p.ack.isDone()) {
        replies.forget(p);
        p.fail(p.timeout("ack", config.ackTimeout()));
      }
    }, ackMs, TimeUnit.MILLISECONDS);
    ScheduledFuture<?> doneTimer = timer.schedule(() -> {
      if (!p.done.isDone()) {
        replies.forget(p);
        p.fail(p.timeout("done", config.writeTimeout()));
      }
    }, doneMs, TimeUnit.MILLISECONDS);
    p.ack.whenComplete((v, e) -> ackTimer.cancel(false));
    p.done.whenComplete((v, e) -> doneTimer.cancel(false));
  }

  @Override
  public void onConnected(boolean reconnect, Predicate<String> affects) {
    if (reconnect) {
      monitors.resyncAll(affects);
    }
  }

  @Override
  public void onDisconnected(String reason, Predicate<String> affects) {
    replies.connectionLost(reason, affects);
  }
}
