package org.ktl4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.ErrorCode;
import org.ktl4j.KtlTimeoutException;
import org.ktl4j.RefusedException;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisClient;

/**
 * The client against a minimal dispatcher written here with raw Jedis from docs/protocol.md alone: proves the
 * client depends only on the contract. The dispatcher understands one keyword, COUNTER (integer).
 */
@ExtendWith(RedisExtension.class)
class ContractDispatcherTest {

  /** Behaviour of the hand-written dispatcher. */
  enum Mode { NORMAL, NO_ACK, NO_DONE }

  /** A dispatcher in ~40 lines: subscribe to modify, ack, HSET the hash, done. */
  static final class MinimalDispatcher implements AutoCloseable {
    private final RedisClient redis;
    private final Connection sub;
    private final JedisPubSub pubsub;
    private final Thread thread;
    private final AtomicLong seq = new AtomicLong();
    volatile Mode mode = Mode.NORMAL;

    MinimalDispatcher(RedisServer server, String service) {
      redis = server.newClient();
      redis.configSet("notify-keyspace-events", "Kh");
      redis.hset("ktl:{" + service + "}:keywords", "COUNTER", "{\"name\":\"COUNTER\",\"type\":\"integer\",\"min\":0,\"max\":1000}");
      redis.sadd("ktl:services", service);
      sub = new Connection(new HostAndPort(server.host(), server.port()), server.clientConfig().build());
      pubsub = new JedisPubSub() {
        @Override
        public void onMessage(String channel, String message) {
          com.google.gson.JsonObject req = com.google.gson.JsonParser.parseString(message).getAsJsonObject();
          String id = req.get("id").getAsString();
          String reply = req.get("reply").getAsString();
          String value = req.get("value").getAsString();
          String prefix = "{\"id\":\"" + id + "\",\"keyword\":\"COUNTER\",\"stage\":";
          if (mode == Mode.NO_ACK) {
            return;
          }
          redis.publish(reply, prefix + "\"ack\"}");
          if (mode == Mode.NO_DONE) {
            return;
          }
          if (value.equals("13")) {
            redis.publish(reply, prefix + "\"done\",\"ok\":false,\"code\":\"REJECTED\",\"error\":\""
                + service + ".COUNTER: value '13' rejected: unlucky\"}");
            return;
          }
          long s = seq.incrementAndGet();
          redis.hset("ktl:{" + service + "}:kw:COUNTER", Map.of("ascii", value, "ts", "1700000000.000000",
              "seq", Long.toString(s), "origin", req.get("client").getAsString()));
          redis.publish(reply, prefix + "\"done\",\"ok\":true,\"ascii\":\"" + value + "\",\"seq\":" + s + "}");
        }
      };
      thread = new Thread(() -> {
        try {
          pubsub.proceed(sub, "ktl:{" + service + "}:modify");
        } catch (RuntimeException e) {
          // closed
        }
      }, "minimal-dispatcher");
      thread.setDaemon(true);
      thread.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> redis.publish("ktl:{" + service + "}:ping-probe", "") >= 0
          && pubsub.isSubscribed());
    }

    @Override
    public void close() {
      pubsub.unsubscribe();
      sub.close();
      redis.close();
    }
  }

  @Test
  void clientWritesReadsAndMonitorsAgainstAHandWrittenDispatcher(RedisServer server) {
    String service = server.serviceName("contract");
    try (MinimalDispatcher d = new MinimalDispatcher(server, service);
         RedisEndpoint e = TestServices.endpoint(server);
         Service s = Service.open(service, e)) {
      Keyword counter = s.keyword("counter");
      AtomicReference<KeywordUpdate> last = new AtomicReference<>();
      try (Subscription sub = counter.subscribe(last::set)) {
        WriteResult r = counter.write("5");
        assertThat(r.ascii()).isEqualTo("5");
        assertThat(r.seq()).isEqualTo(1);
        assertThat(counter.readAscii()).isEqualTo("5");
        await().atMost(Duration.ofSeconds(10)).until(() -> last.get() != null && last.get().seq() == 1);
        counter.write("6");
        await().atMost(Duration.ofSeconds(10)).until(() -> last.get().seq() == 2 && sub.latest().orElseThrow().ascii().equals("6"));
      }
      assertThatThrownBy(() -> counter.write("13")).isInstanceOf(RefusedException.class)
          .satisfies(x -> assertThat(((RefusedException) x).code()).isEqualTo(ErrorCode.REJECTED))
          .hasMessageContaining("unlucky");
      assertThatThrownBy(() -> counter.write("2000")).isInstanceOf(RefusedException.class)
          .satisfies(x -> assertThat(((RefusedException) x).code()).isEqualTo(ErrorCode.OUT_OF_RANGE));
    }
  }

  @Test
  void missingAckIsATimeoutThatNamesTheAckStage(RedisServer server) {
    String service = server.serviceName("noack");
    try (MinimalDispatcher d = new MinimalDispatcher(server, service);
         RedisEndpoint e = TestServices.endpoint(server);
         Service s = Service.open(service, e, ClientConfig.defaults().withAckTimeout(Duration.ofMillis(300)))) {
      d.mode = Mode.NO_ACK;
      assertThatThrownBy(() -> s.keyword("COUNTER").write("1")).isInstanceOf(KtlTimeoutException.class)
          .hasMessageContaining("no ack").hasMessageContaining(service + ".COUNTER");
      WriteHandle h = s.keyword("COUNTER").writeAsync("1");
      assertThatThrownBy(() -> h.done().get()).hasCauseInstanceOf(KtlTimeoutException.class);
    }
  }

  @Test
  void missingDoneIsATimeoutThatNamesTheDoneStage(RedisServer server) {
    String service = server.serviceName("nodone");
    try (MinimalDispatcher d = new MinimalDispatcher(server, service);
         RedisEndpoint e = TestServices.endpoint(server);
         Service s = Service.open(service, e)) {
      d.mode = Mode.NO_DONE;
      assertThatThrownBy(() -> s.keyword("COUNTER").write("1", Duration.ofMillis(500)))
          .isInstanceOf(KtlTimeoutException.class).hasMessageContaining("acknowledged but not done");
    }
  }
}
