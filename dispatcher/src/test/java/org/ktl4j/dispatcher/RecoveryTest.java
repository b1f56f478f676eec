package org.ktl4j.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.protocol.Reply;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import org.ktl4j.type.KtlType;

/** The dispatcher heals itself when Redis dies and comes back empty. */
@ExtendWith(RedisExtension.class)
class RecoveryTest {

  @Test
  void redisRestartedEmptyWhileWritesAreInFlightGetsStateRepublished(RedisServer server) {
    server.requireControllable();
    String service = server.serviceName("recovery");
    List<KeywordDefinition> defs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      defs.add(KeywordDefinition.builder("K" + i, KtlType.INTEGER).build());
    }
    defs.add(KeywordDefinition.builder("LOCAL", KtlType.INTEGER).build()); // only ever set by dispatcher code
    try (RedisEndpoint endpoint = Fixtures.endpoint(server);
         DispatcherService d = DispatcherService.builder(service).definitions(defs).endpoint(endpoint)
             .config(DispatcherConfig.builder().leaseTtl(Duration.ofSeconds(1)).build()).build()) {
      d.start();
      Map<String, Long> seqBefore = new HashMap<>();
      Map<String, String> acknowledged = new HashMap<>();
      try (RawWriter w = new RawWriter(server, service)) {
        for (int i = 0; i < 10; i++) {
          assertThat(w.write("K" + i, "1")).isInstanceOf(Reply.Stored.class);
        }
        List<String> inFlight = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          inFlight.add(w.send("K" + i, Integer.toString(100 + i)));
        }
        server.kill();
        for (int i = 0; i < 10; i++) {
          Reply r = w.done(inFlight.get(i));
          if (r instanceof Reply.Stored s) {
            acknowledged.put("K" + i, s.ascii());
          }
          seqBefore.put("K" + i, d.keyword("K" + i).seq());
        }
      }
      d.keyword("LOCAL").set("999"); // set while Redis is down: kept and published when it returns
      server.restart();
      try (var redis = server.newClient()) {
        await().atMost(Duration.ofSeconds(60)).until(() -> redis.exists("ktl:{" + service + "}:keywords")
            && "999".equals(redis.hget("ktl:{" + service + "}:kw:LOCAL", "ascii")));
        for (int i = 0; i < 10; i++) {
          String key = "ktl:{" + service + "}:kw:K" + i;
          int k = i;
          await().atMost(Duration.ofSeconds(30)).until(() -> redis.hget(key, "ascii") != null);
          if (acknowledged.containsKey("K" + i)) {
            assertThat(redis.hget(key, "ascii")).as("K%d was acknowledged before the crash", k)
                .isEqualTo(acknowledged.get("K" + i));
          }
          assertThat(Long.parseLong(redis.hget(key, "seq"))).as("seq of K%d never goes backwards", k)
              .isGreaterThan(seqBefore.get("K" + i) - 1);
        }
        assertThat(redis.get("ktl:{" + service + "}:dispatcher")).as("lease taken again").isNotNull();
        assertThat(redis.configGet("notify-keyspace-events").get("notify-keyspace-events")).contains("K");
      }
      try (RawWriter w = new RawWriter(server, service)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> w.publishRaw("{}") == 1);
        assertThat(w.write("K0", "5")).isInstanceOf(Reply.Stored.class);
      }
    }
  }
}
