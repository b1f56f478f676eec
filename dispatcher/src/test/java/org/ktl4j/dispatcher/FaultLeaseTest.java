package org.ktl4j.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ktl4j.dispatcher.FaultKit.WAIT;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.dispatcher.FaultKit.Child;
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

/**
 * Fault suite, the lease: a dispatcher frozen past its lease while another takes over (split brain), and a
 * dispatcher killed with {@code kill -9} under load. Both old dispatchers run in a child JVM.
 */
@ExtendWith(RedisExtension.class)
class FaultLeaseTest {

  private static DispatcherService dispatcher(String service, RedisEndpoint e, String... keywords) {
    return DispatcherService.builder(service).definitions(FaultKit.integers(keywords)).config(FaultKit.shortLease())
        .endpoint(e).build();
  }

  @Test
  void pausedDispatcherStoresNothingAfterATakeover(RedisServer server) throws Exception {
    String service = server.serviceName("splitbrain");
    Keys keys = Keys.of(service);
    try (Child child = Child.start(server, service, "COUNTER");
         Writer w = new Writer(server, service);
         KeyspaceWatch watch = new KeyspaceWatch(server, service, true)) {
      child.awaitLine("READY", WAIT);
      for (int i = 1; i <= 3; i++) {
        assertThat(w.write("COUNTER", Integer.toString(i))).isInstanceOf(Reply.Stored.class);
      }
      String childStore = w.stored("COUNTER").get("store");
      String childPrefix = childStore.substring(0, childStore.indexOf('.') + 1);
      String childLease = w.redis.get(keys.lease());

      long frozeAt = System.nanoTime();
      child.signal("STOP");
      // sent while the frozen child is the only subscriber: they wait in its socket; nobody may ever serve them
      List<Sent> orphans = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        orphans.add(w.send("COUNTER", Integer.toString(900_000 + i)));
      }
      try (RedisEndpoint e = Fixtures.endpoint(server); DispatcherService next = dispatcher(service, e, "COUNTER")) {
        next.start(); // waits out the frozen child's lease
        FaultKit.recovered("split brain (takeover of a frozen dispatcher)", FaultKit.msSince(frozeAt));
        long seqAtTakeover = Long.parseLong(w.stored("COUNTER").get("seq"));

        List<Sent> during = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          during.add(w.send("COUNTER", Integer.toString(1000 + i)));
        }
        w.assertExactlyOneDone(during, WAIT);

        long thawedAt = System.nanoTime();
        child.signal("CONT");
        String stopped = child.awaitLine("STOPPED", WAIT);
        FaultKit.figure("split brain", "resumed dispatcher stopped serving " + FaultKit.msSince(thawedAt)
            + " ms after SIGCONT");
        assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).as("the resumed child exits:%n%s", child.output())
            .isTrue();
        assertThat(stopped).as("the child says why it stopped").contains("lease").contains("state=FAILED");

