package org.ktl4j.dispatcher;

import java.util.concurrent.atomic.AtomicInteger;
import org.ktl4j.internal.protocol.Keys;
import org.ktl4j.internal.redis.PubSub;
import org.ktl4j.internal.redis.RedisConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure broadcasts are really heard: the dispatcher listens to its own heartbeat's keyspace notification,
 * and when {@link #STORES_UNHEARD} heartbeat stores in a row raise no notification (someone ran
 * {@code CONFIG SET notify-keyspace-events ""}, or the server never had them; where {@code CONFIG} may be read,
 * only if the server's flags confirm it, so that notifications merely delayed behind a flood are not taken for
 * missing ones), it logs one clear error, sets
 * the status keyword to {@code broadcasts-off}, and turns notifications back on where it may ({@code CONFIG}
 * allowed and the check not disabled). When notifications are heard again, the status returns to
 * {@code ready}.
 *
 * <p>Checks run on the dispatcher's timer, once per heartbeat; the listener only resets a counter on the pub/sub
 * reader thread. Thread-safe.
 */
final class BroadcastWatch implements PubSub.Listener {
  private static final Logger log = LoggerFactory.getLogger(BroadcastWatch.class);
  /** Heartbeat stores without a notification before broadcasts are declared off: {@value}. */
  static final int STORES_UNHEARD = 3;

  private final DispatcherService service;
  private final RedisConnections endpoint;
  private final DispatcherKeyword heartbeat;
  private final DispatcherKeyword status;
  private final boolean mayConfigure;
  private final String channel;
  private final AtomicInteger unheard = new AtomicInteger();
  private long lastSeq;
  private volatile boolean off;
  private PubSub.Registration registration;

  BroadcastWatch(DispatcherService service, RedisConnections endpoint, Keys keys, KeywordRegistry registry,
      boolean mayConfigure) {
    this.service = service;
    this.endpoint = endpoint;
    this.heartbeat = registry.heartbeat();
    this.status = registry.status();
    this.mayConfigure = mayConfigure;
    this.channel = keys.keyspaceChannel(endpoint.settings().db(), heartbeat.name());
  }

  /** Starts listening on {@code hub}. */
  void start(PubSub hub) {
    lastSeq = heartbeat.seq();
    registration = hub.subscribe(channel, this);
  }

  /** True while broadcasts are known to be off. */
  boolean broadcastsOff() {
    return off;
  }

  @Override
  public void onMessage(String pattern, String channel, String message) {
    if ("hset".equals(message)) {
      unheard.set(0);
    }
  }

  /** Once per heartbeat, on the timer: count stores not heard, and act when the count says so. */
  void check(boolean connected) {
    long seq = heartbeat.seq();
    if (!connected) {
      unheard.set(0); // nothing can be heard while the pub/sub connection is down: not a verdict
      lastSeq = seq;
      return;
    }
    if (seq > lastSeq) {
      unheard.addAndGet((int) Math.min(STORES_UNHEARD, seq - lastSeq));
      lastSeq = seq;
    }
    boolean silent = unheard.get() >= STORES_UNHEARD;
    if (silent && !off && mayConfigure && flagsOn()) {
      unheard.set(0); // the server has them on: the notifications are late (a backlog on the connection), not off
      return;
    }
    if (silent && !off) {
      off = true;
      log.error("service {}: keyspace notifications are off on Redis at {} (its last {} heartbeat stores raised none; "
          + "notify-keyspace-events must include K and h): clients hear no broadcasts. {}", service.name(),
          endpoint.settings().address(), STORES_UNHEARD, mayConfigure ? "Turning them on again."
          : "Notification checking is disabled (--no-notify-check): set 'notify-keyspace-events Kh' on the server.");
      status.set("broadcasts-off");
    }
    if (silent && mayConfigure) {
      try {
        KeyspaceNotifications.ensure(endpoint, service.keys.lease(), service.name(),
            endpoint.currentServer(service.keys.lease()));
      } catch (RuntimeException e) {
        log.debug("service {}: could not turn keyspace notifications on: {}", service.name(), e.getMessage());
      }
    }
    if (!silent && off) {
      off = false;
      log.info("service {}: keyspace notifications are heard again; broadcasts are back", service.name());
      status.set("ready");
    }
  }

  private boolean flagsOn() {
    try {
      return KeyspaceNotifications.missingRequired(KeyspaceNotifications.flags(endpoint, service.keys.lease())).isEmpty();
    } catch (RuntimeException e) {
      return false;
    }
  }

  void stop() {
    if (registration != null) {
      registration.close();
    }
  }
}
