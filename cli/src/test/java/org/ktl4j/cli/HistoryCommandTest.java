package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ktl4j.cli.KtlRun.ktl;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.client.Service;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;

/** {@code ktl history} against a real dispatcher's history: lines, counts, JSON, terse, none, bad arguments. */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HistoryCommandTest {
  private TestDispatchers dispatchers;
  private String url;
  private String service;

  @BeforeAll
  void start(RedisServer server) {
    url = server.url();
    service = server.serviceName("clihistory");
    dispatchers = TestDispatchers.start(server, service);
    try (RedisEndpoint e = RedisEndpoint.open(RedisSettings.fromUri(url)); Service s = Service.open(service, e)) {
      for (String v : List.of("20", "30", "40")) {
        s.keyword("EL").write(v);
      }
    }
  }

  @AfterAll
  void stop() {
    dispatchers.close();
  }

  private KtlRun history(String... more) {
    return ktl(KtlRun.onService("history", service, url, more));
  }

  @Test
  void historyPrintsTheLastValuesOldestFirstWithTimeSeqAndOrigin() {
    KtlRun run = history("-n", "3", "el");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    // the initial value (45), then the three writes; -n 3 keeps the last three
    assertThat(run.out()).hasSize(3);
    assertThat(run.out().get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z  EL = 20\\.0 deg  "
        + "\\(seq \\d+, origin .+\\)");
    assertThat(run.out().get(2)).contains("EL = 40.0 deg");
    assertThat(ktl(KtlRun.onService("history", service, url, "EL")).out()).hasSize(4)
        .first().asString().contains("EL = 45.0 deg").contains("origin dispatcher");
  }

  @Test
  void jsonAndTerseGiveOneValuePerLine() {
    List<String> json = history("--json", "-n", "2", "EL").out();
    assertThat(json).hasSize(2);
    JsonObject last = JsonParser.parseString(json.get(1)).getAsJsonObject();
    assertThat(last.get("service").getAsString()).isEqualTo(service);
    assertThat(last.get("keyword").getAsString()).isEqualTo("EL");
    assertThat(last.get("ascii").getAsString()).isEqualTo("40.0");
    assertThat(last.get("binary").getAsDouble()).isEqualTo(40.0);
    assertThat(last.get("units").getAsString()).isEqualTo("deg");
    assertThat(last.get("seq").getAsLong()).isPositive();

    assertThat(history("--terse", "-n", "2", "-binary", "EL").out()).containsExactly("30.0", "40.0");
  }

  @Test
  void aKeywordWithNoHistorySaysSoOnStderr() {
    KtlRun run = history("UNSET");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains(service + ".UNSET has no history").contains("--history N");
  }

  @Test
  void sinceInTheFutureShowsNothingAndBadArgumentsAreUsageErrors() {
    assertThat(history("--since", "2999-01-01T00:00:00Z", "EL").out()).isEmpty();
    assertThat(history("--since", "1h", "EL").out()).hasSize(4);

    KtlRun bad = history("--since", "yesterday", "EL");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains("--since 'yesterday' is not a time").contains("10m");
    assertThat(history("-n", "0", "EL").err()).contains("-n must be between 1 and");
    KtlRun unknown = history("ELL");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).contains("ELL");
  }

  @Test
  void sinceAcceptsInstantsLocalTimesDatesAndDurationsAgo() {
    Instant now = Instant.parse("2026-11-22T12:00:00Z");
    ZoneId hawaii = ZoneOffset.ofHours(-10);
    assertThat(HistoryCommand.parseSince("10m", now, hawaii)).isEqualTo(Instant.parse("2026-11-22T11:50:00Z"));
    assertThat(HistoryCommand.parseSince("2D", now, hawaii)).isEqualTo(Instant.parse("2026-11-20T12:00:00Z"));
    assertThat(HistoryCommand.parseSince("2026-11-22T01:00:00Z", now, hawaii))
        .isEqualTo(Instant.parse("2026-11-22T01:00:00Z"));
    assertThat(HistoryCommand.parseSince("2026-11-21T17:00", now, hawaii))
        .isEqualTo(Instant.parse("2026-11-22T03:00:00Z"));
    assertThat(HistoryCommand.parseSince("2026-11-21", now, hawaii)).isEqualTo(Instant.parse("2026-11-21T10:00:00Z"));
    assertThatThrownBy(() -> HistoryCommand.parseSince("-5m", now, hawaii))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