        List<Sent> after = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          after.add(w.send("COUNTER", Integer.toString(2000 + i)));
        }
        w.assertExactlyOneDone(after, WAIT);
        List<Sent> served = new ArrayList<>(during);
        served.addAll(after);

        // every seq increment since the takeover is a done of the new dispatcher: the child stored nothing
        List<Long> seqs = new ArrayList<>();
        for (Sent s : served) {
          assertThat(w.done(s.id())).as("%s", s).isInstanceOf(Reply.Stored.class);
          seqs.add(((Reply.Stored) w.done(s.id())).seq());
        }
        Map<String, String> stored = w.stored("COUNTER");
        long finalSeq = Long.parseLong(stored.get("seq"));
        assertThat(finalSeq).as("seq rose by the new dispatcher's dones only").isEqualTo(seqAtTakeover + served.size());
        assertThat(seqs).containsExactlyInAnyOrderElementsOf(
            java.util.stream.LongStream.rangeClosed(seqAtTakeover + 1, finalSeq).boxed().toList());
        assertThat(stored.get("store")).doesNotStartWith(childPrefix);

        for (Sent o : orphans) {
          assertThat(w.dones(o.id())).as("orphan %s, received by the frozen child only", o).isEmpty();
        }
        for (Observation ob : watch.observations) {
          if (ob.atNanos() - thawedAt > 0) {
            assertThat(ob.store()).as("a store after SIGCONT: %s", ob).doesNotStartWith(childPrefix);
          }
          for (Sent o : orphans) {
            assertThat(ob.ascii()).as("orphan value stored: %s", ob).isNotEqualTo(o.value());
          }
        }
        assertThat(w.redis.get(keys.lease())).as("the lease is the new dispatcher's").isNotEqualTo(childLease)
            .contains("\"pid\":" + ProcessHandle.current().pid());
        assertThat(next.state()).isEqualTo(DispatcherService.State.READY);
        assertThat(w.redis.hget(keys.keyword("DISPSTA"), "ascii")).isEqualTo("ready");
        w.assertAtMostOneDone();
        w.assertNoAcknowledgedWriteLost();
        FaultKit.assertNoKtlThreadStuck();
      }
    }
  }

  @Test
  void killedDispatcherUnderLoadIsReplacedAndSeqContinues(RedisServer server) throws Exception {
    String service = server.serviceName("killnine");
    try (Child child = Child.start(server, service, "COUNTER", "OTHER");
         Writer w = new Writer(server, service)) {
      child.awaitLine("READY", WAIT);
      long killedAt;
      long seqAtKill;
      try (Load load = new Load(w, List.of("COUNTER", "OTHER"), 10, 0)) {
        await("the child serves the load").atMost(WAIT)
            .until(() -> w.storedDones().getOrDefault("COUNTER", List.of()).size() >= 20);
        child.process.destroyForcibly();
        killedAt = System.nanoTime();
        assertThat(child.process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        seqAtKill = Long.parseLong(w.stored("COUNTER").get("seq"));
        long readyAt;
        try (RedisEndpoint e = Fixtures.endpoint(server);
             DispatcherService next = dispatcher(service, e, "COUNTER", "OTHER")) {
          next.start(); // waits out the dead child's lease
          readyAt = System.nanoTime();
          FaultKit.recovered("dispatcher kill -9 under load (takeover)", FaultKit.msSince(killedAt));
          long served = w.storedDones().values().stream().mapToLong(List::size).sum();
          await("the new dispatcher serves the load").atMost(WAIT)
              .until(() -> w.storedDones().values().stream().mapToLong(List::size).sum() >= served + 20);
          load.close();

          List<Sent> afterTakeover = w.sentList().stream()
              .filter(s -> s.atNanos() - readyAt > 0 && s.receivers() == 1).toList();
          assertThat(afterTakeover).isNotEmpty();
          w.assertExactlyOneDone(afterTakeover, WAIT);
          await("nothing in flight").atMost(WAIT).until(() -> next.handler.inFlight() == 0);

          // seq continues from what was stored: every COUNTER done since the kill numbers on from seqAtKill
          List<Long> seqs = new ArrayList<>();
          for (Reply.Stored s : w.storedDones().get("COUNTER")) {
            if (s.seq() > seqAtKill) {
              seqs.add(s.seq());
            }
          }
          long finalSeq = Long.parseLong(w.stored("COUNTER").get("seq"));
          assertThat(seqs).as("seqs after the kill").containsExactlyInAnyOrderElementsOf(
              java.util.stream.LongStream.rangeClosed(seqAtKill + 1, finalSeq).boxed().toList());
          for (Sent s : afterTakeover) {
            assertThat(w.done(s.id())).as("%s", s).isInstanceOf(Reply.Stored.class);
          }
          FaultKit.figure("dispatcher kill -9 under load", "outcomes " + w.outcomeCounts() + ", seq at kill "
              + seqAtKill + ", final " + finalSeq);
          w.assertAtMostOneDone();
          w.assertNoAcknowledgedWriteLost();
          FaultKit.assertNoKtlThreadStuck();
        }
      }
    }
  }
}
