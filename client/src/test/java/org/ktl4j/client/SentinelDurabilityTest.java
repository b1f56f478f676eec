package org.ktl4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ktl4j.KtlException;
import org.ktl4j.RefusedException;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.dispatcher.DispatcherConfig;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.dispatcher.Durability;
import org.ktl4j.protocol.ErrorCode;
import org.ktl4j.protocol.Keys;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.SentinelGroup;
import org.ktl4j.type.KtlType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;

/**
 * A dispatcher with replica durability ({@code WAIT 1} before {@code done}) behind Sentinel: a value told
 * {@code done} is on the replica; with the replica stopped, a write is told {@code WRITE_FAILED} within the wait, never
 * a late {@code done}; and when the master is killed during steady writes, every value told {@code done} is on the
 * replica that takes over.
 */
@Tag("topology")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SentinelDurabilityTest {
  private static final Logger log = LoggerFactory.getLogger(SentinelDurabilityTest.class);

  private SentinelGroup group;
  private RedisSettings settings;

  @BeforeAll
  void start() {
    group = SentinelGroup.start();
    settings = RedisSettings.fromUri(group.url()).withTimeout(Duration.ofSeconds(2));
  }

  @AfterAll
  void stop() {
    if (group != null) {
      group.close();
    }
  }

  private DispatcherService dispatcher(String service, RedisEndpoint endpoint) {
    DispatcherService d = DispatcherService.builder(service)
        .definitions(List.of(KeywordDefinition.builder("V", KtlType.INTEGER).build(),
            KeywordDefinition.builder("H", KtlType.INTEGER).build()))
        .setup(s -> s.keyword("H").onWrite(v -> { }))
        .config(DispatcherConfig.builder().durability(Durability.REPLICA).build()).endpoint(endpoint).build();
    d.start();
    return d;
  }

  private String onReplica(String service, String keyword, String field) {
    try (Jedis replica = group.node(group.replicaPort())) {
      return replica.hget(Keys.of(service).keyword(keyword), field);
    }
  }

  @Test
  void aValueToldDoneIsOnTheReplica() {
    String service = "durable";
    try (RedisEndpoint de = RedisEndpoint.open(settings); RedisEndpoint ce = RedisEndpoint.open(settings);
         DispatcherService d = dispatcher(service, de)) {
      Service client = Service.open(service, ce, ClientConfig.defaults());
      for (String kw : List.of("V", "H")) { // a caching keyword, and one with a write hook
        WriteResult r = client.keyword(kw).write("41", Duration.ofSeconds(5));
        assertThat(onReplica(service, kw, "ascii")).as(kw).isEqualTo("41");
        assertThat(onReplica(service, kw, "seq")).as(kw).isEqualTo(Long.toString(r.seq()));
      }
      client.close();
    }
  }

  @Test
  void withTheReplicaStoppedAWriteIsToldWriteFailedNeverALateDone() {
    String service = "durablestop";
    try (RedisEndpoint de = RedisEndpoint.open(settings); RedisEndpoint ce = RedisEndpoint.open(settings);
         DispatcherService d = dispatcher(service, de)) {
      Service client = Service.open(service, ce, ClientConfig.defaults());
      Keyword v = client.keyword("V");
      v.write("1", Duration.ofSeconds(5));
      int replica = group.replicaPort();
      group.pause(replica);
      try {
        assertThatThrownBy(() -> v.write("2", Duration.ofSeconds(5))).isInstanceOf(RefusedException.class)
            .hasMessageContaining("no replica confirmed it within 500 ms")
            .satisfies(e -> assertThat(((RefusedException) e).code()).isEqualTo(ErrorCode.WRITE_FAILED));
      } finally {
        group.resume(replica);
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        try {
          v.write("3", Duration.ofSeconds(5));
          return true;
        } catch (KtlException e) {
          return false;
        }
      });
      client.close();
    }
  }

  @Test
  void everyValueToldDoneBeforeTheMasterIsKilledIsOnTheReplicaThatTakesOver() throws Exception {
    String service = "durablefailover";
    try (SentinelGroup own = SentinelGroup.start(); // its master is killed: a group of its own
         RedisEndpoint de = RedisEndpoint.open(RedisSettings.fromUri(own.url()).withTimeout(Duration.ofSeconds(2)));
         RedisEndpoint ce = RedisEndpoint.open(RedisSettings.fromUri(own.url()).withTimeout(Duration.ofSeconds(2)));
         DispatcherService d = dispatcher(service, de)) {
      Service client = Service.open(service, ce, ClientConfig.defaults());
      Keyword v = client.keyword("V");
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong lastDoneSeq = new AtomicLong();
      AtomicLong dones = new AtomicLong();
      AtomicLong n = new AtomicLong();
      Thread writer = new Thread(() -> {
        while (!stop.get()) {
          try {
            WriteResult r = v.write(Long.toString(n.incrementAndGet()), Duration.ofSeconds(2));
            lastDoneSeq.accumulateAndGet(r.seq(), Math::max);
            dones.incrementAndGet();
          } catch (KtlException e) {
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
          }
        }
      }, "test-durable-writer");
      writer.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> dones.get() >= 20);
      int replica = own.replicaPort();
      own.killMaster();
      stop.set(true);
      writer.join(10_000);
      long lastDone = lastDoneSeq.get();
      String seqOnReplica;
      try (Jedis r = own.node(replica)) {
        seqOnReplica = r.hget(Keys.of(service).keyword("V"), "seq");
      }
      log.info("FIGURE durability replica: {} writes done, the last done seq {}, the replica's seq {}", dones.get(),
          lastDone, seqOnReplica);
      assertThat(Long.parseLong(seqOnReplica)).as("the replica holds every value told done")
          .isGreaterThanOrEqualTo(lastDone);
      client.close();
    }
  }
}
