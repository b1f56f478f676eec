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
import org.ktl4j.protocol.Reply;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import org.ktl4j.type.KtlType;

/** Values set by dispatcher code: every one stored with its own seq, in order, within the waiting bound. */
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
            KeywordDefinition.builder("TEXT", KtlType.STRING).build(),
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
  void everyValueSetFromCodeWithinTheBoundIsStoredWithItsOwnSeq() {
    DispatcherKeyword count = dispatcher.keyword("COUNT");
    long seq0 = seq("COUNT");
    int n = DispatcherKeyword.MAX_WAITING / 2;
    for (int i = 1; i <= n; i++) {
      count.set(Integer.toString(i));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> seq("COUNT") == seq0 + n);
    assertThat(writer.stored("COUNT")).containsEntry("ascii", Integer.toString(n))
        .containsEntry("origin", "dispatcher");
    assertThat(count.valuesDropped()).isZero();
    assertThat(count.seq()).isEqualTo(seq0 + n);
  }

  @Test
  void aBurstBeyondTheBoundDropsOnlyOlderValuesAndStoresTheNewest() {
    DispatcherKeyword burst = dispatcher.keyword("BURST");
    long seq0 = seq("BURST");
    int n = 20 * DispatcherKeyword.MAX_WAITING;
    for (int i = 1; i <= n; i++) {
      burst.set(Integer.toString(i));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> Integer.toString(n).equals(writer.stored("BURST").get("ascii")));
    await().atMost(Duration.ofSeconds(10)).until(() -> burst.seq() == seq("BURST"));
    assertThat(seq("BURST") - seq0 + burst.valuesDropped()).as("each value either stored or counted as dropped")
        .isEqualTo(n);
  }

  @Test
  void bigValuesAreBoundedByCharactersAndTheNewestIsStored() {
    DispatcherKeyword text = dispatcher.keyword("TEXT");
    int size = DispatcherKeyword.MAX_WAITING_CHARS / 4;
    String last = null;
    for (char c = 'a'; c <= 'z'; c++) {
      last = String.valueOf(c).repeat(size);
      text.set(last);
    }
    String expected = last;
    await().atMost(Duration.ofSeconds(30)).until(() -> expected.equals(writer.stored("TEXT").get("ascii")));
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
