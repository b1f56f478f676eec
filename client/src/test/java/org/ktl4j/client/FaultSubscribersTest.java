package org.ktl4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.internal.protocol.Keys;
import org.ktl4j.internal.redis.PubSub;
import org.ktl4j.internal.redis.RedisConnections;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

/**
 * Fault suite, subscribers: a slow callback beside fast ones, and a subscriber cut off by Redis (at its
 * output-buffer limit, or by {@code CLIENT KILL}) that must resync. Durations are printed as
 * {@code FAULT-FIGURE} lines, never asserted.
 */
@ExtendWith(RedisExtension.class)
class FaultSubscribersTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void slowCallbackDoesNotDelayTheFastCallbacksBesideIt(RedisServer server) throws Exception {
    String name = server.serviceName("slowcb");
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch slowEntered = new CountDownLatch(1);
    List<KeywordUpdate> slow = new CopyOnWriteArrayList<>();
    List<KeywordUpdate> fastSame = new CopyOnWriteArrayList<>();
    List<KeywordUpdate> fastOther = new CopyOnWriteArrayList<>();
    List<String> fastAll = new CopyOnWriteArrayList<>();
    try (RedisEndpoint dispatcherSide = TestServices.endpoint(server);
         RedisEndpoint clientSide = TestServices.endpoint(server);
         DispatcherService d = TestServices.dispatcher(name, dispatcherSide);
         Service s = Service.open(name, clientSide)) {
      Keyword count = s.keyword("COUNT");
      Keyword big = s.keyword("BIG");
      // the slow callback blocks like a 1 s hardware call would, and longer: until the fast ones have had N updates
      try (Subscription slowSub = count.subscribe(u -> {
            slow.add(u);
            slowEntered.countDown();
            try {
              release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }, false);
           Subscription sameSub = count.subscribe(fastSame::add, false);
           Subscription otherSub = big.subscribe(fastOther::add, false);
           Subscription allSub = s.subscribeAll(u -> fastAll.add(u.keyword() + "=" + u.ascii()), false)) {
        count.write("1");
        assertThat(slowEntered.await(20, TimeUnit.SECONDS)).isTrue();
        long start = System.nanoTime();
        int n = 20;
        for (int i = 2; i <= n + 1; i++) {
          count.write(Integer.toString(i));
          big.write(Integer.toString(i));
        }
        String lastCount = Integer.toString(n + 1);
        await("fast listeners get every last value while the slow one is blocked").atMost(WAIT)
            .until(() -> last(fastSame).equals(lastCount) && last(fastOther).equals(lastCount)
                && fastAll.contains("COUNT=" + lastCount) && fastAll.contains("BIG=" + lastCount));
        System.out.println("FAULT-FIGURE slow callback: fast listeners got " + n + " updates in "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms while the slow one was blocked");
        assertThat(slow).as("the slow listener is still in its first call").hasSize(1);
        assertThat(fastSame.size() + fastOther.size()).isGreaterThanOrEqualTo(2);
        release.countDown();
        await("the slow listener catches up with the last value").atMost(WAIT).until(() -> last(slow).equals(lastCount));
        assertThat(slow.size()).as("the slow listener's backlog was coalesced").isLessThan(n + 1);
        assertThat(slowSub.latest()).get().extracting(KeywordValue::ascii).isEqualTo(lastCount);
        assertThat(sameSub.latest()).get().extracting(KeywordValue::ascii).isEqualTo(lastCount);
        assertThat(otherSub.latest()).get().extracting(KeywordValue::ascii).isEqualTo(lastCount);
        assertThat(allSub).isNotNull();
      } finally {
        release.countDown();
      }
    }
    assertNoKtlThreadStuck();
  }

  @Test
  void subscriberDisconnectedAtItsOutputBufferLimitResyncs(RedisServer server) throws Exception {
    String name = server.serviceName("obuf");
    try (RedisClient admin = server.newClient()) {
      String saved = admin.configGet("client-output-buffer-limit").get("client-output-buffer-limit");
      try {
        cutOffAndResync(server, name, admin, "output-buffer limit", () -> {
          admin.configSet("client-output-buffer-limit", "pubsub 64kb 32kb 1");
          // a burst the subscriber cannot take in one go: Redis queues it all in one event-loop turn, finds the
          // subscriber's output buffer over its hard limit and drops the connection, as for a slow reader
          String channel = Keys.of(name).keyspaceChannel(server.db(), "COUNT");
          admin.eval("for i = 1, tonumber(ARGV[1]) do redis.call('PUBLISH', KEYS[1], 'hset') end",
              List.of(channel), List.of("5000"));
        });
        server.logFile().ifPresent(log -> await("Redis says why it dropped the subscriber").atMost(WAIT)
            .until(() -> java.nio.file.Files.readString(log).contains("overcoming of output buffer limits")));
      } finally {
        admin.configSet("client-output-buffer-limit", saved);
      }
    }
  }

  @Test
  void subscriberWhosePubSubConnectionIsKilledResyncs(RedisServer server) throws Exception {
    String name = server.serviceName("pskill");
    try (RedisClient admin = server.newClient()) {
      cutOffAndResync(server, name, admin, "CLIENT KILL TYPE pubsub", () -> {
        Object n = admin.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "pubsub", "SKIPME", "yes");
        assertThat((Long) n).isPositive();
      });
    }
  }

