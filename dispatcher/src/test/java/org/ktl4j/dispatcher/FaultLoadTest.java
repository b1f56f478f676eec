package org.ktl4j.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ktl4j.dispatcher.FaultKit.WAIT;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.dispatcher.FaultKit.KeyspaceWatch;
import org.ktl4j.dispatcher.FaultKit.Sent;
import org.ktl4j.dispatcher.FaultKit.Writer;
import org.ktl4j.protocol.Keys;
import org.ktl4j.protocol.ModifyRequest;
import org.ktl4j.protocol.Reply;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import org.ktl4j.type.KtlType;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClient;

/**
 * Fault suite, load: a pipelined flood on one keyword (default and small queue limits), and many writers on one
 * keyword.
 */
@ExtendWith(RedisExtension.class)
class FaultLoadTest {
  private static final int FLOOD_MAX = 400_000;
  private static final long FLOOD_NANOS = TimeUnit.SECONDS.toNanos(3);
  private static final int REPLY_EVERY = 50;

  @Test
  void floodOnOneKeywordLeavesOtherKeywordsServed(RedisServer server) throws Exception {
    flood(server, "flood", DispatcherConfig.defaults(), false);
  }

  @Test
  void floodBeyondSmallQueueLimitsIsAnsweredBusyAndNothingBusyIsEverStored(RedisServer server) throws Exception {
    flood(server, "floodbusy", DispatcherConfig.builder().queueLimits(2000, 500, 16L * 1024 * 1024).build(), true);
  }

