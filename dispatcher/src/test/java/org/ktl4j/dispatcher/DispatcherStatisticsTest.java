package org.ktl4j.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.ErrorCode;
import org.ktl4j.internal.protocol.Reply;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import org.ktl4j.type.KtlType;

/** The dispatcher's statistics keywords: published with definitions, counting requests, refusals, time and queue. */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DispatcherStatisticsTest {
  private static final Duration PERIOD = Duration.ofMillis(200);
  private static final Duration WAIT = Duration.ofSeconds(20);

  private RedisServer server;
  private RedisEndpoint endpoint;
  private DispatcherService dispatcher;
  private RawWriter writer;
  private String service;
  private final CountDownLatch gate = new CountDownLatch(1);

  @BeforeAll
  void start(RedisServer server) {
    this.server = server;
    service = server.serviceName("stats");
    endpoint = Fixtures.endpoint(server);
    dispatcher = DispatcherService.builder(service).definitions(keywords())
        .config(DispatcherConfig.builder().statisticsPeriod(PERIOD).build()).endpoint(endpoint).build();
    dispatcher.keyword("HOOKED").onWrite(v -> { });
    dispatcher.keyword("GATED").onWrite(v -> gate.await(30, TimeUnit.SECONDS)); // writes wait until the gate opens
    dispatcher.start();
    writer = new RawWriter(server, service);
  }

  @AfterAll
  void stop() {
    writer.close();
    dispatcher.close();
    endpoint.close();
  }

  private static List<KeywordDefinition> keywords() {
    return List.of(KeywordDefinition.builder("COUNT", KtlType.INTEGER).range(0, 100).build(),
        KeywordDefinition.builder("HOOKED", KtlType.INTEGER).build(),
        KeywordDefinition.builder("GATED", KtlType.INTEGER).build());
  }

  private String stored(String keyword) {
    return writer.stored(keyword).get("ascii");
  }

  private long refusedStored(ErrorCode code) {
    String ascii = stored(DispatcherStatistics.REFUSED);
    return ascii == null ? -1 : Long.parseLong(ascii.split(" ")[code.ordinal()]);
  }

  @Test
  void statisticsKeywordsArePublishedWithTheirDefinitionsAndValues() {
    Map<String, String> defs = writer.redis.hgetAll("ktl:{" + service + "}:keywords");
    assertThat(defs).containsKeys(DispatcherStatistics.NAMES.toArray(new String[0]));
    for (String name : DispatcherStatistics.NAMES) {
      assertThat(defs.get(name)).as(name).contains("\"readonly\":true").contains("\"help\":\"Dispatcher statistics: ");
      await(name + " has a value").atMost(WAIT).until(() -> stored(name) != null);
    }
    assertThat(defs.get(DispatcherStatistics.RATE)).contains("\"type\":\"double\"").contains("\"units\":\"1/s\"");
    assertThat(defs.get(DispatcherStatistics.P99)).contains("\"type\":\"double\"").contains("\"units\":\"ms\"");
    assertThat(defs.get(DispatcherStatistics.REQUESTS)).contains("\"type\":\"int64\"");
    assertThat(defs.get(DispatcherStatistics.QUEUE)).contains("\"type\":\"integer\"")
        .contains("\"max\":" + DispatcherConfig.DEFAULT_MAX_QUEUED_REQUESTS);
    String[] codes = Arrays.stream(ErrorCode.values()).map(c -> "\"" + c.name() + "\"").toArray(String[]::new);
    assertThat(defs.get(DispatcherStatistics.REFUSED)).contains("\"type\":\"int64 array\"")
        .contains("\"elements\":[" + String.join(",", codes) + "]");
    assertThat(writer.stored(DispatcherStatistics.REQUESTS)).containsEntry("origin", "dispatcher");
  }

  @Test
  void everyWriteIsCountedInTheTotal() {
    long before = dispatcher.statistics.requests();
    int n = 25;
    for (int i = 0; i < n; i++) {
      assertThat(writer.write(i % 2 == 0 ? "COUNT" : "HOOKED", Integer.toString(i))).isInstanceOf(Reply.Stored.class);
    }
    await().atMost(WAIT).until(() -> Long.toString(before + n).equals(stored(DispatcherStatistics.REQUESTS)));
    await().atMost(WAIT).until(() -> Double.parseDouble(stored(DispatcherStatistics.RATE)) == 0.0); // idle again
  }

  @Test
  void aRefusedWriteIsCountedUnderItsCode() {
    long outOfRange = dispatcher.statistics.refusals(ErrorCode.OUT_OF_RANGE);
    long noSuch = dispatcher.statistics.refusals(ErrorCode.NO_SUCH_KEYWORD);
    long readOnly = dispatcher.statistics.refusals(ErrorCode.READ_ONLY);
    assertThat(((Reply.Failed) writer.write("COUNT", "101")).code()).isEqualTo(ErrorCode.OUT_OF_RANGE);
    assertThat(((Reply.Failed) writer.write("NOPE", "1")).code()).isEqualTo(ErrorCode.NO_SUCH_KEYWORD);
    assertThat(((Reply.Failed) writer.write(DispatcherStatistics.P99, "0")).code()).isEqualTo(ErrorCode.READ_ONLY);
    await().atMost(WAIT).until(() -> refusedStored(ErrorCode.OUT_OF_RANGE) == outOfRange + 1
        && refusedStored(ErrorCode.NO_SUCH_KEYWORD) == noSuch + 1 && refusedStored(ErrorCode.READ_ONLY) == readOnly + 1);
  }

  @Test
  void requestTimeIsPositiveAfterWrites() {
    await().atMost(WAIT).until(() -> {
      writer.write("COUNT", "7"); // one in every period looked at: the percentile is of the last period only
      return Double.parseDouble(stored(DispatcherStatistics.P99)) > 0;
    });
  }

  @Test
  void queueDepthIsANumberWithinItsBound() {
    writer.write("HOOKED", "1");
    await().atMost(WAIT).until(() -> stored(DispatcherStatistics.QUEUE) != null);
    assertThat(Integer.parseInt(stored(DispatcherStatistics.QUEUE)))
        .isBetween(0, DispatcherConfig.DEFAULT_MAX_QUEUED_REQUESTS);
  }

  @Test
  void requestsWaitingBehindASlowWriteShowInTheQueueDepth() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(writer.send("GATED", Integer.toString(i)));
    }
    try {
      await().atMost(WAIT).until(() -> Integer.parseInt(stored(DispatcherStatistics.QUEUE)) >= 5);
    } finally {
      gate.countDown();
    }
    for (String id : ids) {
      assertThat(writer.awaitDone(id)).isInstanceOf(Reply.Stored.class);
    }
  }

  @Test
  void withStatisticsOffTheKeywordsDoNotExistAndTheirNamesAreFree() {
    String quiet = server.serviceName("nostats");
    List<KeywordDefinition> defs = List.of(KeywordDefinition.builder(DispatcherStatistics.RATE, KtlType.DOUBLE).build());
    try (DispatcherService d = DispatcherService.builder(quiet).definitions(defs)
        .config(DispatcherConfig.builder().statisticsPeriod(Duration.ZERO).build()).endpoint(endpoint).build()) {
      d.start();
      Map<String, String> published = writer.redis.hgetAll("ktl:{" + quiet + "}:keywords");
      assertThat(published).containsOnlyKeys("DISPCLK", "DISPSTA", DispatcherStatistics.RATE);
      assertThat(published.get(DispatcherStatistics.RATE)).doesNotContain("Dispatcher statistics");
      assertThatThrownBy(() -> d.keyword(DispatcherStatistics.REQUESTS)).isInstanceOf(IllegalArgumentException.class);
      assertThat(d.statistics.enabled()).isFalse();
    }
  }

  @Test
  void aBundleDefiningAStatisticsKeywordIsRefusedNamingIt() {
    List<KeywordDefinition> defs = List.of(KeywordDefinition.builder("DISPQUEUE", KtlType.INTEGER).build());
    assertThatThrownBy(() -> DispatcherService.builder(server.serviceName("clash")).definitions(defs)
        .endpoint(endpoint).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keyword DISPQUEUE is a statistics keyword of the dispatcher")
        .hasMessageContaining("--stats-period 0");
  }

  @Test
  void aNegativeOrTooShortPeriodIsRefused() {
    assertThatThrownBy(() -> DispatcherConfig.builder().statisticsPeriod(Duration.ofMillis(-1)).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DispatcherConfig.builder().statisticsPeriod(Duration.ofMillis(5)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 10 ms");
  }
}
