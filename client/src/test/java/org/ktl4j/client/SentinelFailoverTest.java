package org.ktl4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.ktl4j.KtlException;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.dispatcher.DispatcherConfig;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.SentinelGroup;
import org.ktl4j.type.KtlType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dispatcher and a client on {@code redis-sentinel://}: the master is killed (SIGKILL) during steady writes; writes
 * succeed again once the Sentinels promote the replica, every write call ends with a value or an exception, and a
 * subscription continues by itself, reporting the gap as a resync.
 */
@Tag("topology")
class SentinelFailoverTest {
  private static final Logger log = LoggerFactory.getLogger(SentinelFailoverTest.class);

  @Test
  void writesAndSubscriptionsResumeAfterTheMasterIsKilled() throws Exception {
    try (SentinelGroup group = SentinelGroup.start()) {
      RedisSettings settings = RedisSettings.fromUri(group.url()).withTimeout(Duration.ofSeconds(1));
      String service = "failover";
      try (RedisEndpoint dispatcherEndpoint = RedisEndpoint.open(settings);
           RedisEndpoint clientEndpoint = RedisEndpoint.open(settings);
           DispatcherService d = DispatcherService.builder(service)
               .definitions(List.of(KeywordDefinition.builder("COUNT", KtlType.INTEGER).build()))
               .config(DispatcherConfig.defaults()).endpoint(dispatcherEndpoint).build()) {
        d.start();
        Service client = Service.open(service, clientEndpoint, ClientConfig.defaults());
        Keyword count = client.keyword("COUNT");
        List<KeywordUpdate> updates = new CopyOnWriteArrayList<>();
        Subscription sub = count.subscribe(updates::add, false);
        assertThat(count.write("1", Duration.ofSeconds(5)).ascii()).isEqualTo("1");
        await().atMost(Duration.ofSeconds(10)).until(() -> updates.stream().anyMatch(u -> u.ascii().equals("1")));

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong next = new AtomicLong(1);
        AtomicLong firstSuccessAfterKill = new AtomicLong();
        AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
        ConcurrentHashMap<String, Integer> outcomes = new ConcurrentHashMap<>();
        Thread writer = new Thread(() -> {
          while (!stop.get()) {
            long started = System.nanoTime();
            try {
              count.write(Long.toString(next.incrementAndGet()), Duration.ofSeconds(2));
              if (started > killedAt.get()) {
                firstSuccessAfterKill.compareAndSet(0, System.nanoTime());
              }
              outcomes.merge("done", 1, Integer::sum);
            } catch (KtlException e) {
              outcomes.merge(e.getClass().getSimpleName(), 1, Integer::sum);
              LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // as a program would, before it retries
            }
          }
        }, "test-steady-writer");
        writer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.getOrDefault("done", 0) >= 20);

        long killStarted = System.nanoTime();
        int oldMaster = group.killMaster(); // returns once the process has exited
        killedAt.set(System.nanoTime());
        int newMaster = group.awaitNewMaster(oldMaster, Duration.ofSeconds(30));
        long promotedMs = (System.nanoTime() - killStarted) / 1_000_000;
        await("a write sent after the kill succeeds").atMost(Duration.ofSeconds(30))
            .until(() -> firstSuccessAfterKill.get() != 0);
        long resumedMs = (firstSuccessAfterKill.get() - killStarted) / 1_000_000;
        int doneBefore = outcomes.getOrDefault("done", 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.getOrDefault("done", 0) >= doneBefore + 20);
        stop.set(true);
        writer.join(10_000);
        assertThat(writer.isAlive()).as("every write call ended").isFalse();

        String last = count.read().orElseThrow().ascii();
        await("the subscription continues by itself").atMost(Duration.ofSeconds(20))
            .until(() -> updates.stream().anyMatch(u -> u.ascii().equals(last)));
        assertThat(updates).as("the gap is reported as a resync").anyMatch(KeywordUpdate::resync);
        assertThat(d.state()).isEqualTo(DispatcherService.State.READY);
        sub.close();
        client.close();
        log.info("FIGURE sentinel failover: master {} killed, {} promoted after {} ms, writes resumed after {} ms; "
            + "outcomes {}", oldMaster, newMaster, promotedMs, resumedMs, outcomes);
      }
    }
  }
}
