package org.ktl4j.dispatcher;

import java.time.Duration;

/**
 * How a dispatcher runs: pool sizes, lease timing, limits and the names of its built-in keywords. Immutable
 * and thread-safe; {@link #defaults()} gives the documented {@code DEFAULT_*} values.
 *
 * @param workers            threads that run {@code write} hooks, stores and periodic updates
 * @param checkers           threads that validate requests and send {@code ack} (kept apart from
 *                           {@code workers} so that slow hardware never delays an {@code ack})
 * @param leaseTtl           time-to-live of the {@code ktl:{svc}:dispatcher} lease; renewed every third of it
 * @param maxValueBytes      largest accepted ascii value, in UTF-8 bytes; larger requests are {@code BAD_REQUEST}
 * @param shutdownWait       how long {@code close()} waits for running writes to finish
 * @param heartbeatKeyword   name of the built-in heartbeat keyword (epoch seconds)
 * @param heartbeatPeriod    how often the heartbeat is updated
 * @param statusKeyword      name of the built-in status keyword ({@code starting}, {@code ready}, {@code stopping})
 * @param checkNotifications whether to make sure {@code notify-keyspace-events} includes {@code K} and {@code h};
 *                           turn off only where the server is known to be configured and {@code CONFIG} is blocked
 * @param maxQueuedRequests  most MODIFY requests of the service admitted and not yet answered; beyond it requests
 *                           are answered {@code BUSY} at once
 * @param maxQueuedPerKeyword most requests waiting for one keyword (validation and writes); beyond it that
 *                           keyword's requests are answered {@code BUSY} while other keywords are served
 * @param maxQueuedBytes     most bytes of values admitted and not yet answered (bounds memory under a flood)
 * @param directStores       whether the pub/sub reader thread itself sends the stores of caching keywords (no hooks)
 *                           on a connection of its own, sparing each write a thread hand-off; off, every request
 *                           goes through the intake queues (one more connection when on)
 * @param durability         when a writer is told {@code done}: once the master has the value (the default), or once
 *                           a replica confirms it ({@link Durability})
 * @param statisticsPeriod   how often the statistics keywords ({@code DISPREQS}, {@code DISPRATE}, {@code DISPREFUSED},
 *                           {@code DISPP99}, {@code DISPQUEUE}) are updated; zero: no statistics, and no such keywords
 */
