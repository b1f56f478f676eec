package org.ktl4j.client;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ktl4j.redis.PubSubHub;
import org.ktl4j.redis.RedisEndpoint;

/**
 * The client machinery shared by every {@link Service} opened on one Redis endpoint in this process: reply
 * routing, monitors, the fetcher thread and the callback executor. Reference-counted: created by the first
 * service opened on an endpoint and stopped when the last one closes. Thread-safe.
 */
final class ClientEngine implements PubSubHub.ConnectionListener {
  private static final Map<RedisEndpoint, ClientEngine> ENGINES = new IdentityHashMap<>();

  final RedisEndpoint endpoint;
  final ExecutorService callbacks;
  final Replies replies;
  final Monitors monitors;
  private final ScheduledExecutorService timer;
  private int users;

  private ClientEngine(RedisEndpoint endpoint, int callbackThreads) {
    this.endpoint = endpoint;
    AtomicInteger n = new AtomicInteger();
    String tag = endpoint.settings().address();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(callbackThreads, callbackThreads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "ktl-client-callback-" + n.incrementAndGet() + "-" + tag);
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    this.callbacks = pool;
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

  static ClientEngine acquire(RedisEndpoint endpoint, ClientConfig config) {
    synchronized (ENGINES) {
      ClientEngine e = ENGINES.get(endpoint);
      if (e == null) {
        e = new ClientEngine(endpoint, config.callbackThreads());
        ENGINES.put(endpoint, e);
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
      ENGINES.remove(endpoint);
    }
    if (!endpoint.isClosed()) {
      endpoint.pubSub().removeConnectionListener(this);
    }
    monitors.close();
    replies.connectionLost("client closed");
    replies.close();
    timer.shutdownNow();
    callbacks.shutdown();
    try {
      if (!callbacks.awaitTermination(2, TimeUnit.SECONDS)) {
        callbacks.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      callbacks.shutdownNow();
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
  public void onConnected(boolean reconnect) {
    if (reconnect) {
      monitors.resyncAll();
    }
  }

  @Override
  public void onDisconnected(String reason) {
    replies.connectionLost(reason);
  }
}
