package org.ktl4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.internal.protocol.Keys;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import redis.clients.jedis.RedisClient;

/**
 * Monitors never go deaf: a deleted value or a {@code seq} that starts again from 1 is a resync, and the values
 * stored after it reach the listeners.
 */
@ExtendWith(RedisExtension.class)
class MonitorResyncTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void valuesStoredAfterFlushallAndAFreshDispatcherReachTheListener(RedisServer server) {
    String name = server.serviceName("flushed");
    List<KeywordUpdate> one = new CopyOnWriteArrayList<>();
    List<KeywordUpdate> all = new CopyOnWriteArrayList<>();
    try (RedisEndpoint dispatcherSide = TestServices.endpoint(server);
         RedisEndpoint clientSide = TestServices.endpoint(server);
         RedisClient admin = server.newClient()) {
      DispatcherService first = TestServices.dispatcher(name, dispatcherSide);
      try (Service s = Service.open(name, clientSide)) {
        Keyword count = s.keyword("COUNT");
        Subscription sub = count.subscribe(one::add);
        Subscription whole = s.subscribeAll(u -> {
          if (u.keyword().equals("COUNT")) {
            all.add(u);
          }
        });
        for (int i = 1; i <= 5; i++) {
          count.write(Integer.toString(i));
        }
        long before = count.read().orElseThrow().seq();
        await().atMost(WAIT).until(() -> last(one).seq() == before && last(all).seq() == before);
        first.close();

        admin.flushAll(); // Redis lost everything; a fresh dispatcher numbers from 1 again
        try (DispatcherService fresh = TestServices.dispatcher(name, dispatcherSide)) {
          WriteResult stored = count.write("42");
          assertThat(stored.seq()).as("the fresh dispatcher restarted the numbering").isLessThan(before);

          await().atMost(WAIT).until(() -> last(one).ascii().equals("42") && last(all).ascii().equals("42"));
          assertThat(last(one).resync()).as("a restarted seq is a resync").isTrue();
          assertThat(sub.latest()).get().extracting(KeywordValue::ascii).isEqualTo("42");

          WriteResult next = count.write("43"); // and later values count from the new baseline
          await().atMost(WAIT).until(() -> last(one).seq() == next.seq() && last(all).seq() == next.seq());
          assertThat(last(one).ascii()).isEqualTo("43");
          assertThat(last(one).resync()).isFalse();
        }
        sub.close();
        whole.close();
      }
    }
  }

  @Test
  void aValueDeletedByHandEmptiesLatestAndTheNextValueIsDelivered(RedisServer server) {
    String name = server.serviceName("deleted");
    List<KeywordUpdate> got = new CopyOnWriteArrayList<>();
    try (RedisEndpoint endpoint = TestServices.endpoint(server);
         RedisClient admin = server.newClient();
         DispatcherService d = TestServices.dispatcher(name, endpoint);
         Service s = Service.open(name, endpoint)) {
      Keyword count = s.keyword("COUNT");
      count.write("7");
      try (Subscription sub = count.subscribe(got::add)) {
        await().atMost(WAIT).until(() -> !got.isEmpty() && last(got).ascii().equals("7"));
        int seen = got.size();

        // deletions are generic keyspace events ('g'): with only the dispatcher's 'Kh', a deletion is noticed
        // with the next value stored instead (see the next test)
        String flags = admin.configGet("notify-keyspace-events").get("notify-keyspace-events");
        admin.configSet("notify-keyspace-events", flags + "g");
        admin.del(Keys.of(name).keyword("COUNT"));

        await().atMost(WAIT).until(() -> sub.latest().isEmpty());
        assertThat(got).as("a deletion calls no listener").hasSize(seen);

        count.write("8");
        await().atMost(WAIT).until(() -> last(got).ascii().equals("8"));
        assertThat(last(got).resync()).as("the first value after a deletion is a resync").isTrue();
        assertThat(sub.latest()).get().extracting(KeywordValue::ascii).isEqualTo("8");
      }
    }
  }

  @Test
  void aValueDeletedByHandAndStoredAgainFromSeqOneIsDelivered(RedisServer server) {
    String name = server.serviceName("renumbered");
    List<KeywordUpdate> got = new CopyOnWriteArrayList<>();
    try (RedisEndpoint dispatcherSide = TestServices.endpoint(server);
         RedisEndpoint clientSide = TestServices.endpoint(server);
         RedisClient admin = server.newClient()) {
      DispatcherService first = TestServices.dispatcher(name, dispatcherSide);
      try (Service s = Service.open(name, clientSide)) {
        Keyword count = s.keyword("COUNT");
        for (int i = 1; i <= 3; i++) {
          count.write(Integer.toString(i));
        }
        try (Subscription sub = count.subscribe(got::add)) {
          await().atMost(WAIT).until(() -> !got.isEmpty() && last(got).ascii().equals("3"));
          first.close();
          admin.del(Keys.of(name).keyword("COUNT"));

          try (DispatcherService fresh = TestServices.dispatcher(name, dispatcherSide)) {
            assertThat(count.write("9").seq()).isEqualTo(1);
            await().atMost(WAIT).until(() -> last(got).ascii().equals("9"));
            assertThat(sub.latest()).get().extracting(KeywordValue::seq).isEqualTo(1L);
          }
        }
      }
    }
  }

  private static KeywordUpdate last(List<KeywordUpdate> updates) {
    return updates.isEmpty() ? new KeywordUpdate(new KeywordValue("", "", "", "", java.time.Instant.EPOCH, -1, ""),
        0, false) : updates.get(updates.size() - 1);
  }
}
