package org.ktl4j.dispatcher;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A serving dispatcher's graceful stop, step by step as {@code docs/protocol.md} ("Shutdown") lists them, once
 * its modify subscription is closed: stop periodic updates, let requests being validated hand their writes on,
 * let the writes finish (bounded by the configured wait), set the status keyword to {@code stopping}, and
 * release the lease. Used once, by {@link DispatcherService#close()}, which then stops the threads.
 */
final class ShutdownSequence {
  private static final Logger log = LoggerFactory.getLogger(ShutdownSequence.class);

  private final DispatcherService d;

  ShutdownSequence(DispatcherService d) {
    this.d = d;
  }

  /** Runs the sequence; {@code wasServing}: the dispatcher was ready (so it has a status to set and a lease). */
  void run(boolean wasServing) {
    for (DispatcherKeyword kw : d.registry.all()) {
      kw.stopPeriodic();
    }
    long deadline = System.nanoTime() + d.config.shutdownWait().toNanos();
    try {
      // in order: requests being validated hand their writes to the write queues, then the writes finish
      // until nothing is left to validate or store: a request validated while a barrier waited queues its store
      // behind that barrier
      // (and the stores sent from the reader thread are answered)
      do {
        d.registry.awaitQueues(kw -> kw.intake, remaining(deadline));
        if (d.handler.directInFlight() > 0) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
      } while ((d.handler.directInFlight() > 0
          || d.registry.all().stream().anyMatch(kw -> kw.readyCount.get() > 0 || kw.intake.pending() > 0))
          && remaining(deadline).toMillis() > 0);
      d.registry.awaitQueues(kw -> kw.writes, remaining(deadline));
      d.timers.forEach(t -> t.cancel(false));
      if (wasServing) {
        d.registry.status().set("stopping");
        d.registry.awaitQueues(kw -> kw.writes, Duration.ofMillis(Math.max(remaining(deadline).toMillis(), 1000)));
        d.lease.release();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("service {}: could not finish cleanly with Redis ({}); the lease will expire by itself", d.name,
          e.getMessage());
    }
  }

  private static Duration remaining(long deadlineNanos) {
    return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
  }
}
