package org.ktl4j.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.SafeEncoder;

@ExtendWith(RedisExtension.class)
class PubSubHubTest {

  private static RedisConnections endpoint(RedisServer server) {
    return RedisConnections.open(RedisSettings.fromUri(server.url()));
  }

  @Test
  void messagesArriveOnTheNamedReaderThread(RedisServer server) throws Exception {
    try (RedisConnections e = endpoint(server); RedisClient redis = server.newClient()) {
      List<String> got = new CopyOnWriteArrayList<>();
      List<String> threads = new CopyOnWriteArrayList<>();
      PubSub.Registration r = e.pubSub().subscribe("t:chan", (p, c, m) -> {
        got.add(m);
        threads.add(Thread.currentThread().getName());
      });
      r.active().get(10, java.util.concurrent.TimeUnit.SECONDS);
      redis.publish("t:chan", "hello");
      await().atMost(Duration.ofSeconds(10)).until(() -> got.contains("hello"));
      assertThat(threads.get(0)).startsWith("ktl-pubsub-");
      r.close();
      await().atMost(Duration.ofSeconds(10)).until(() -> redis.publish("t:chan", "gone") == 0);
    }
  }

  @Test
  void patternsDeliverTheChannel(RedisServer server) throws Exception {
    try (RedisConnections e = endpoint(server); RedisClient redis = server.newClient()) {
      List<String> got = new CopyOnWriteArrayList<>();
      e.pubSub().psubscribe("p:*", (p, c, m) -> got.add(p + "|" + c + "|" + m)).active()
          .get(10, java.util.concurrent.TimeUnit.SECONDS);
      redis.publish("p:x", "1");
      await().atMost(Duration.ofSeconds(10)).until(() -> got.contains("p:*|p:x|1"));
    }
  }

  @Test
  void tenThousandChannelsShareOneConnection(RedisServer server) throws Exception {
    try (RedisConnections e = endpoint(server); RedisClient redis = server.newClient()) {
      List<String> names = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        names.add("many:" + i);
      }
      AtomicInteger count = new AtomicInteger();
      List<PubSub.Registration> regs = e.pubSub().subscribeAll(names, (p, c, m) -> count.incrementAndGet());
      CompletableFuture.allOf(regs.stream().map(PubSub.Registration::active).toArray(CompletableFuture[]::new))
          .get(60, java.util.concurrent.TimeUnit.SECONDS);
      redis.publish("many:9999", "x");
      redis.publish("many:0", "x");
      await().atMost(Duration.ofSeconds(10)).until(() -> count.get() == 2);
      String clients = SafeEncoder.encode((byte[]) redis.sendCommand(Protocol.Command.CLIENT, "LIST"));
      long subscribers = clients.lines().filter(l -> l.contains("name=ktl-pubsub")).count();
      assertThat(subscribers).isEqualTo(1);
      assertThat(clients.lines().filter(l -> l.contains("name=ktl-pubsub")).findFirst().orElseThrow())
          .contains("sub=10000"); // no control channel: only what is registered
    }
  }

  @Test
  void subscriptionsComeBackAfterRedisRestarts(RedisServer server) throws Exception {
    server.requireControllable();
    try (RedisConnections e = endpoint(server)) {
      List<String> got = new CopyOnWriteArrayList<>();
      List<Boolean> connected = new CopyOnWriteArrayList<>();
      List<String> lost = new CopyOnWriteArrayList<>();
      e.pubSub().addConnectionListener(new PubSub.ConnectionListener() {
        @Override
        public void onConnected(boolean reconnect) {
          connected.add(reconnect);
        }

        @Override
        public void onDisconnected(String reason) {
          lost.add(reason);
        }
      });
      e.pubSub().subscribe("r:chan", (p, c, m) -> got.add(m)).active().get(10, java.util.concurrent.TimeUnit.SECONDS);
      server.kill();
      await().atMost(Duration.ofSeconds(20)).until(() -> !lost.isEmpty());
      server.restart();
      await().atMost(Duration.ofSeconds(30)).until(() -> connected.contains(true));
      try (RedisClient redis = server.newClient()) {
        redis.publish("r:chan", "after");
        await().atMost(Duration.ofSeconds(10)).until(() -> got.contains("after"));
      }
    }
  }

  @Test
  void closeStopsEveryThreadItStarted(RedisServer server) throws Exception {
    RedisConnections e = endpoint(server);
    e.pubSub().subscribe("c:chan", (p, c, m) -> { }).active().get(10, java.util.concurrent.TimeUnit.SECONDS);
    String tag = server.host() + ":" + server.port();
    assertThat(threadsNamed(tag)).isNotEmpty();
    e.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> threadsNamed(tag).isEmpty());
  }

  private static List<String> threadsNamed(String tag) {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.startsWith("ktl-pubsub") && n.endsWith(tag)).toList();
  }
}
