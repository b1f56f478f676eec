package org.ktl4j.dispatcher;

import org.ktl4j.internal.redis.RedisConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heals a dispatcher's state in Redis after the pub/sub connection came back or the lease was regained: when
 * Redis lost its data (its {@code run_id} changed, or the definitions are gone) it publishes the definitions
 * and every current value again (with the {@code seq} floor); otherwise it stores what could not be stored
 * while Redis was away. Runs on the dispatcher's timer, never on the lease thread. Thread-safe.
 */
final class Recovery {
  private static final Logger log = LoggerFactory.getLogger(Recovery.class);

  private final DispatcherService service;
  private final RedisState redisState;
  private final KeywordRegistry registry;
  private final DispatcherThreads threads;
  private final RedisConnections endpoint;
  private final boolean checkNotifications;
  private final LeaseKeeper lease;
  private volatile String serverRunId;

  Recovery(DispatcherService service, RedisState redisState, KeywordRegistry registry, DispatcherThreads threads,
      RedisConnections endpoint, LeaseKeeper lease, boolean checkNotifications) {
    this.lease = lease;
    this.service = service;
    this.redisState = redisState;
    this.registry = registry;
    this.threads = threads;
    this.endpoint = endpoint;
    this.checkNotifications = checkNotifications;
  }

  /** Notes the server's run id at start-up. */
  void started() {
    serverRunId = redisState.runId();
  }

  /** Schedules a recovery on the timer. */
  void schedule() {
    threads.onTimer(this::recover);
  }

  /** Schedules storing every value that could not be stored, on the timer. */
  void scheduleRepublishDirty() {
    threads.onTimer(this::republishDirty);
  }

  void republishDirty() {
    for (DispatcherKeyword kw : registry.all()) {
      kw.republish(false);
    }
  }

  private void recover() {
    if (service.state() != DispatcherService.State.READY || lease.isLost()) {
      return;
    }
    if (!service.mayStore()) { // the lease lapsed: the lease thread schedules a recovery when it holds it again
      return;
    }
    try {
      String runId = redisState.runId();
      boolean empty = redisState.definitionsMissing();
      boolean restarted = runId != null && serverRunId != null && !runId.equals(serverRunId);
      if (runId != null) {
        serverRunId = runId;
      }
      if (empty || restarted) {
        log.warn("service {}: Redis at {} {}; publishing definitions and all {} values again", service.name(),
            endpoint.settings().address(), empty ? "came back empty" : "restarted", registry.size());
        if (checkNotifications) {
          KeyspaceNotifications.ensure(endpoint, service.keys.lease(), service.name(),
            endpoint.currentServer(service.keys.lease()));
        }
        service.leaseMissing(); // a restarted Redis may have lost the lease too: take it again at once
        redisState.publishDefinitions(registry.all(), lease.key(), lease.value());
        for (DispatcherKeyword kw : registry.all()) {
          kw.republish(true); // empty, or restarted from an older snapshot: every current value goes again
        }
        log.info("service {}: state published again after Redis recovery", service.name());
      } else {
        republishDirty();
        log.info("service {}: reconnected to Redis at {}; serving again", service.name(), endpoint.settings().address());
      }
    } catch (RuntimeException e) { // e.g. definitions refused until the lease is taken again: soon, by the lease thread
      log.warn("service {}: recovery after reconnect failed ({}); will retry", service.name(), e.getMessage());
      threads.onTimerLater(this::recover, 500);
    }
  }
}
