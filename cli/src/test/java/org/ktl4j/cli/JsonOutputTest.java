package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ktl4j.cli.KtlRun.ktl;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.client.DispatcherInfo;
import org.ktl4j.client.KeywordValue;
import org.ktl4j.client.Service;
import org.ktl4j.internal.protocol.StoredValue;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;

/**
 * {@code --json} of {@code show}, {@code list} and {@code monitor} (describe's is in {@link DescribeCommandTest}):
 * one object per line, parsed back and checked field by field against what the client API reads.
 */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsonOutputTest {
  private TestDispatchers dispatchers;
  private RedisEndpoint endpoint;
  private Service client;
  private String url;
  private String service;

  @BeforeAll
  void start(RedisServer server) {
    url = server.url();
    service = server.serviceName("clijson");
    dispatchers = TestDispatchers.start(server, service);
    endpoint = RedisEndpoint.open(RedisSettings.fromUri(url));
    client = Service.open(service, endpoint);
  }

  @AfterAll
  void stop() {
    client.close();
    endpoint.close();
    dispatchers.close();
  }

  private static List<JsonObject> objects(KtlRun run) {
    return run.out().stream().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
  }

  private void assertValue(JsonObject o, String keyword) {
    KeywordValue v = client.keyword(keyword).read().orElseThrow();
    assertThat(o.get("service").getAsString()).isEqualTo(service);
    assertThat(o.get("keyword").getAsString()).isEqualTo(keyword);
    assertThat(o.get("ascii").getAsString()).isEqualTo(v.ascii());
    assertThat(o.get("seq").getAsLong()).isEqualTo(v.seq());
    assertThat(o.get("ts").getAsString()).isEqualTo(StoredValue.formatTimestamp(v.timestamp()));
    assertThat(o.get("origin").getAsString()).isEqualTo(v.origin());
  }

  @Test
  void jsonShowGivesBothFormsUnitsSeqTsAndOriginOfEachKeyword() {
    KtlRun run = ktl("show", "-s", service, "--redis", url, "--json", "AZ", "TRACKING", "SHUTTER", "FAULTS",
        "PIXELS", "NAME");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    List<JsonObject> o = objects(run);
    assertThat(o).hasSize(6);
    assertValue(o.get(0), "AZ");
    assertThat(o.get(0).get("ascii").getAsString()).isEqualTo("120.500");
    assertThat(o.get(0).get("binary").getAsDouble()).isEqualTo(120.5);
    assertThat(o.get(0).get("units").getAsString()).isEqualTo("deg");
    assertThat(o.get(0).has("leaseHeld")).isFalse();
    assertValue(o.get(1), "TRACKING");
    assertThat(o.get(1).get("binary").getAsJsonPrimitive().isBoolean()).isTrue();
    assertThat(o.get(1).get("binary").getAsBoolean()).isTrue();
    assertThat(o.get(1).get("units").getAsString()).isEmpty();
    assertThat(o.get(2).get("binary").getAsInt()).isEqualTo(1);
    assertThat(o.get(3).get("ascii").getAsString()).isEqualTo("power, cooling");
    assertThat(o.get(3).get("binary").getAsLong()).isEqualTo(3);
    assertThat(o.get(4).getAsJsonArray("binary")).extracting(e -> e.getAsLong()).containsExactly(1L, 2L, 3L);
    assertThat(o.get(5).get("binary").getAsString()).isEqualTo("M 31");
  }

  @Test
  void jsonShowOfAKeywordNeverSetHasNullValuesAndExitsZero() {
    KtlRun run = ktl("show", "-s", service, "--redis", url, "--json", "UNSET");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonObject o = objects(run).get(0);
    assertThat(o.get("keyword").getAsString()).isEqualTo("UNSET");
    for (String field : List.of("ascii", "binary", "seq", "ts", "origin")) {
      assertThat(o.get(field).isJsonNull()).as(field).isTrue();
    }
    assertThat(o.get("units").getAsString()).isEmpty();
  }

  @Test
  void jsonShowOfTheStatusKeywordSaysWhetherADispatcherHoldsTheLease() {
    KtlRun run = ktl("show", "-s", service, "--redis", url, "--json", "DISPSTA");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(objects(run).get(0).get("leaseHeld").getAsBoolean()).isTrue();
  }

  @Test
  void jsonShowWithAnUnknownKeywordPrintsTheOthersAndExitsOne() {
    KtlRun run = ktl("show", "-s", service, "--redis", url, "--json", "AZ", "NOPE");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(objects(run)).singleElement().satisfies(o -> assertThat(o.get("keyword").getAsString()).isEqualTo("AZ"));
    assertThat(run.err()).contains("no keyword 'NOPE'");
  }

  @Test
  void jsonAndTerseTogetherAreAUsageError() {
    KtlRun run = ktl("show", "-s", service, "--redis", url, "--json", "--terse", "AZ");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("--json and --terse");
  }

  @Test
  void jsonListOfServicesGivesKeywordCountAndLease() {
    DispatcherInfo lease = client.dispatcher().orElseThrow();

    KtlRun run = ktl("list", "--redis", url, "--json");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonObject o = objects(run).stream().filter(x -> x.get("service").getAsString().equals(service)).findFirst()
        .orElseThrow();
    assertThat(o.get("keywords").getAsInt()).isEqualTo(client.keywords().size());
    JsonObject d = o.getAsJsonObject("dispatcher");
    assertThat(d.get("host").getAsString()).isEqualTo(lease.host());
    assertThat(d.get("pid").getAsLong()).isEqualTo(lease.pid());
    assertThat(d.get("started").getAsString()).isEqualTo(lease.started());
  }

  @Test
  void jsonListOfKeywordsGivesOneDefinitionPerLineSorted() {
    KtlRun run = ktl("list", "-s", service, "--redis", url, "--json");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    List<JsonObject> o = objects(run);
    assertThat(o).extracting(x -> x.get("keyword").getAsString()).containsExactly("AZ", "COUNT", "DISPCLK",
        "DISPP99", "DISPQUEUE", "DISPRATE", "DISPREFUSED", "DISPREQS", "DISPSTA", "EL", "FAULTS", "NAME", "PIXELS",
        "SERIAL", "SHUTTER", "SLOW", "TRACKING", "UNSET");
    JsonObject pixels = o.get(12);
    assertThat(pixels.get("type").getAsString()).isEqualTo("integer array");
    assertThat(pixels.get("length").getAsInt()).isEqualTo(3);
    JsonObject serial = o.get(13);
    assertThat(serial.get("readonly").getAsBoolean()).isTrue();
    assertThat(serial.get("help").getAsString()).isEqualTo("Serial number");
    assertThat(serial.has("value")).isFalse();
    JsonObject tracking = o.get(16);
    assertThat(tracking.getAsJsonArray("enumerators")).extracting(e -> e.getAsJsonObject().get("label")
        .getAsString()).containsExactly("off", "on");
  }

  @Test
  void jsonMonitorPrintsOneObjectPerUpdateWithCoalescedAndResync() {
    KtlRun run = ktl("monitor", "-s", service, "--redis", url, "--json", "--count", "1", "AZ");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonObject o = objects(run).get(0);
    assertThat(run.out()).hasSize(1);
    assertValue(o, "AZ");
    assertThat(o.get("binary").getAsDouble()).isEqualTo(120.5);
    assertThat(o.get("units").getAsString()).isEqualTo("deg");
    assertThat(o.get("coalesced").getAsLong()).isZero();
    assertThat(o.get("resync").getAsBoolean()).isFalse();
  }
}
