package org.ktl4j.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ktl4j.dispatcher.FaultKit.WAIT;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.dispatcher.FaultKit.KeyspaceWatch;
import org.ktl4j.dispatcher.FaultKit.Load;
import org.ktl4j.dispatcher.FaultKit.Observation;
import org.ktl4j.dispatcher.FaultKit.Sent;
import org.ktl4j.dispatcher.FaultKit.Writer;
import org.ktl4j.internal.protocol.Keys;
import org.ktl4j.internal.protocol.Reply;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import org.ktl4j.type.KtlType;

/** Fault suite, the Redis process: frozen for 10 s, and killed and restarted empty, while writers write. */
@ExtendWith(RedisExtension.class)
class FaultRedisTest {
  private static final List<String> KEYWORDS = List.of("K0", "K1", "K2", "HOOKED");

  private static DispatcherService dispatcher(String service, RedisEndpoint e, Set<String> applied) {
    List<KeywordDefinition> defs = new ArrayList<>(FaultKit.integers("K0", "K1", "K2"));
    defs.add(KeywordDefinition.builder("HOOKED", KtlType.INTEGER).build());
    return DispatcherService.builder(service).definitions(defs).config(FaultKit.shortLease()).endpoint(e)
        .setup(s -> s.keyword("HOOKED").onWrite(v -> applied.add(v.ascii()))).build();
  }

