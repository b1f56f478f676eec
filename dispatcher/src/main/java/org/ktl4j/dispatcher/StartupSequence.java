package org.ktl4j.dispatcher;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ktl4j.KtlException;
import org.ktl4j.UnavailableException;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.internal.redis.RedisConnections;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.SharedPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dispatcher's start-up, step by step as {@code docs/protocol.md} ("Start-up") lists them: reach Redis, make
 * sure keyspace notifications are on, take the lease (and from then on renew it on its own thread), read the
 * stored values, publish the definitions, store initial values, subscribe to MODIFY requests and to its own
 * heartbeat's notifications, poll periodic keywords once, and start the timers. Used once, by
 * {@link DispatcherService#start()}, which sets {@code ready} after it.
 */
final class StartupSequence {
  private static final Logger log = LoggerFactory.getLogger(StartupSequence.class);

  private final DispatcherService d;

  StartupSequence(DispatcherService d) {
    this.d = d;
  }

  void run() throws InterruptedException {
    String address = d.endpoint.settings().address();
    d.endpoint.call("start dispatcher for service " + d.name, c -> c.exists(d.keys.lease())); // to its server
    if (d.config.checkNotifications()) {
      d.endpoint.call("check keyspace notifications", c -> {
        KeyspaceNotifications.ensure(d.endpoint, d.keys.lease(), d.name, d.endpoint.currentServer(d.keys.lease()));
        return null;
      });
    }
    d.endpoint.call("take the lease of service " + d.name, c -> {
      d.lease.acquire(c, () -> pause(100));
      return null;
    });
    d.lease.startRenewing(d.threads.leaseThread, d.leaseEvents()); // start-up may take longer than the lease lives
    RedisEndpoint shared = SharedPool.endpointIfCreated();
    if (shared != null && d.endpoint == RedisConnections.of(shared)) {
      SharedPool.closeBeforePool(d); // at JVM exit the pool closes only after this dispatcher
    }
    d.recovery.started();
    d.redisState.loadStoredValues(d.registry.all());
    d.redisState.publishDefinitions(d.registry.all(), d.lease.key(), d.lease.value());
    d.registry.status().set("starting", true);
    for (DispatcherKeyword kw : d.registry.all()) {
      applyInitialValue(kw);
    }
    d.registry.heartbeat().setBinary(Instant.now().getEpochSecond());
    d.statistics.publish(d.registry, 0); // zeros: the statistics keywords have values from the start
    d.registry.awaitQueues(kw -> kw.writes, d.config.leaseTtl());
    d.hub = d.endpoint.pubSub();
    d.hub.addConnectionListener(d.connectionListener);
    d.handler.start();
    d.modifySubscription = d.hub.subscribeServiceChannel(d.keys.modifyChannel(), d.handler);
    try {
      d.modifySubscription.active().get(d.endpoint.settings().timeout().toMillis() * 3, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new UnavailableException("service " + d.name + ": could not subscribe to " + d.keys.modifyChannel()
          + " on Redis at " + address + " (" + d.hub.lastError(d.keys.modifyChannel()) + ")");
    }
    d.broadcasts.start(d.hub);
    firstUpdates();
    startTimers();
  }

  private void applyInitialValue(DispatcherKeyword kw) {
    if (kw.isBuiltIn()) {
      return;
    }
    KeywordDefinition def = kw.definition();
    if (def.useCache() && kw.value().isPresent()) {
      return; // the value already in Redis wins: a restart resumes where it stopped
    }
    if (def.initialValue().isPresent()) {
      kw.set(def.initialValue().get());
    }
  }

  /** Polls every periodic keyword once, so that at {@code ready} every polled keyword has a value. */
  private void firstUpdates() throws InterruptedException {
    List<CompletableFuture<Void>> polls = new ArrayList<>();
    for (DispatcherKeyword kw : d.registry.all()) {
      if (kw.period().isPresent()) {
        polls.add(kw.update().exceptionally(e -> {
          log.warn("{}: first update failed: {}", kw, ModifyHandler.reason(e.getCause() != null ? e.getCause() : e));
          return null;
        }));
      }
    }
    try {
      CompletableFuture.allOf(polls.toArray(new CompletableFuture[0])).get(d.config.leaseTtl().toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      log.warn("service {}: first periodic updates still running after {} ms; starting anyway", d.name,
          d.config.leaseTtl().toMillis());
    }
  }

  private void startTimers() {
    long hb = d.config.heartbeatPeriod().toMillis();
    d.timers.add(d.threads.timer.scheduleAtFixedRate(() -> {
      d.registry.heartbeat().setBinary(Instant.now().getEpochSecond());
      d.publishFenceMarker(); // until it has come back (none is awaited almost always: then this costs nothing)
      if (d.state() == DispatcherService.State.READY) {
        d.broadcasts.check(d.hub.isConnected(d.keys.modifyChannel()));
      }
    }, hb, hb, TimeUnit.MILLISECONDS));
    d.timers.add(d.threads.timer.scheduleAtFixedRate(d.refusals::summarize, 1, 1, TimeUnit.MINUTES));
    if (d.statistics.enabled()) {
      long every = d.config.statisticsPeriod().toMillis();
      d.timers.add(d.threads.timer.scheduleAtFixedRate(() -> d.statistics.publish(d.registry, d.handler.inFlight()),
          every, every, TimeUnit.MILLISECONDS));
    }
    // not among the timers that stopping service cancels: stores in flight must still be settled then
    d.threads.timer.scheduleAtFixedRate(d.handler::checkOverdue, 1, 1, TimeUnit.SECONDS);
    for (DispatcherKeyword kw : d.registry.all()) {
      kw.startPeriodic();
    }
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KtlException("interrupted while waiting for the lease");
    }
  }
}
