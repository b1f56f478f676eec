package org.ktl4j.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import redis.clients.jedis.RedisClient;

/** Subscribing never waits for the network: commands go through the writer thread and its bounded queue. */
@ExtendWith(RedisExtension.class)
class PubSubHubWriterTest {

  @Test
  void subscribingTenThousandChannelsDoesNotStallDeliveriesOnOthers(RedisServer server) throws Exception {
    try (RedisConnections e = RedisConnections.open(RedisSettings.fromUri(server.url()));
        RedisClient publisher = server.newClient()) {
      PubSubHub hub = (PubSubHub) e.pubSub();
      List<Long> delivered = new CopyOnWriteArrayList<>();
      hub.subscribe("flow:chan", (p, c, m) -> delivered.add(Long.parseLong(m))).active().get(10, TimeUnit.SECONDS);
      AtomicBoolean publishing = new AtomicBoolean(true);
      AtomicLong published = new AtomicLong();
      Thread pub = new Thread(() -> {
        while (publishing.get()) {
          publisher.publish("flow:chan", Long.toString(published.incrementAndGet()));
        }
      }, "test-publisher");
      pub.start();
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> !delivered.isEmpty());
        List<PubSub.Registration> regs = new CopyOnWriteArrayList<>();
        Thread subscriber = new Thread(() -> {
          for (int i = 0; i < 10_000; i++) {
            regs.add(hub.subscribe("bulk:" + i, (p, c, m) -> { }));
          }
        }, "test-subscriber");
        subscriber.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> !subscriber.isAlive());
        long afterSubscribing = published.get();
        await().atMost(Duration.ofSeconds(60)).until(() -> regs.stream().allMatch(r -> r.active().isDone()));
        assertThat(regs).allMatch(r -> !r.active().isCompletedExceptionally());
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered.get(delivered.size() - 1) > afterSubscribing);
      } finally {
        publishing.set(false);
        pub.join(10_000);
      }
      List<Long> copy = new ArrayList<>(delivered);
      for (int i = 1; i < copy.size(); i++) { // in order and nothing lost while the subscriptions went out
        assertThat(copy.get(i)).isEqualTo(copy.get(i - 1) + 1);
      }
      assertThat(hub.channelCount()).isEqualTo(10_001);
    }
  }

  @Test
  void subscribeReturnsWhileRedisIsNotReading(RedisServer server) throws Exception {
    server.requireControllable();
    // a 60 s ping interval makes the keep-alive bound 3 minutes: only the writer thread can keep subscribe() free
    try (PubSubHub hub = new PubSubHub(RedisSettings.fromUri(server.url()), Duration.ofSeconds(60))) {
      hub.subscribe("stopped:first", (p, c, m) -> { }).active().get(10, TimeUnit.SECONDS);
      List<PubSub.Registration> regs = new CopyOnWriteArrayList<>();
      server.pause();
      try {
        String padding = "x".repeat(500); // 10,000 × 500 bytes: far more than the socket buffers hold
        Thread subscriber = new Thread(() -> {
          for (int i = 0; i < 10_000; i++) {
            regs.add(hub.subscribe("stopped:" + i + ":" + padding, (p, c, m) -> { }));
          }
        }, "test-subscriber");
        subscriber.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> !subscriber.isAlive());
        assertThat(regs).hasSize(10_000).noneMatch(r -> r.active().isDone());
      } finally {
        server.resume();
      }
      CompletableFuture.allOf(regs.stream().map(PubSub.Registration::active).toArray(CompletableFuture[]::new))
          .get(60, TimeUnit.SECONDS);
      assertThat(hub.isConnected()).isTrue();
    }
  }

  @Test
  void aFullCommandQueueReconnectsAndResubscribesEverything(RedisServer server) throws Exception {
    server.requireControllable();
    try (PubSubHub hub = new PubSubHub(RedisSettings.fromUri(server.url()), Duration.ofSeconds(60), 4)) {
      List<String> lost = new CopyOnWriteArrayList<>();
      AtomicInteger reconnected = new AtomicInteger();
      hub.addConnectionListener(new PubSub.ConnectionListener() {
        @Override
        public void onConnected(boolean reconnect) {
          if (reconnect) {
            reconnected.incrementAndGet();
          }
        }

        @Override
        public void onDisconnected(String reason) {
          lost.add(reason);
        }
      });
      hub.subscribe("full:first", (p, c, m) -> { }).active().get(10, TimeUnit.SECONDS);
      server.pause();
      try {
        String padding = "y".repeat(2000); // 16 MB of names: the writer blocks, then the 4-command queue fills
        for (int i = 0; i < 8_000; i++) {
          hub.subscribe("full:" + i + ":" + padding, (p, c, m) -> { });
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> !lost.isEmpty());
        assertThat(lost.get(0)).contains("is not reading our commands");
      } finally {
        server.resume();
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> reconnected.get() > 0);
      assertThat(hub.channelCount()).isEqualTo(8_001);
      try (RedisClient redis = server.newClient()) { // the last one queued is subscribed on the new connection
        assertThat(redis.publish("full:7999:" + "y".repeat(2000), "m")).isEqualTo(1);
      }
    }
  }
}