public record DispatcherConfig(int workers, int checkers, Duration leaseTtl, int maxValueBytes, Duration shutdownWait,
                               String heartbeatKeyword, Duration heartbeatPeriod, String statusKeyword,
                               boolean checkNotifications, int maxQueuedRequests, int maxQueuedPerKeyword,
                               long maxQueuedBytes, boolean directStores, Durability durability,
                               Duration statisticsPeriod) {
  /** Default number of worker threads: {@value}. */
  public static final int DEFAULT_WORKERS = 8;
  /** Default number of validation threads (they also send acks and store caching keywords): {@value}. */
  public static final int DEFAULT_CHECKERS = 4;
  /** Default lease time-to-live: 5 seconds. */
  public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(5);
  /** Default largest value: 64 KiB. */
  public static final int DEFAULT_MAX_VALUE_BYTES = 64 * 1024;
  /** Default wait for running writes at shutdown: 10 seconds. */
  public static final Duration DEFAULT_SHUTDOWN_WAIT = Duration.ofSeconds(10);
  /** Default heartbeat keyword: {@value}. */
  public static final String DEFAULT_HEARTBEAT_KEYWORD = "DISPCLK";
  /** Default heartbeat period: 1 second. */
  public static final Duration DEFAULT_HEARTBEAT_PERIOD = Duration.ofSeconds(1);
  /** Default status keyword: {@value}. */
  public static final String DEFAULT_STATUS_KEYWORD = "DISPSTA";

  /** Default most requests admitted and not yet answered, per service: {@value}. */
  public static final int DEFAULT_MAX_QUEUED_REQUESTS = 20_000;
  /** Default most requests waiting for one keyword: {@value}. */
  public static final int DEFAULT_MAX_QUEUED_PER_KEYWORD = 5_000;
  /** Default most bytes of admitted values: 64 MiB. */
  public static final long DEFAULT_MAX_QUEUED_BYTES = 64L * 1024 * 1024;
  /** Default statistics period: 1 second. */
  public static final Duration DEFAULT_STATISTICS_PERIOD = Duration.ofSeconds(1);

  public DispatcherConfig {
    if (workers < 1 || checkers < 1) {
      throw new IllegalArgumentException("workers and checkers must be at least 1");
    }
    if (leaseTtl.toMillis() < 300) {
      throw new IllegalArgumentException("lease TTL must be at least 300 ms, got " + leaseTtl);
    }
    if (maxValueBytes < 1) {
      throw new IllegalArgumentException("maxValueBytes must be positive");
    }
    java.util.Objects.requireNonNull(durability, "durability");
    java.util.Objects.requireNonNull(statisticsPeriod, "statisticsPeriod");
    if (statisticsPeriod.isNegative() || (!statisticsPeriod.isZero() && statisticsPeriod.toMillis() < 10)) {
      throw new IllegalArgumentException("statistics period must be zero (off) or at least 10 ms, got " + statisticsPeriod);
    }
    if (maxQueuedRequests < 1 || maxQueuedPerKeyword < 1 || maxQueuedBytes < maxValueBytes) {
      throw new IllegalArgumentException("queue limits must be positive, and maxQueuedBytes at least maxValueBytes");
    }
  }

  /** The defaults. */
  public static DispatcherConfig defaults() {
    return new DispatcherConfig(DEFAULT_WORKERS, DEFAULT_CHECKERS, DEFAULT_LEASE_TTL, DEFAULT_MAX_VALUE_BYTES,
        DEFAULT_SHUTDOWN_WAIT, DEFAULT_HEARTBEAT_KEYWORD, DEFAULT_HEARTBEAT_PERIOD, DEFAULT_STATUS_KEYWORD, true,
        DEFAULT_MAX_QUEUED_REQUESTS, DEFAULT_MAX_QUEUED_PER_KEYWORD, DEFAULT_MAX_QUEUED_BYTES, true, Durability.MASTER,
        DEFAULT_STATISTICS_PERIOD);
  }

  /** Same, with another worker count. */
  public DispatcherConfig withWorkers(int n) {
    return new DispatcherConfig(n, checkers, leaseTtl, maxValueBytes, shutdownWait, heartbeatKeyword,
        heartbeatPeriod, statusKeyword, checkNotifications, maxQueuedRequests, maxQueuedPerKeyword,
        maxQueuedBytes, directStores, durability, statisticsPeriod);
  }

  /** Same, with another lease TTL. */
  public DispatcherConfig withLeaseTtl(Duration ttl) {
    return new DispatcherConfig(workers, checkers, ttl, maxValueBytes, shutdownWait, heartbeatKeyword,
        heartbeatPeriod, statusKeyword, checkNotifications, maxQueuedRequests, maxQueuedPerKeyword,
        maxQueuedBytes, directStores, durability, statisticsPeriod);
  }

  /** Same, with another value size limit. */
  public DispatcherConfig withMaxValueBytes(int bytes) {
    return new DispatcherConfig(workers, checkers, leaseTtl, bytes, shutdownWait, heartbeatKeyword,
        heartbeatPeriod, statusKeyword, checkNotifications, maxQueuedRequests, maxQueuedPerKeyword,
        maxQueuedBytes, directStores, durability, statisticsPeriod);
  }

  /** Same, with other built-in keyword names. */
  public DispatcherConfig withBuiltIns(String heartbeat, String status) {
    return new DispatcherConfig(workers, checkers, leaseTtl, maxValueBytes, shutdownWait, heartbeat,
        heartbeatPeriod, status, checkNotifications, maxQueuedRequests, maxQueuedPerKeyword,
        maxQueuedBytes, directStores, durability, statisticsPeriod);
  }

  /** Same, with another heartbeat period. */
  public DispatcherConfig withHeartbeatPeriod(Duration p) {
    return new DispatcherConfig(workers, checkers, leaseTtl, maxValueBytes, shutdownWait, heartbeatKeyword,
        p, statusKeyword, checkNotifications, maxQueuedRequests, maxQueuedPerKeyword,
        maxQueuedBytes, directStores, durability, statisticsPeriod);
  }

  /** Same, with another shutdown wait. */
  public DispatcherConfig withShutdownWait(Duration d) {
    return new DispatcherConfig(workers, checkers, leaseTtl, maxValueBytes, d, heartbeatKeyword,
        heartbeatPeriod, statusKeyword, checkNotifications, maxQueuedRequests, maxQueuedPerKeyword,
        maxQueuedBytes, directStores, durability, statisticsPeriod);
  }

  /** Same, with the keyspace-notification check on or off. */
  public DispatcherConfig withCheckNotifications(boolean check) {
    return new DispatcherConfig(workers, checkers, leaseTtl, maxValueBytes, shutdownWait, heartbeatKeyword,
        heartbeatPeriod, statusKeyword, check, maxQueuedRequests, maxQueuedPerKeyword,
        maxQueuedBytes, directStores, durability, statisticsPeriod);
  }

  /** Same, with other queue limits (requests per service, per keyword, and bytes per service). */
  public DispatcherConfig withQueueLimits(int requests, int perKeyword, long bytes) {
    return new DispatcherConfig(workers, checkers, leaseTtl, maxValueBytes, shutdownWait, heartbeatKeyword,
        heartbeatPeriod, statusKeyword, checkNotifications, requests, perKeyword, bytes, directStores, durability, statisticsPeriod);
  }

  /** Same, with direct stores from the reader thread on or off. */
  public DispatcherConfig withDirectStores(boolean on) {
    return new DispatcherConfig(workers, checkers, leaseTtl, maxValueBytes, shutdownWait, heartbeatKeyword,
        heartbeatPeriod, statusKeyword, checkNotifications, maxQueuedRequests, maxQueuedPerKeyword, maxQueuedBytes, on,
        durability, statisticsPeriod);
  }

  /**
   * Same, with another durability: with {@link Durability#REPLICA}, {@code done} waits for a replica and stores go
   * through the intake queues (no direct stores).
   */
  public DispatcherConfig withDurability(Durability d) {
    return new DispatcherConfig(workers, checkers, leaseTtl, maxValueBytes, shutdownWait, heartbeatKeyword,
        heartbeatPeriod, statusKeyword, checkNotifications, maxQueuedRequests, maxQueuedPerKeyword, maxQueuedBytes,
        directStores, d, statisticsPeriod);
  }

  /**
   * Same, with another statistics period; {@link Duration#ZERO} turns statistics off (the statistics keywords then do
   * not exist, and their names are free for the bundle).
   */
  public DispatcherConfig withStatisticsPeriod(Duration p) {
    return new DispatcherConfig(workers, checkers, leaseTtl, maxValueBytes, shutdownWait, heartbeatKeyword,
        heartbeatPeriod, statusKeyword, checkNotifications, maxQueuedRequests, maxQueuedPerKeyword, maxQueuedBytes,
        directStores, durability, p);
  }
}
