package org.ktl4j.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.UnavailableException;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import redis.clients.jedis.RedisClient;

/** The keep-alive: a server that stops answering (SIGSTOP) is noticed within the stated bound, then recovered. */
@ExtendWith(RedisExtension.class)
class PubSubHubKeepAliveTest {

  @Test
  void deadPeerBoundIsThreePingIntervalsOrTimeoutPlusOne() {
    assertThat(PubSubHub.deadPeerBound(RedisConnections.DEFAULT_PING_INTERVAL, RedisSettings.DEFAULT_TIMEOUT))
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(PubSubHub.deadPeerBound(Duration.ofSeconds(1), Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(6));
    assertThat(PubSubHub.deadPeerBound(Duration.ofSeconds(2), Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(6));
  }

  @Test
  void aStoppedServerIsDetectedThenSubscriptionsComeBack(RedisServer server) throws Exception {
    server.requireControllable();
    try (RedisConnections e = RedisConnections.open(RedisSettings.fromUri(server.url()))) {
      PubSubHub hub = (PubSubHub) e.pubSub();
      List<String> lost = new CopyOnWriteArrayList<>();
      List<Boolean> connected = new CopyOnWriteArrayList<>();
      AtomicLong lostAt = new AtomicLong();
      hub.addConnectionListener(new PubSub.ConnectionListener() {
        @Override
        public void onConnected(boolean reconnect) {
          connected.add(reconnect);
        }

        @Override
        public void onDisconnected(String reason) {
          lostAt.compareAndSet(0, System.nanoTime());
          lost.add(reason);
        }
      });
      List<String> got = new CopyOnWriteArrayList<>();
      hub.subscribe("ka:before", (p, c, m) -> got.add(m)).active().get(10, TimeUnit.SECONDS);

      long pausedAt;
      PubSub.Registration late;
      server.pause();
      try {
        pausedAt = System.nanoTime();
        late = hub.subscribe("ka:while-stopped", (p, c, m) -> got.add(m));
        // generous: "detected, not hung"; the bound itself is deadPeerBound() after the last byte received
        await().atMost(Duration.ofSeconds(20)).until(() -> !lost.isEmpty());
        long detectedMs = TimeUnit.NANOSECONDS.toMillis(lostAt.get() - pausedAt);
        System.out.println("PubSubHubKeepAliveTest: SIGSTOP detected after " + detectedMs + " ms (bound "
            + hub.deadPeerBound().toMillis() + " ms after the last byte received)");
        String expected = "no answer from Redis at " + server.host() + ":" + server.port() + " for 3000 ms (keep-alive)";
        assertThat(lost.get(0)).isEqualTo(expected);
        assertThat(hub.lastError()).contains("no answer from Redis at");
        await().atMost(Duration.ofSeconds(20)).until(() -> late.active().isDone());
        assertThat(failure(late.active())).isInstanceOf(UnavailableException.class)
            .hasMessageContaining("channel 'ka:while-stopped'").hasMessageContaining(expected);
      } finally {
        server.resume();
      }

      await().atMost(Duration.ofSeconds(30)).until(() -> connected.contains(true));
      try (RedisClient redis = server.newClient()) {
        redis.publish("ka:before", "b");
        redis.publish("ka:while-stopped", "w");
        await().atMost(Duration.ofSeconds(10)).until(() -> got.contains("b") && got.contains("w"));
      }
    }
  }

  private static Throwable failure(CompletableFuture<Void> f) throws InterruptedException {
    try {
      f.get();
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }
}
