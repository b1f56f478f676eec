package org.ktl4j.dispatcher;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: the per-keyword queue that keeps one
 * keyword's writes in arrival order while different keywords run concurrently, without a thread per keyword.
 *
 * <p>Thread-safe and lock-free: a queue plus a counter of queued tasks; the submitter that raises the
 * counter from 0 schedules the drain. Cost per task: one queue node. The queue itself is not bounded:
 * its users bound what they put in (the MODIFY handler admits a request only while {@link #pending()} is
 * under its limit; a keyword has at most one queued flush of values set from code).
 */
final class SerialExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);
  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final Executor pool;
  private final String name;

  SerialExecutor(Executor pool, String name) {
    this.pool = pool;
    this.name = name;
  }

  @Override
  public void execute(Runnable task) {
    queue.add(task);
    if (pending.getAndIncrement() == 0) {
      schedule();
    }
  }

  /** Number of tasks queued or running. */
  int pending() {
    return pending.get();
  }

  private void schedule() {
    try {
      pool.execute(this::drain);
    } catch (RejectedExecutionException e) {
      // the pool is shutting down: drop what is queued, the service is stopping
      int n = pending.getAndSet(0);
      queue.clear();
      log.debug("{}: {} queued task(s) dropped at shutdown", name, n);
    }
  }

  private void drain() {
    // run a bounded batch, then yield the pool thread so other keywords are not starved
    for (int i = 0; i < 64; i++) {
      Runnable task = queue.poll();
      if (task == null) {
        return; // cannot happen while pending > 0, but be safe
      }
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        log.error("{}: task failed: {}", name, e.toString(), e);
      }
      if (pending.decrementAndGet() == 0) {
        return;
      }
    }
    schedule();
  }
}
