package org.ktl4j.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ktl4j.dispatcher.FaultKit.WAIT;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.dispatcher.FaultKit.KeyspaceWatch;
import org.ktl4j.dispatcher.FaultKit.Sent;
import org.ktl4j.dispatcher.FaultKit.Writer;
import org.ktl4j.protocol.Keys;
import org.ktl4j.protocol.Reply;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import redis.clients.jedis.RedisClient;

/**
 * Fault suite, connections and server settings: {@code CLIENT KILL} of each connection type, and keyspace
 * notifications turned off under a running dispatcher.
 */
@ExtendWith(RedisExtension.class)
class FaultConnectionTest {
  private static final List<String> KEYWORDS = List.of("K0", "K1", "K2", "K3");

  @Test
  void clientKillOfPubSubConnectionsHealsAndServesNewWrites(RedisServer server) {
    clientKill(server, "pubsub");
  }

  @Test
  void clientKillOfNormalConnectionsHealsAndServesNewWrites(RedisServer server) {
    clientKill(server, "normal");
  }

  private void clientKill(RedisServer server, String type) {
    String service = server.serviceName("kill" + type);
    String scenario = "CLIENT KILL TYPE " + type;
    Keys keys = Keys.of(service);
    try (RedisEndpoint endpoint = Fixtures.endpoint(server);
         DispatcherService d = DispatcherService.builder(service).definitions(FaultKit.integers("K0", "K1", "K2", "K3"))
             .config(FaultKit.shortLease()).endpoint(endpoint).build();
         Writer w = new Writer(server, service);
         RedisClient admin = server.newClient()) {
      d.start();
      for (int i = 0; i < 5; i++) {
        assertThat(w.write(KEYWORDS.get(i % 4), Integer.toString(i))).isInstanceOf(Reply.Stored.class);
      }
      List<Sent> inFlight = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        inFlight.add(w.send(KEYWORDS.get(i % 4), Integer.toString(100 + i)));
      }
      long killed = FaultKit.clientKill(server, type);
      long killedAt = System.nanoTime();
      FaultKit.figure(scenario, killed + " connections killed");
      assertThat(killed).isPositive();

      AtomicLong probe = new AtomicLong(5_000_000);
      await("a new write succeeds").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .until(() -> w.probe("K0", Long.toString(probe.incrementAndGet())));
      FaultKit.recovered(scenario, FaultKit.msSince(killedAt));

      // sent once both the writer's reply subscription and the dispatcher are back: exactly one done each
      await().atMost(WAIT).ignoreExceptions() // admin's pooled connection was killed too (type normal)
          .until(() -> w.replies.isSubscribed() && FaultKit.numSub(admin, keys.modifyChannel()) == 1);
      List<Sent> after = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        after.add(w.send(KEYWORDS.get(i % 4), Integer.toString(200 + i)));
      }
      w.assertExactlyOneDone(after, WAIT);
      long notStored = after.stream().filter(s -> !(w.done(s.id()) instanceof Reply.Stored)).count();
      FaultKit.figure(scenario, notStored + " of " + after.size() + " writes sent after recovery not stored: "
          + after.stream().map(s -> w.done(s.id())).filter(r -> r instanceof Reply.Failed)
              .map(r -> ((Reply.Failed) r).code() + " " + ((Reply.Failed) r).error()).distinct().toList());
      await("nothing in flight").atMost(WAIT).until(() -> d.handler.inFlight() == 0);
      FaultRedisTest.settle(w);
      FaultKit.figure(scenario, "outcomes " + w.outcomeCounts() + ", reply subscriber reconnects "
          + w.replies.reconnects.get());
      w.assertAtMostOneDone();
      FaultRedisTest.assertFailedValuesNeverStored(w, null, Set.of());
      w.assertNoAcknowledgedWriteLost();
      assertThat(d.state()).isEqualTo(DispatcherService.State.READY);
      FaultKit.assertNoKtlThreadStuck();
    }
  }

  @Test
  void keyspaceNotificationsTurnedOffAreNoticedAndTurnedBackOn(RedisServer server) {
    String service = server.serviceName("notifyoff");
    Keys keys = Keys.of(service);
    try (RedisEndpoint endpoint = Fixtures.endpoint(server);
         DispatcherService d = DispatcherService.builder(service).definitions(FaultKit.integers("K0"))
             .endpoint(endpoint).build();
         Writer w = new Writer(server, service);
         RedisClient admin = server.newClient()) {
      d.start();
      String before = FaultKit.notifyFlags(admin);
      try (KeyspaceWatch watch = new KeyspaceWatch(server, service, false)) {
        admin.configSet("notify-keyspace-events", "");
        long offAt = System.nanoTime();
        AtomicBoolean sawOff = new AtomicBoolean();
        await("DISPSTA broadcasts-off, or notifications back on and DISPSTA ready").atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(50)).until(() -> {
              String status = admin.hget(keys.keyword("DISPSTA"), "ascii");
              if ("broadcasts-off".equals(status) || d.broadcastsOff()) {
                sawOff.set(true);
              }
              return FaultKit.hasKh(FaultKit.notifyFlags(admin)) && "ready".equals(status) && !d.broadcastsOff();
            });
        FaultKit.recovered("notify-keyspace-events \"\"", FaultKit.msSince(offAt));
        FaultKit.figure("notify-keyspace-events \"\"", "broadcasts-off " + (sawOff.get() ? "seen" : "not seen")
            + "; flags before '" + before + "', after '" + FaultKit.notifyFlags(admin) + "'");
        long events = watch.events.get();
        assertThat(w.write("K0", "1")).isInstanceOf(Reply.Stored.class);
        await("a broadcast is heard again").atMost(WAIT).until(() -> watch.events.get() > events);
      }
      assertThat(d.state()).isEqualTo(DispatcherService.State.READY);
      FaultKit.assertNoKtlThreadStuck();
    }
  }

  @Test
  void keyspaceNotificationsTurnedOffWithoutLeaveToConfigureShowBroadcastsOffUntilFixed(RedisServer server) {
    String service = server.serviceName("notifyoffnocfg");
    Keys keys = Keys.of(service);
    try (RedisClient admin = server.newClient()) {
      String before = FaultKit.notifyFlags(admin);
      admin.configSet("notify-keyspace-events", "Kh"); // the operator's setting; the dispatcher may not touch it
      try (RedisEndpoint endpoint = Fixtures.endpoint(server);
           DispatcherService d = DispatcherService.builder(service).definitions(FaultKit.integers("K0"))
               .config(DispatcherConfig.builder().checkNotifications(false).build()).endpoint(endpoint).build()) {
        d.start();
        admin.configSet("notify-keyspace-events", "");
        long offAt = System.nanoTime();
        await("DISPSTA broadcasts-off").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
            .until(() -> "broadcasts-off".equals(admin.hget(keys.keyword("DISPSTA"), "ascii")));
        FaultKit.figure("notify-keyspace-events \"\" (no CONFIG)", "broadcasts-off after " + FaultKit.msSince(offAt)
            + " ms");
        assertThat(d.broadcastsOff()).isTrue();
        assertThat(FaultKit.notifyFlags(admin)).as("left as the operator set it").isEmpty();
        admin.configSet("notify-keyspace-events", "Kh");
        long fixedAt = System.nanoTime();
        await("DISPSTA ready again").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
            .until(() -> "ready".equals(admin.hget(keys.keyword("DISPSTA"), "ascii")) && !d.broadcastsOff());
        FaultKit.recovered("notify-keyspace-events fixed by the operator", FaultKit.msSince(fixedAt));
        assertThat(d.state()).isEqualTo(DispatcherService.State.READY);
        FaultKit.assertNoKtlThreadStuck();
      } finally {
        admin.configSet("notify-keyspace-events", before.isEmpty() ? "Kh" : before);
      }
    }
  }
}