  private void cutOffAndResync(RedisServer server, String name, RedisClient admin, String scenario, Runnable cut)
      throws Exception {
    List<KeywordUpdate> got = new CopyOnWriteArrayList<>();
    List<String> disconnects = new CopyOnWriteArrayList<>();
    List<Boolean> connects = new CopyOnWriteArrayList<>();
    PubSub.ConnectionListener watch = new PubSub.ConnectionListener() {
      @Override
      public void onConnected(boolean reconnect) {
        connects.add(reconnect);
      }

      @Override
      public void onDisconnected(String reason) {
        disconnects.add(reason);
      }
    };
    try (RedisEndpoint dispatcherSide = TestServices.endpoint(server);
         RedisEndpoint clientSide = TestServices.endpoint(server);
         DispatcherService d = TestServices.dispatcher(name, dispatcherSide);
         Service s = Service.open(name, clientSide)) {
      Keyword count = s.keyword("COUNT");
      count.write("1");
      try (Subscription sub = count.subscribe(got::add)) {
        await().atMost(WAIT).until(() -> last(got).equals("1"));
        RedisConnections.of(clientSide).pubSub().addConnectionListener(watch);
        long cutAt = System.nanoTime();
        cut.run();
        d.keyword("COUNT").set("77"); // stored while the subscriber is cut off (or just after): must not be missed
        await("the subscriber's connection was dropped").atMost(WAIT).until(() -> !disconnects.isEmpty());
        String key = Keys.of(name).keyword("COUNT");
        await("latest() is the stored value again").atMost(WAIT).until(() -> sub.latest().isPresent()
            && sub.latest().get().ascii().equals(admin.hget(key, "ascii"))
            && sub.latest().get().seq() == Long.parseLong(admin.hget(key, "seq")));
        assertThat(sub.latest().get().ascii()).isEqualTo("77");
        long resyncedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt);
        WriteResult next = count.write("78");
        await("new updates arrive").atMost(WAIT).until(() -> last(got).equals("78"));
        assertThat(sub.latest()).get().extracting(KeywordValue::seq).isEqualTo(next.seq());
        assertThat(got.get(got.size() - 1).seq()).isEqualTo(next.seq());
        System.out.println("FAULT-FIGURE subscriber cut off (" + scenario + "): recovered in " + resyncedMs
            + " ms (disconnected: " + disconnects.get(0) + "; reconnects " + connects + ")");
        assertThat(connects).as("reconnected").contains(true);
      } finally {
        RedisConnections.of(clientSide).pubSub().removeConnectionListener(watch);
      }
    }
    assertNoKtlThreadStuck();
  }

  private static String last(List<KeywordUpdate> updates) {
    return updates.isEmpty() ? "" : updates.get(updates.size() - 1).ascii();
  }

  /** No ktl-* thread deadlocked or BLOCKED for good (momentary BLOCKED states pass on a later snapshot). */
  private static void assertNoKtlThreadStuck() {
    assertThat(ManagementFactory.getThreadMXBean().findDeadlockedThreads()).isNull();
    for (int pass = 0; pass < 2; pass++) {
      await("no ktl-* thread BLOCKED").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
          .untilAsserted(() -> {
            List<String> blocked = new ArrayList<>();
            for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
              if (t.getThreadName().startsWith("ktl-") && t.getThreadState() == Thread.State.BLOCKED) {
                blocked.add(t.toString());
              }
            }
            assertThat(blocked).isEmpty();
          });
    }
  }
}
