package org.ktl4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.UnavailableException;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.dispatcher.DispatcherConfig;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import org.ktl4j.type.KtlType;

/** The client heals itself when Redis restarts; nothing hangs. */
@ExtendWith(RedisExtension.class)
class ClientRecoveryTest {

  @Test
  void subscriptionsResumeAndSeeRepublishedValuesAfterRedisRestarts(RedisServer server) throws Exception {
    server.requireControllable();
    String name = server.serviceName("heal");
    CountDownLatch hold = new CountDownLatch(1);
    try (RedisEndpoint dispatcherSide = TestServices.endpoint(server);
         RedisEndpoint clientSide = TestServices.endpoint(server);
         DispatcherService d = DispatcherService.builder(name)
             .keyword(KeywordDefinition.builder("COUNT", KtlType.INTEGER).build())
             .keyword(KeywordDefinition.builder("SLOW", KtlType.INTEGER).build())
             .setup(s -> s.keyword("SLOW").onWrite(v -> hold.await(60, TimeUnit.SECONDS)))
             .config(DispatcherConfig.builder().leaseTtl(Duration.ofSeconds(1)).build())
             .endpoint(dispatcherSide).build()) {
      d.start();
      try (Service s = Service.open(name, clientSide)) {
        List<KeywordUpdate> got = new CopyOnWriteArrayList<>();
        s.keyword("COUNT").write("41");
        Subscription sub = s.keyword("COUNT").subscribe(got::add);
        await().atMost(Duration.ofSeconds(10)).until(() -> got.stream().anyMatch(u -> u.ascii().equals("41")));
        WriteHandle inFlight = s.keyword("SLOW").writeAsync("1");
        inFlight.ack().get(10, TimeUnit.SECONDS);
        int before = got.size();

        server.kill();
        assertThatThrownBy(() -> inFlight.done().get(30, TimeUnit.SECONDS))
            .as("a write in flight during the drop fails, it does not hang")
            .hasCauseInstanceOf(UnavailableException.class).hasMessageContaining("lost");
        server.restart();

        await().atMost(Duration.ofSeconds(60)).until(() -> got.size() > before
            && got.get(got.size() - 1).ascii().equals("41"));
        assertThat(sub.latest()).get().extracting(KeywordValue::ascii).isEqualTo("41");
        await().atMost(Duration.ofSeconds(30)).until(() -> s.isDispatcherAlive());
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> s.keyword("COUNT").write("42").ascii().equals("42"));
        await().atMost(Duration.ofSeconds(10)).until(() -> got.get(got.size() - 1).ascii().equals("42"));
        hold.countDown();
      }
    }
  }

  @Test
  void readAgainstADeadServerFailsWithinTheTimeoutNamingTheServer(RedisServer server) {
    server.requireControllable();
    String name = server.serviceName("dead");
    try (RedisEndpoint e = TestServices.endpoint(server); DispatcherService d = TestServices.dispatcher(name, e);
         Service s = Service.open(name, e)) {
      Keyword kw = s.keyword("COUNT");
      server.kill();
      try {
        assertThatThrownBy(kw::read).isInstanceOf(UnavailableException.class)
            .hasMessageContaining(server.host() + ":" + server.port());
        assertThatThrownBy(() -> kw.write("1")).isInstanceOf(UnavailableException.class);
      } finally {
        server.restart();
      }
    }
  }
}
