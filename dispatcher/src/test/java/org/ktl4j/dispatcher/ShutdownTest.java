package org.ktl4j.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.protocol.Reply;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.SharedPool;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import org.ktl4j.type.KtlType;

/** Stopping and starting take their time: nothing accepted is dropped, and the lease never lapses. */
@ExtendWith(RedisExtension.class)
class ShutdownTest {

  @Test
  void closeFinishesARequestThatIsStillBeingChecked(RedisServer server) throws Exception {
    String service = server.serviceName("drain");
    CountDownLatch inCheck = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (RedisEndpoint e = Fixtures.endpoint(server); RawWriter w = new RawWriter(server, service)) {
      DispatcherService d = DispatcherService.builder(service).endpoint(e)
          .keyword(KeywordDefinition.builder("HW", KtlType.INTEGER).build())
          .keyword(KeywordDefinition.builder("PLAIN", KtlType.INTEGER).build())
          .setup(s -> {
            s.keyword("HW").onCheck(v -> {
              inCheck.countDown();
              release.await(30, TimeUnit.SECONDS);
            }).onWrite(v -> { });
            s.keyword("PLAIN").onCheck(v -> {
              inCheck.countDown();
              release.await(30, TimeUnit.SECONDS);
            });
          }).build();
      d.start();
      String hw = w.send("HW", "1");
      String plain = w.send("PLAIN", "2");
      assertThat(inCheck.await(20, TimeUnit.SECONDS)).isTrue();
      Thread closer = new Thread(d::close, "closer");
      closer.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> d.state() == DispatcherService.State.STOPPING);
      release.countDown();
      closer.join(30_000);
      assertThat(w.awaitDone(hw)).isInstanceOf(Reply.Stored.class);
      assertThat(w.awaitDone(plain)).isInstanceOf(Reply.Stored.class);
      assertThat(w.stored("DISPSTA")).containsEntry("ascii", "stopping");
      long stopSeq = Long.parseLong(w.stored("DISPSTA").get("seq"));
      assertThat(Long.parseLong(w.stored("HW").get("seq"))).isPositive();
      assertThat(w.redis.exists("ktl:{" + service + "}:dispatcher")).isFalse();
      assertThat(stopSeq).isPositive();
    }
  }

  @Test
  void leaseIsRenewedWhileStartUpIsSlow(RedisServer server) {
    String service = server.serviceName("slowstart");
    DispatcherConfig oneSecond = DispatcherConfig.builder().leaseTtl(Duration.ofSeconds(1)).build();
    CountDownLatch slowPoll = new CountDownLatch(1);
    try (RedisEndpoint e1 = Fixtures.endpoint(server); RedisEndpoint e2 = Fixtures.endpoint(server);
         var redis = server.newClient()) {
      DispatcherService slow = DispatcherService.builder(service).endpoint(e1).config(oneSecond)
          .keyword(KeywordDefinition.builder("POLLED", KtlType.INTEGER).build())
          .setup(s -> s.keyword("POLLED").onRead(() -> {
            slowPoll.await(30, TimeUnit.SECONDS);
            return 1;
          }).period(Duration.ofHours(1))).build();
      Thread starter = new Thread(slow::start, "slow-start");
      starter.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> redis.exists("ktl:{" + service + "}:keywords"));
      // the first poll blocks for longer than the lease lives: the lease must be renewed meanwhile
      await().pollDelay(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(20))
          .until(() -> redis.pttl("ktl:{" + service + "}:dispatcher") > 0);
      slowPoll.countDown();
      await().atMost(Duration.ofSeconds(20)).until(() -> slow.state() == DispatcherService.State.READY);
      try (DispatcherService rival = DispatcherService.builder(service).endpoint(e2).config(oneSecond)
          .keyword(KeywordDefinition.builder("POLLED", KtlType.INTEGER).build()).build()) {
        org.assertj.core.api.Assertions.assertThatThrownBy(rival::start).hasMessageContaining("already served");
      }
      assertThat(slow.state()).isEqualTo(DispatcherService.State.READY);
      slow.close();
    }
  }

  @Test
  void sharedPoolClosesItsDispatchersBeforeItself(RedisServer server) {
    String service = server.serviceName("sharedstop");
    SharedPool.reset();
    SharedPool.configurePool(server.uri());
    try (var redis = server.newClient()) {
      DispatcherService d = DispatcherService.builder(service)
          .keyword(KeywordDefinition.builder("X", KtlType.INTEGER).build()).build();
      d.start();
      SharedPool.reset(); // what the JVM exit hook does
      assertThat(d.state()).isEqualTo(DispatcherService.State.STOPPED);
      assertThat(redis.hget("ktl:{" + service + "}:kw:DISPSTA", "ascii")).isEqualTo("stopping");
      assertThat(redis.exists("ktl:{" + service + "}:dispatcher")).isFalse();
    } finally {
      SharedPool.reset();
    }
  }
}
