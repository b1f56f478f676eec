package org.ktl4j.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.internal.protocol.Reply;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import org.ktl4j.type.KtlType;

/** Values set by dispatcher code: the newest stored, each one counted in seq, in order with MODIFY writes. */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SetFromCodeTest {
  private DispatcherService dispatcher;
  private RedisEndpoint endpoint;
  private RawWriter writer;

  @BeforeAll
  void start(RedisServer server) {
    String service = server.serviceName("setcode");
    endpoint = Fixtures.endpoint(server);
    dispatcher = DispatcherService.builder(service)
        .definitions(List.of(
            KeywordDefinition.builder("COUNT", KtlType.INTEGER).build(),
            KeywordDefinition.builder("BURST", KtlType.INTEGER).build(),
            KeywordDefinition.builder("MIXED", KtlType.INTEGER).build()))
        .endpoint(endpoint)
        .build();
    dispatcher.start();
    writer = new RawWriter(server, service);
  }

  @AfterAll
  void stop() {
    writer.close();
    dispatcher.close();
    endpoint.close();
  }

  private long seq(String keyword) {
    String s = writer.stored(keyword).get("seq");
    return s == null ? 0 : Long.parseLong(s);
  }

  @Test
  void valuesSetFasterThanTheyAreStoredCoalesceAndEveryOneIsCountedInSeq() {
    DispatcherKeyword count = dispatcher.keyword("COUNT");
    long seq0 = seq("COUNT");
    int n = 5_000;
    long before = System.currentTimeMillis();
    for (int i = 1; i <= n; i++) {
      count.set(Integer.toString(i));
    }
    long after = System.currentTimeMillis();
    await().atMost(Duration.ofSeconds(20)).until(() -> seq("COUNT") == seq0 + n);
    assertThat(writer.stored("COUNT")).containsEntry("ascii", Integer.toString(n))
        .containsEntry("origin", "dispatcher");
    double ts = Double.parseDouble(writer.stored("COUNT").get("ts"));
    assertThat(ts * 1000).as("the time of the last set").isBetween(before - 1.0, after + 1.0);
    assertThat(count.seq()).isEqualTo(seq0 + n);
  }

  @Test
  void anUnchangedValueIsNeitherStoredNorCounted() {
    DispatcherKeyword burst = dispatcher.keyword("BURST");
    burst.set("7");
    await().atMost(Duration.ofSeconds(10)).until(() -> "7".equals(writer.stored("BURST").get("ascii")));
    long seq = seq("BURST");
    burst.set("7");
    burst.set("8");
    await().atMost(Duration.ofSeconds(10)).until(() -> "8".equals(writer.stored("BURST").get("ascii")));
    assertThat(seq("BURST")).isEqualTo(seq + 1);
  }

  @Test
  void aModifyStoredAfterValuesSetFromCodeWins() {
    DispatcherKeyword mixed = dispatcher.keyword("MIXED");
    for (int i = 1; i <= 100; i++) {
      mixed.set(Integer.toString(i));
    }
    Reply.Stored done = (Reply.Stored) writer.write("MIXED", "-7");
    await().atMost(Duration.ofSeconds(10)).until(() -> mixed.seq() >= done.seq());
    assertThat(writer.stored("MIXED")).containsEntry("ascii", "-7").containsEntry("seq", Long.toString(done.seq()));
    assertThat(mixed.value()).contains("-7");
  }
}