  private void flood(RedisServer server, String base, DispatcherConfig config, boolean expectBusy) throws Exception {
    String service = server.serviceName(base);
    String scenario = "flood (" + (expectBusy ? "small queue limits" : "default limits") + ")";
    Keys keys = Keys.of(service);
    Set<String> applied = ConcurrentHashMap.newKeySet();
    List<KeywordDefinition> defs = new ArrayList<>(FaultKit.integers("OTHER0", "OTHER1", "OTHER2", "OTHER3"));
    defs.add(KeywordDefinition.builder("FLOOD", KtlType.INTEGER).build());
    List<KeyspaceWatch> watchers = new ArrayList<>();
    ScheduledExecutorService others = Executors.newSingleThreadScheduledExecutor();
    ExecutorService flooder = Executors.newSingleThreadExecutor();
    try (RedisEndpoint endpoint = Fixtures.endpoint(server);
         DispatcherService d = DispatcherService.builder(service).definitions(defs).config(config).endpoint(endpoint)
             .setup(s -> s.keyword("FLOOD").onWrite(v -> applied.add(v.ascii()))).build();
         Writer w = new Writer(server, service);
         Writer ow = new Writer(server, service);
         RedisClient floodClient = server.newClient()) {
      d.start();
      for (int i = 0; i < 4; i++) {
        watchers.add(new KeyspaceWatch(server, service, false));
      }
      long seqBefore = d.keyword("FLOOD").seq();
      // the flood: pipelined PUBLISHes for 3 s (bounded count); every 50th asks for replies, on w's channel
      List<Sent> replied = new ArrayList<>();
      AtomicLong published = new AtomicLong();
      AtomicLong floodMillis = new AtomicLong();
      Future<?> flood = flooder.submit(() -> {
        long start = System.nanoTime();
        int n = 0;
        while (n < FLOOD_MAX && System.nanoTime() - start < FLOOD_NANOS) {
          try (AbstractPipeline p = floodClient.pipelined()) {
            for (int i = 0; i < 500; i++, n++) {
              String value = Integer.toString(1_000_000 + n);
              boolean withReply = n % REPLY_EVERY == 0;
              String id = withReply ? w.nextId() : "f" + n;
              p.publish(keys.modifyChannel(), new ModifyRequest(id, "FLOOD", value,
                  withReply ? Optional.of(w.replies.channel) : Optional.empty(), Optional.of("flooder")).toJson());
              if (withReply) {
                replied.add(new Sent(id, "FLOOD", value, 1, System.nanoTime()));
              }
            }
            p.sync();
          }
          published.set(n);
        }
        floodMillis.set(FaultKit.msSince(start));
        return null;
      });
      // meanwhile, writers on other keywords
      AtomicLong otherValue = new AtomicLong();
      others.scheduleWithFixedDelay(() -> {
        long v = otherValue.incrementAndGet();
        ow.send("OTHER" + (v % 4), Long.toString(v));
      }, 0, 50, TimeUnit.MILLISECONDS);
      flood.get(60, TimeUnit.SECONDS);
      others.shutdown();
      assertThat(others.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
      long floodEnd = System.nanoTime();

      // after the flood, a write with a reply to the flooded keyword is answered: done or BUSY
      Sent post = w.send("FLOOD", "7");
      Reply postDone = w.awaitDone(post.id(), Duration.ofSeconds(20));
      FaultKit.figure(scenario, "write to the flooded keyword answered " + FaultKit.msSince(post.atNanos())
          + " ms after the flood (" + (postDone instanceof Reply.Failed f ? f.code() : "stored") + ")");
      assertThat(postDone).satisfiesAnyOf(r -> assertThat(r).isInstanceOf(Reply.Stored.class),
          r -> assertThat(FaultKit.isCode(r, "BUSY")).isTrue());

      // the other keywords were answered during the flood
      List<Sent> otherSent = ow.sentList();
      assertThat(otherSent).isNotEmpty().allMatch(s -> s.receivers() == 1);
      ow.assertExactlyOneDone(otherSent, WAIT);
      long worst = otherSent.stream().mapToLong(s -> ow.replies.firstDoneAt.get(s.id()) - s.atNanos()).max().orElse(0);
      FaultKit.figure(scenario, otherSent.size() + " writes to other keywords during the flood, slowest done in "
          + TimeUnit.NANOSECONDS.toMillis(worst) + " ms");
      for (Sent s : otherSent) {
        assertThat(ow.done(s.id())).as("%s", s).isInstanceOf(Reply.Stored.class);
      }

      // the flood drains; then every flood request that asked for replies got exactly one done
      await("the dispatcher drains the flood").atMost(Duration.ofSeconds(90)).until(() -> d.handler.inFlight() == 0);
      FaultKit.recovered(scenario + ", drained", FaultKit.msSince(floodEnd));
      w.assertExactlyOneDone(replied, WAIT);
      long busy = 0;
      for (Sent s : replied) {
        Reply r = w.done(s.id());
        if (FaultKit.isCode(r, "BUSY")) {
          busy++;
          assertThat(applied).as("%s was told BUSY but applied", s).doesNotContain(s.value());
          assertThat(w.replies(s.id())).as("BUSY comes without ack").hasSize(1);
        } else {
          assertThat(r).as("%s", s).isInstanceOf(Reply.Stored.class);
          assertThat(applied).contains(s.value());
        }
      }
      Map<String, String> stored = w.stored("FLOOD");
      long seqDelta = Long.parseLong(stored.get("seq")) - seqBefore;
      FaultKit.figure(scenario, published.get() + " requests published in " + floodMillis.get() + " ms, " + replied.size() + " with replies ("
          + busy + " BUSY), " + applied.size() + " applied, seq +" + seqDelta + ", keyspace events seen "
          + watchers.stream().map(x -> Long.toString(x.events.get())).toList());
      assertThat(seqDelta).as("every applied value was stored once, nothing else").isEqualTo(applied.size());
      if (expectBusy) {
        assertThat(busy).as("small queue limits answer BUSY under a flood").isPositive();
      }
      assertThat(d.state()).isEqualTo(DispatcherService.State.READY);
      w.assertAtMostOneDone();
      w.assertNoAcknowledgedWriteLost();
      ow.assertNoAcknowledgedWriteLost();
      FaultKit.assertNoKtlThreadStuck();
    } finally {
      others.shutdownNow();
      flooder.shutdownNow();
      watchers.forEach(KeyspaceWatch::close);
    }
  }

  @Test
  void eightWritersTimesFiveHundredOnOneKeywordKeepSeqExact(RedisServer server) throws Exception {
    // ConcurrencyTest checks the reply shapes in detail; here the same load, with the fault suite's checks
    String service = server.serviceName("eightbyfive");
    List<Writer> writers = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (RedisEndpoint endpoint = Fixtures.endpoint(server);
         DispatcherService d = DispatcherService.builder(service).definitions(FaultKit.integers("HOT"))
             .endpoint(endpoint).build()) {
      d.start();
      for (int t = 0; t < 8; t++) {
        writers.add(new Writer(server, service));
      }
      long start = System.nanoTime();
      List<CompletableFuture<Void>> all = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        Writer w = writers.get(t);
        int thread = t;
        all.add(CompletableFuture.runAsync(() -> {
          for (int i = 0; i < 500; i++) {
            w.send("HOT", Integer.toString(thread * 1000 + i));
          }
        }, pool));
      }
      CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
      long maxSeq = 0;
      for (Writer w : writers) {
        w.assertExactlyOneDone(w.sentList(), Duration.ofSeconds(120));
        for (Sent s : w.sentList()) {
          assertThat(w.done(s.id())).as("%s", s).isInstanceOf(Reply.Stored.class);
          maxSeq = Math.max(maxSeq, ((Reply.Stored) w.done(s.id())).seq());
        }
      }
      FaultKit.figure("8 writers x 500 writes", "all answered in " + FaultKit.msSince(start) + " ms");
      assertThat(Long.parseLong(writers.get(0).stored("HOT").get("seq"))).isEqualTo(4000);
      assertThat(maxSeq).isEqualTo(4000);
      for (Writer w : writers) {
        w.assertNoAcknowledgedWriteLost();
      }
      FaultKit.assertNoKtlThreadStuck();
    } finally {
      pool.shutdownNow();
      writers.forEach(Writer::close);
    }
  }
}
