package org.ktl4j.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.ErrorCode;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.internal.protocol.Reply;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import org.ktl4j.type.KtlType;

/** Keyword behaviour: check, write, read, periodic updates and set() from dispatcher code. */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HookTest {
  private final CountDownLatch releaseSlow = new CountDownLatch(1);
  private final AtomicInteger polls = new AtomicInteger();
  private final AtomicReference<Double> hardware = new AtomicReference<>(0.0);
  private RedisEndpoint endpoint;
  private DispatcherService dispatcher;
  private RawWriter writer;

  @BeforeAll
  void start(RedisServer server) {
    String service = server.serviceName("hooks");
    endpoint = Fixtures.endpoint(server);
    dispatcher = DispatcherService.builder(service)
        .definitions(List.of(
            KeywordDefinition.builder("EL", KtlType.DOUBLE).range(0, 90).build(),
            KeywordDefinition.builder("FOCUS", KtlType.DOUBLE).build(),
            KeywordDefinition.builder("SLOW", KtlType.INTEGER).build(),
            KeywordDefinition.builder("FAST", KtlType.INTEGER).build(),
            KeywordDefinition.builder("POLLED", KtlType.INTEGER).build(),
            KeywordDefinition.builder("STATE", KtlType.STRING).build()))
        .endpoint(endpoint)
        .setup(s -> {
          s.keyword("EL").onCheck(v -> {
            if (v.asDouble() < 15) {
              throw new IllegalArgumentException("elevation below the horizon limit (15 deg)");
            }
          });
          s.keyword("FOCUS").onWrite(v -> {
            if (v.asDouble() < 0) {
              throw new IllegalStateException("focus stage controller not responding");
            }
            hardware.set(v.asDouble());
          });
          s.keyword("SLOW").onWrite(v -> {
            if (v.asInt() == 1) {
              releaseSlow.await(60, TimeUnit.SECONDS);
            }
          });
          s.keyword("FAST").onWrite(v -> { });
          s.keyword("POLLED").onRead(polls::incrementAndGet).period(Duration.ofMillis(50));
        })
        .build();
    dispatcher.start();
    writer = new RawWriter(server, service);
  }

  @AfterAll
  void stop() {
    releaseSlow.countDown();
    writer.close();
    dispatcher.close();
    endpoint.close();
  }

  @Test
  void checkRefusalReachesWriterAsRejectedWithItsReason() {
    Reply.Failed f = (Reply.Failed) writer.write("EL", "5");
    assertThat(f.code()).isEqualTo(ErrorCode.REJECTED);
    assertThat(f.error()).contains("EL").contains("'5.0'").contains("horizon limit");
    assertThat(writer.stored("EL")).doesNotContainKey("ascii");
    assertThat(writer.write("EL", "45")).isInstanceOf(Reply.Stored.class);
  }

  @Test
  void writeFailureIsWriteFailedAndNothingIsStored() {
    Reply.Stored ok = (Reply.Stored) writer.write("FOCUS", "1.5");
    assertThat(hardware.get()).isEqualTo(1.5);
    String id = writer.send("FOCUS", "-1");
    Reply.Failed f = (Reply.Failed) writer.awaitDone(id);
    assertThat(writer.all(id).get(0)).as("a write that fails was accepted first").isInstanceOf(Reply.Ack.class);
    assertThat(f.code()).isEqualTo(ErrorCode.WRITE_FAILED);
    assertThat(f.error()).contains("FOCUS").contains("controller not responding");
    assertThat(writer.stored("FOCUS")).containsEntry("ascii", "1.5").containsEntry("seq", Long.toString(ok.seq()));
  }

  @Test
  void slowWriteOnOneKeywordDoesNotDelayAnother() {
    String slow = writer.send("SLOW", "1");
    await().atMost(Duration.ofSeconds(10)).until(() -> !writer.all(slow).isEmpty());
    assertThat(writer.all(slow).get(0)).isInstanceOf(Reply.Ack.class);
    String queued = writer.send("SLOW", "2");
    await("a queued write is acknowledged on arrival").atMost(Duration.ofSeconds(10))
        .until(() -> !writer.all(queued).isEmpty());
    for (int i = 0; i < 20; i++) {
      assertThat(writer.write("FAST", Integer.toString(i))).isInstanceOf(Reply.Stored.class);
    }
    assertThat(writer.done(slow)).as("the slow write is still running").isNull();
    releaseSlow.countDown();
    Reply.Stored first = (Reply.Stored) writer.awaitDone(slow);
    Reply.Stored second = (Reply.Stored) writer.awaitDone(queued);
    assertThat(second.seq()).as("writes of one keyword run in arrival order").isEqualTo(first.seq() + 1);
    assertThat(writer.stored("SLOW")).containsEntry("ascii", "2");
  }

  @Test
  void periodicUpdateStoresFreshValues() {
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      String v = writer.stored("POLLED").get("ascii");
      return v != null && Integer.parseInt(v) >= 3;
    });
    assertThat(writer.stored("POLLED")).containsEntry("origin", "dispatcher");
  }

  @Test
  void setFromCodeBroadcastsOnlyChanges() {
    DispatcherKeyword state = dispatcher.keyword("state");
    state.set("idle");
    await().atMost(Duration.ofSeconds(10)).until(() -> "idle".equals(writer.stored("STATE").get("ascii")));
    long seq = Long.parseLong(writer.stored("STATE").get("seq"));
    state.set("idle");
    state.set("busy");
    await().atMost(Duration.ofSeconds(10)).until(() -> "busy".equals(writer.stored("STATE").get("ascii")));
    assertThat(Long.parseLong(writer.stored("STATE").get("seq"))).isEqualTo(seq + 1);
    state.set("busy", true);
    await().atMost(Duration.ofSeconds(10)).until(() -> Long.parseLong(writer.stored("STATE").get("seq")) == seq + 2);
  }

  @Test
  void badValueFromCodeIsAnExceptionInTheCaller() {
    assertThatThrownBy(() -> dispatcher.keyword("EL").set("100"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EL").hasMessageContaining("100");
    assertThatThrownBy(() -> dispatcher.keyword("SLOW").setBinary(2.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SLOW");
    assertThatThrownBy(() -> dispatcher.keyword("NOPE")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NOPE").hasMessageContaining("FOCUS");
  }

  @Test
  void heartbeatAdvances() {
    long first = Long.parseLong(writer.stored("DISPCLK").get("seq"));
    await().atMost(Duration.ofSeconds(20)).until(() -> Long.parseLong(writer.stored("DISPCLK").get("seq")) > first);
  }
}
