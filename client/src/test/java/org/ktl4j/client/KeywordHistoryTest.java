package org.ktl4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.RefusedException;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.dispatcher.DispatcherConfig;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.internal.protocol.Keys;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import org.ktl4j.type.KtlType;
import redis.clients.jedis.RedisClient;

/** A keyword's history: the values its dispatcher stored, oldest first, kept in the same step as each value. */
@ExtendWith(RedisExtension.class)
class KeywordHistoryTest {

  private static DispatcherService dispatcher(String name, RedisEndpoint endpoint, int history) {
    DispatcherService d = DispatcherService.builder(name)
        .keyword(KeywordDefinition.builder("POS", KtlType.DOUBLE).units("mm").range(0, 100).build())
        .keyword(KeywordDefinition.builder("TEMP", KtlType.DOUBLE).build())
        .config(DispatcherConfig.builder().historyLength(history).build())
        .endpoint(endpoint).build();
    d.start();
    return d;
  }

  @Test
  void historyHoldsEveryStoredValueOldestFirstAndNoRefusedOne(RedisServer server) {
    String name = server.serviceName("history");
    try (RedisEndpoint e = TestServices.endpoint(server); DispatcherService d = dispatcher(name, e, 100);
         Service s = Service.open(name, e)) {
      Keyword pos = s.keyword("POS");
      pos.write("1");
      pos.write("2.5");
      assertThatThrownBy(() -> pos.write("500")).isInstanceOf(RefusedException.class);
      WriteResult last = pos.write("3");

      List<KeywordValue> h = pos.history(10);
      assertThat(h).extracting(KeywordValue::ascii).containsExactly("1.0", "2.5", "3.0");
      assertThat(h).extracting(KeywordValue::seq).isSorted().last().isEqualTo(last.seq());
      assertThat(h.get(2).binary()).isEqualTo(3.0);
      assertThat(h.get(2).origin()).isEqualTo(s.config().clientName());
      assertThat(h.get(2)).isEqualTo(pos.read().orElseThrow());
      assertThat(pos.history(2)).extracting(KeywordValue::ascii).containsExactly("2.5", "3.0");
    }
  }

  @Test
  void valuesSetByDispatcherCodeAreInTheHistoryToo(RedisServer server) {
    String name = server.serviceName("histcode");
    try (RedisEndpoint e = TestServices.endpoint(server); DispatcherService d = dispatcher(name, e, 100);
         Service s = Service.open(name, e)) {
      d.keyword("TEMP").set("-12.5");
      await().atMost(Duration.ofSeconds(10)).until(() -> !s.keyword("TEMP").history(5).isEmpty());
      KeywordValue v = s.keyword("TEMP").history(5).get(0);
      assertThat(v.ascii()).isEqualTo("-12.5");
      assertThat(v.origin()).isEqualTo("dispatcher");
    }
  }

  @Test
  void sinceKeepsOnlyValuesStoredFromThatTimeOn(RedisServer server) {
    String name = server.serviceName("histsince");
    try (RedisEndpoint e = TestServices.endpoint(server); DispatcherService d = dispatcher(name, e, 100);
         Service s = Service.open(name, e)) {
      Keyword pos = s.keyword("POS");
      pos.write("1");
      // the server's clock, one millisecond after the first value's entry: the boundary is exact
      Instant afterFirst;
      try (RedisClient admin = server.newClient()) {
        String id = admin.xrevrange(Keys.of(name).history("POS"), "+", "-", 1).get(0).getID().toString();
        afterFirst = Instant.ofEpochMilli(Long.parseLong(id.substring(0, id.indexOf('-'))) + 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
          List<?> t = (List<?>) admin.sendCommand(redis.clients.jedis.Protocol.Command.TIME);
          return Long.parseLong(new String((byte[]) t.get(0))) * 1000 + Long.parseLong(new String((byte[]) t.get(1)))
              / 1000 > afterFirst.toEpochMilli();
        });
      }
      pos.write("2");
      assertThat(pos.history(10, afterFirst)).extracting(KeywordValue::ascii).containsExactly("2.0");
      assertThat(pos.history(10, Instant.EPOCH)).extracting(KeywordValue::ascii).containsExactly("1.0", "2.0");
    }
  }

  @Test
  void aWriteIsDoneEvenWhenTheHistoryKeyIsNotAStream(RedisServer server) {
    String name = server.serviceName("histtype");
    try (RedisEndpoint e = TestServices.endpoint(server); DispatcherService d = dispatcher(name, e, 100);
         Service s = Service.open(name, e); RedisClient admin = server.newClient()) {
      admin.set(Keys.of(name).history("POS"), "written by hand");
      assertThat(s.keyword("POS").write("7").ascii()).isEqualTo("7.0");
      assertThat(s.keyword("POS").read()).get().extracting(KeywordValue::ascii).isEqualTo("7.0");
      assertThatThrownBy(() -> s.keyword("POS").history(5)).isInstanceOf(org.ktl4j.UnavailableException.class)
          .hasMessageContaining("WRONGTYPE");
    }
  }

  @Test
  void aDispatcherWithoutHistoryKeepsNone(RedisServer server) {
    String name = server.serviceName("histnone");
    try (RedisEndpoint e = TestServices.endpoint(server); DispatcherService d = dispatcher(name, e, 0);
         Service s = Service.open(name, e); RedisClient admin = server.newClient()) {
      s.keyword("POS").write("7");
      assertThat(s.keyword("POS").history(10)).isEmpty();
      assertThat(admin.exists(Keys.of(name).history("POS"))).isFalse();
    }
  }

  @Test
  void anEntryNotWrittenByADispatcherIsSkippedAndACountOutOfRangeIsRefused(RedisServer server) {
    String name = server.serviceName("histbad");
    try (RedisEndpoint e = TestServices.endpoint(server); DispatcherService d = dispatcher(name, e, 100);
         Service s = Service.open(name, e); RedisClient admin = server.newClient()) {
      s.keyword("POS").write("7");
      admin.xadd(Keys.of(name).history("POS"), redis.clients.jedis.StreamEntryID.NEW_ENTRY,
          java.util.Map.of("junk", "x"));
      admin.xadd(Keys.of(name).history("POS"), redis.clients.jedis.StreamEntryID.NEW_ENTRY,
          java.util.Map.of("ascii", "8", "ts", "not a time", "seq", "?"));
      assertThat(s.keyword("POS").history(10)).extracting(KeywordValue::ascii).containsExactly("7.0", "8");
      assertThat(s.keyword("POS").history(10).get(1).timestamp()).isEqualTo(Instant.EPOCH);
      assertThatThrownBy(() -> s.keyword("POS").history(0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(name + ".POS").hasMessageContaining("1 to " + Keyword.MAX_HISTORY);
    }
  }
}