  @Test
  void redisFrozenForTenSecondsLeavesNoDoubleOrFalseDone(RedisServer server) throws Exception {
    server.requireControllable();
    String service = server.serviceName("frozen");
    Set<String> applied = ConcurrentHashMap.newKeySet();
    Map<String, Long> seqBefore = new HashMap<>();
    try (RedisEndpoint endpoint = Fixtures.endpoint(server);
         DispatcherService d = dispatcher(service, endpoint, applied);
         Writer w = new Writer(server, service);
         Writer probes = new Writer(server, service);
         KeyspaceWatch watch = new KeyspaceWatch(server, service, true)) {
      d.start();
      for (String k : KEYWORDS) {
        seqBefore.put(k, d.keyword(k).seq());
      }
      long resumedAt;
      try (Load load = new Load(w, KEYWORDS, 20, 0)) {
        await().atMost(WAIT).until(() -> w.storedDones().values().stream().mapToLong(List::size).sum() >= 20);
        long pausedAt = System.nanoTime();
        server.pause();
        try {
          // frozen for 10 s; by then the dispatcher's lease has lapsed (TTL 1 s) on its own clock
          await("Redis frozen for 10 s").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
              .until(() -> FaultKit.msSince(pausedAt) >= 10_000);
          assertThat(d.lease.holds()).as("the lease lapsed while Redis was frozen").isFalse();
        } finally {
          server.resume();
        }
        resumedAt = System.nanoTime();
        AtomicLong probe = new AtomicLong(5_000_000);
        try {
          await("a new write succeeds").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
              .until(() -> probes.probe("K0", Long.toString(probe.incrementAndGet())));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          throw new AssertionError("no write served within 30 s after Redis resumed: state " + d.state()
              + ", lease held " + d.lease.holds() + " (term " + d.lease.term() + "), awaited fence marker "
              + d.handler.awaitedMarker() + ", modify subscribers " + FaultKit.numSub(w.redis,
              org.ktl4j.internal.protocol.Keys.of(service).modifyChannel()) + ", probes " + probes.outcomeCounts()
              + ", writes " + w.outcomeCounts(), e);
        }
        FaultKit.recovered("redis SIGSTOP 10 s", FaultKit.msSince(resumedAt));
        // keep writing a moment after recovery
        long served = w.storedDones().values().stream().mapToLong(List::size).sum();
        await().atMost(WAIT).until(() -> w.storedDones().values().stream().mapToLong(List::size).sum() >= served + 10);
      }
      await("nothing in flight").atMost(WAIT).until(() -> d.handler.inFlight() == 0);
      settle(w);
      FaultKit.figure("redis SIGSTOP 10 s", "outcomes " + w.outcomeCounts() + ", probes " + probes.outcomeCounts());

      w.assertAtMostOneDone();
      probes.assertAtMostOneDone();
      assertFailedValuesNeverStored(w, watch, applied);
      assertFailedValuesNeverStored(probes, watch, applied);
      // every store raised seq by one and was answered: the seq each keyword gained is its stored dones
      Map<String, List<Reply.Stored>> dones = w.storedDones();
      probes.storedDones().forEach((k, v) -> dones.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
      for (String k : KEYWORDS) {
        long gained = Long.parseLong(w.stored(k).get("seq")) - seqBefore.get(k);
        assertThat(gained).as("%s: seq gained vs stored dones received (%s)", k, w.outcomeCounts())
            .isEqualTo(dones.getOrDefault(k, List.of()).size());
      }
      w.assertNoAcknowledgedWriteLost();
      probes.assertNoAcknowledgedWriteLost();
      assertThat(d.state()).isEqualTo(DispatcherService.State.READY);
      FaultKit.assertNoKtlThreadStuck();
    }
  }

  @Test
  void redisKilledAndRestartedEmptyDuringWritesGetsStateBackAndSeqNeverGoesBackwards(RedisServer server)
      throws Exception {
    server.requireControllable();
    String service = server.serviceName("restarted");
    Keys keys = Keys.of(service);
    Set<String> applied = ConcurrentHashMap.newKeySet();
    try (RedisEndpoint endpoint = Fixtures.endpoint(server);
         DispatcherService d = dispatcher(service, endpoint, applied);
         Writer w = new Writer(server, service);
         Writer probes = new Writer(server, service)) {
      d.start();
      Map<String, Long> maxSeqBeforeKill = new HashMap<>();
      AtomicLong restartedAt = new AtomicLong();
      try (Load load = new Load(w, KEYWORDS, 20, 0)) {
        await().atMost(WAIT).until(() -> w.storedDones().values().stream().mapToLong(List::size).sum() >= 20);
        long killedAt = System.nanoTime();
        server.kill();
        w.storedDones().forEach((k, v) -> maxSeqBeforeKill.put(k, v.stream().mapToLong(Reply.Stored::seq).max()
            .orElse(0)));
        server.restart(); // empty, same port
        restartedAt.set(System.nanoTime());
        AtomicLong probe = new AtomicLong(5_000_000);
        await("a new write succeeds").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
            .until(() -> probes.probe("K0", Long.toString(probe.incrementAndGet())));
        FaultKit.recovered("redis kill -9 and empty restart (from the kill)", FaultKit.msSince(killedAt));
        FaultKit.figure("redis kill -9 and empty restart", "serving " + FaultKit.msSince(restartedAt.get())
            + " ms after the restart");
        long served = w.storedDones().values().stream().mapToLong(List::size).sum();
        await().atMost(WAIT).until(() -> w.storedDones().values().stream().mapToLong(List::size).sum() >= served + 10);
      }
      await("nothing in flight").atMost(WAIT).until(() -> d.handler.inFlight() == 0);
      settle(w);
      FaultKit.figure("redis kill -9 and empty restart", "outcomes " + w.outcomeCounts() + ", probes "
          + probes.outcomeCounts());

      try (var redis = server.newClient()) {
        await("definitions republished").atMost(WAIT).until(() -> redis.exists(keys.definitions()));
        assertThat(redis.hkeys(keys.definitions())).containsAll(KEYWORDS);
        assertThat(redis.get(keys.lease())).as("lease taken again").contains("\"pid\":" + ProcessHandle.current().pid());
        assertThat(FaultKit.hasKh(FaultKit.notifyFlags(redis))).as("notifications on again").isTrue();
      }
      w.assertAtMostOneDone();
      probes.assertAtMostOneDone();
      // seq never goes backwards relative to done replies: every done after the restart numbers past every done
      // before the kill, and no seq is handed out twice (assertNoAcknowledgedWriteLost)
      for (Sent s : w.sentList()) {
        Long at = w.replies.firstDoneAt.get(s.id());
        if (w.done(s.id()) instanceof Reply.Stored st && at != null && at - restartedAt.get() > 0) {
          assertThat(st.seq()).as("%s: done %s after the restart vs the dones before the kill %s", st.keyword(), st,
              maxSeqBeforeKill).isGreaterThan(maxSeqBeforeKill.getOrDefault(st.keyword(), 0L));
        }
      }
      for (Map.Entry<String, Long> e : maxSeqBeforeKill.entrySet()) {
        assertThat(Long.parseLong(w.stored(e.getKey()).get("seq"))).as("%s seq after the restart", e.getKey())
            .isGreaterThanOrEqualTo(e.getValue());
      }
      w.assertNoAcknowledgedWriteLost();
      probes.assertNoAcknowledgedWriteLost();
      assertThat(d.state()).isEqualTo(DispatcherService.State.READY);
      FaultKit.assertNoKtlThreadStuck();
    }
  }

  /** Waits until replies stop changing (a done may still be on its way after the dispatcher finished). */
  static void settle(Writer w) {
    AtomicLong last = new AtomicLong(-1);
    await("replies settle").atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
      long n = w.replies.byId.values().stream().mapToLong(List::size).sum();
      return n == last.getAndSet(n);
    });
  }

  /** No request told EXPIRED or WRITE_FAILED has its value stored (seen by a watcher, or stored now). */
  static void assertFailedValuesNeverStored(Writer w, KeyspaceWatch watch, Set<String> applied) {
    for (Sent s : w.sentList()) {
      Reply r = w.done(s.id());
      if (FaultKit.isCode(r, "EXPIRED") || FaultKit.isCode(r, "WRITE_FAILED") || FaultKit.isCode(r, "BUSY")) {
        assertThat(w.stored(s.keyword()).get("ascii")).as("%s answered %s", s, r).isNotEqualTo(s.value());
        if (watch != null) {
          for (Observation o : watch.observations) {
            if (o.key().endsWith(":kw:" + s.keyword())) {
              assertThat(o.ascii()).as("%s answered %s, seen stored: %s", s, r, o).isNotEqualTo(s.value());
            }
          }
        }
        if (s.keyword().equals("HOOKED") && FaultKit.isCode(r, "EXPIRED")) {
          assertThat(applied).as("%s answered EXPIRED but applied", s).doesNotContain(s.value());
        }
      }
    }
  }
}
