package org.ktl4j.dispatcher;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads of one dispatcher, all named {@code ktl-<svc>-…} and all stopped by {@link #shutdown}: workers
 * ({@code write} hooks, stores, periodic updates), checkers (validation, {@code ack}, caching stores), the timer
 * (heartbeat, periods, recovery) and the lease thread (renewal only, so that it never waits behind them).
 *
 * <p>The pools' own queues hold at most one drain task per keyword queue ({@link SerialExecutor}), so they are
 * bounded by the number of keywords; what a keyword queue holds is bounded by the MODIFY handler's admission.
 * Thread-safe.
 */
final class DispatcherThreads {
  private static final Logger log = LoggerFactory.getLogger(DispatcherThreads.class);

  final ThreadPoolExecutor workers;
  final ThreadPoolExecutor checkers;
  final ScheduledExecutorService timer;
  final ScheduledExecutorService leaseThread;
  private final String service;

  DispatcherThreads(String service, DispatcherConfig config) {
    this.service = service;
    this.workers = pool(config.workers(), "worker");
    this.checkers = pool(config.checkers(), "check");
    this.timer = Executors.newSingleThreadScheduledExecutor(factory("timer", null));
    this.leaseThread = Executors.newSingleThreadScheduledExecutor(factory("lease", null));
  }

  /** Runs {@code r} on the timer now; nothing if stopping. */
  void onTimer(Runnable r) {
    try {
      timer.execute(r);
    } catch (RejectedExecutionException e) {
      // stopping
    }
  }

  /** Runs {@code r} on the timer after {@code ms}; nothing if stopping. */
  void onTimerLater(Runnable r, long ms) {
    try {
      timer.schedule(r, ms, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // stopping
    }
  }

  /** Runs {@code r} on the lease thread now; nothing if stopping. */
  void onLeaseThread(Runnable r) {
    try {
      leaseThread.execute(r);
    } catch (RejectedExecutionException e) {
      // stopping
    }
  }

  /**
   * Runs {@code kw}'s {@code read} hook every {@code every} on its write queue (in order with its writes); a
   * tick that finds the previous update or a write still queued is skipped rather than piled up.
   */
  ScheduledFuture<?> schedulePeriodic(DispatcherKeyword kw, Duration every) {
    long ms = Math.max(1, every.toMillis());
    return timer.scheduleAtFixedRate(() -> {
      if (kw.writes.pending() > 0) {
        return;
      }
      kw.writes.execute(() -> {
        try {
          kw.runRead();
        } catch (Exception e) {
          log.warn("{}: periodic update failed: {}", kw, ModifyHandler.reason(e));
        }
      });
    }, ms, ms, TimeUnit.MILLISECONDS);
  }

  boolean isShutdown() {
    return workers.isShutdown();
  }

  /** Stops every thread: running writes get {@code wait}, then are interrupted. */
  void shutdown(Duration wait) {
    leaseThread.shutdownNow();
    timer.shutdownNow();
    checkers.shutdown();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("service {}: writes still running after {} ms; interrupting them", service, wait.toMillis());
        workers.shutdownNow();
      }
      checkers.awaitTermination(1, TimeUnit.SECONDS);
      timer.awaitTermination(1, TimeUnit.SECONDS);
      leaseThread.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    checkers.shutdownNow();
    workers.shutdownNow();
  }

  private ThreadPoolExecutor pool(int size, String role) {
    // the queue holds at most one drain task per keyword queue: bounded by the keyword count
    ThreadPoolExecutor p = new ThreadPoolExecutor(size, size, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        factory(role, new AtomicInteger()));
    p.allowCoreThreadTimeOut(true);
    return p;
  }

  private ThreadFactory factory(String role, AtomicInteger n) {
    String base = "ktl-" + service + "-" + role;
    return r -> {
      Thread t = new Thread(r, n == null ? base : base + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
