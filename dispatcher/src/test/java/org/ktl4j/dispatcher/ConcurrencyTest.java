package org.ktl4j.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.internal.protocol.Reply;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import org.ktl4j.type.KtlType;

/** Many writers on one keyword: every request answered once, seq rises by exactly the number of writes. */
@ExtendWith(RedisExtension.class)
class ConcurrencyTest {

  @Test
  void eightThreadsTimesFiveHundredWritesAreEachAnsweredOnce(RedisServer server) throws Exception {
    String service = server.serviceName("concurrency");
    try (RedisEndpoint endpoint = Fixtures.endpoint(server);
         DispatcherService dispatcher = DispatcherService.builder(service)
             .keyword(KeywordDefinition.builder("HOT", KtlType.INTEGER).build()).endpoint(endpoint).build()) {
      dispatcher.start();
      List<RawWriter> writers = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        writers.add(new RawWriter(server, service));
      }
      try {
        long seqBefore = 0;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          RawWriter w = writers.get(t);
          int thread = t;
          futures.add(pool.submit(() -> {
            for (int i = 0; i < 500; i++) {
              w.send("HOT", Integer.toString(thread * 1000 + i));
            }
          }));
        }
        for (Future<?> f : futures) {
          f.get();
        }
        pool.shutdown();
        await().atMost(Duration.ofSeconds(120)).until(() -> writers.stream().mapToLong(
            w -> w.replies.values().stream().filter(l -> l.stream().anyMatch(r -> !(r instanceof Reply.Ack))).count()).sum() == 4000);
        Reply.Stored last = null;
        for (RawWriter w : writers) {
          assertThat(w.replies).hasSize(500);
          for (Map.Entry<String, List<Reply>> e : w.replies.entrySet()) {
            List<Reply> rs = e.getValue();
            // a keyword without a write hook: its done, which implies the ack, is its only reply
            assertThat(rs).as("request %s", e.getKey()).hasSize(1);
            assertThat(rs.get(0)).isInstanceOf(Reply.Stored.class);
            assertThat(rs).allMatch(r -> r.id().equals(e.getKey()));
            Reply.Stored s = (Reply.Stored) rs.get(0);
            if (last == null || s.seq() > last.seq()) {
              last = s;
            }
          }
        }
        for (RawWriter w : writers) { // one writer's requests arrive in the order sent, and are stored in that order
          long previous = 0;
          for (int i = 1; i <= 500; i++) {
            long seq = ((Reply.Stored) w.done("r" + i)).seq();
            assertThat(seq).as("seq of request r%d", i).isGreaterThan(previous);
            previous = seq;
          }
        }
        Map<String, String> stored = writers.get(0).stored("HOT");
        assertThat(Long.parseLong(stored.get("seq"))).isEqualTo(seqBefore + 4000);
        assertThat(last.seq()).isEqualTo(4000);
        assertThat(stored.get("ascii")).as("the final value is the last one acknowledged").isEqualTo(last.ascii());
      } finally {
        writers.forEach(RawWriter::close);
      }
    }
  }
}
