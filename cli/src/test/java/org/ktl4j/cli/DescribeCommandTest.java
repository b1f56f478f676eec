package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ktl4j.cli.KtlRun.ktl;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.client.KeywordValue;
import org.ktl4j.client.Service;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.dispatcher.DispatcherConfig;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.protocol.DispatcherLease;
import org.ktl4j.protocol.StoredValue;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import org.ktl4j.type.KtlType;

/**
 * {@code ktl describe} against a real dispatcher whose keywords carry every part of a definition: a double with
 * units, range, format and verbose help; an enumerated; a mask whose bits are numbered as the bundle numbers them
 * (not as their values); an array with element labels; a keyword never set; and an unknown name among known ones.
 */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DescribeCommandTest {
  private RedisEndpoint endpoint;
  private DispatcherService dispatcher;
  private Service client;
  private String url;
  private String service;

  static List<KeywordDefinition> keywords() {
    return List.of(
        KeywordDefinition.builder("AZ", KtlType.DOUBLE).units("deg").range(0, 360).format("%.3f").readonly(true)
            .help("Actual azimuth").longHelp("Azimuth of the mount,\nfrom north through east.")
            .initialValue("120.5").build(),
        KeywordDefinition.builder("SHUTTER", KtlType.ENUMERATED).labels("closed", "open", "moving")
            .help("Dome shutter").initialValue("open").build(),
        KeywordDefinition.builder("FAULTS", KtlType.MASK).enumerator(0, "power").enumerator(3, "cooling")
            .noneLabel("ok").initialValue("power, cooling").build(),
        KeywordDefinition.builder("OFFSETS", KtlType.DOUBLE_ARRAY).elementLabels("ra", "dec").units("arcsec")
            .initialValue("1.5 -2").build(),
        KeywordDefinition.builder("NOTE", KtlType.STRING).initialValue("").build(),
        KeywordDefinition.builder("UNSET", KtlType.INTEGER).range(null, 10).build());
  }

  @BeforeAll
  void start(RedisServer server) {
    url = server.url();
    service = server.serviceName("clidescribe");
    endpoint = RedisEndpoint.open(RedisSettings.fromUri(url).withTimeout(Duration.ofSeconds(2)));
    dispatcher = DispatcherService.builder(service).definitions(keywords()).endpoint(endpoint)
        .config(DispatcherConfig.builder().heartbeatPeriod(Duration.ofHours(1)).build()).build();
    dispatcher.start();
    client = Service.open(service, endpoint);
  }

  @AfterAll
  void stop() {
    client.close();
    dispatcher.close();
    endpoint.close();
  }

  private KtlRun describe(String... more) {
    String[] args = KtlRun.onService("describe", service, url, more);
    return ktl(args);
  }

  private KeywordValue stored(String keyword) {
    return client.keyword(keyword).read().orElseThrow();
  }

  private String leaseLine() {
    DispatcherLease l = client.dispatcher().orElseThrow();
    return "  dispatcher  host " + l.host() + " pid " + l.pid() + " since " + ValueFormat.timestampSeconds(l.started());
  }

  @Test
  void describeOfADoubleShowsUnitsRangeFormatHelpValueAndLeaseAligned() {
    KeywordValue az = stored("AZ");

    KtlRun run = describe("az");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).containsExactly(
        "AZ",
        "  type        double",
        "  units       deg",
        "  range       0 .. 360",
        "  format      %.3f",
        "  access      read-only",
        "  initial     120.5",
        "  help        Actual azimuth",
        "  long help   Azimuth of the mount,",
        "              from north through east.",
        "  value       120.500 deg  (binary 120.5)",
        "  seq         " + az.seq(),
        "  stored      " + ValueFormat.timestamp(az.timestamp()) + "  (ts "
            + StoredValue.formatTimestamp(az.timestamp()) + ")",
        "  origin      " + az.origin(),
        leaseLine());
    assertThat(run.err()).isEmpty();
  }

  @Test
  void describeOfAnEnumeratedListsItsNumberedValues() {
    KtlRun run = describe("SHUTTER");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains(
        "  type        enumerated",
        "  values      0=closed, 1=open, 2=moving",
        "  access      read-write",
        "  value       open  (binary 1)");
  }

  @Test
  void describeOfAMaskNumbersItsBitsAsTheBundleDoesNotByTheirValues() {
    KtlRun run = describe("FAULTS");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains(
        "  type        mask",
        "  bits        bit 0=power, bit 3=cooling",
        "  none        ok  (the label of 0, no bit set)",
        "  value       power, cooling  (binary 9)");
  }

  @Test
  void describeOfAnArrayGivesItsLengthAndElementLabels() {
    KtlRun run = describe("OFFSETS");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains(
        "  type        double array",
        "  units       arcsec",
        "  length      2",
        "  elements    0=ra, 1=dec",
        "  value       1.5 -2.0 arcsec");
  }

  @Test
  void describeOfAKeywordNeverSetSaysSoAndHasNoSeqOrTime() {
    KtlRun run = describe("UNSET");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).containsExactly(
        "UNSET",
        "  type        integer",
        "  range       -inf .. 10",
        "  access      read-write",
        "  value       (not set: never written)",
        leaseLine());
  }

  @Test
  void describeWithoutKeywordsGivesOneBlockPerKeywordSortedSeparatedByABlankLine() {
    KtlRun run = describe();

    assertThat(run.exitCode()).as(run.toString()).isZero();
    List<String> names = run.out().stream().filter(l -> !l.isEmpty() && !l.startsWith(" ")).toList();
    assertThat(names).containsExactly("AZ", "DISPCLK", "DISPSTA", "FAULTS", "NOTE", "OFFSETS", "SHUTTER", "UNSET");
    assertThat(run.out().stream().filter(String::isEmpty)).hasSize(names.size() - 1);
  }

  @Test
  void unknownKeywordIsNamedOnStderrAfterTheOthersAreDescribed() {
    KtlRun run = describe("AZ", "NOPE", "SHUTTER");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.out()).contains("AZ", "SHUTTER").doesNotContain("NOPE");
    assertThat(run.err().lines().toList()).singleElement().asString()
        .startsWith("ktl: service " + service + " has no keyword 'NOPE'").contains("it has: AZ, DISPCLK");
  }

  @Test
  void jsonDescribeGivesTheWholeDefinitionValueAndLeaseOfEachKeywordOnOneLine() {
    KeywordValue az = stored("AZ");
    DispatcherLease lease = client.dispatcher().orElseThrow();

    KtlRun run = describe("--json", "AZ", "FAULTS", "OFFSETS", "UNSET", "SHUTTER");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).hasSize(5);
    JsonObject a = JsonParser.parseString(run.out().get(0)).getAsJsonObject();
    assertThat(a.get("service").getAsString()).isEqualTo(service);
    assertThat(a.get("keyword").getAsString()).isEqualTo("AZ");
    assertThat(a.get("type").getAsString()).isEqualTo("double");
    assertThat(a.get("units").getAsString()).isEqualTo("deg");
    assertThat(a.get("min").getAsBigDecimal()).isEqualByComparingTo("0");
    assertThat(a.get("max").getAsBigDecimal()).isEqualByComparingTo("360");
    assertThat(a.getAsJsonArray("enumerators")).isEmpty();
    assertThat(a.getAsJsonArray("bits")).isEmpty();
    assertThat(a.get("none").isJsonNull()).isTrue();
    assertThat(a.get("length").isJsonNull()).isTrue();
    assertThat(a.getAsJsonArray("elements")).isEmpty();
    assertThat(a.get("format").getAsString()).isEqualTo("%.3f");
    assertThat(a.get("readonly").getAsBoolean()).isTrue();
    assertThat(a.get("initial").getAsString()).isEqualTo("120.5");
    assertThat(a.get("help").getAsString()).isEqualTo("Actual azimuth");
    assertThat(a.get("longHelp").getAsString()).isEqualTo("Azimuth of the mount,\nfrom north through east.");
    assertThat(a.get("useCache").getAsBoolean()).isFalse();
    assertThat(a.get("broadcasts").getAsBoolean()).isTrue();
    assertThat(a.get("allowNonFinite").getAsBoolean()).isFalse();
    JsonObject value = a.getAsJsonObject("value");
    assertThat(value.get("ascii").getAsString()).isEqualTo("120.500");
    assertThat(value.get("binary").getAsDouble()).isEqualTo(120.5);
    assertThat(value.get("seq").getAsLong()).isEqualTo(az.seq());
    assertThat(value.get("ts").getAsString()).isEqualTo(StoredValue.formatTimestamp(az.timestamp()));
    assertThat(value.get("origin").getAsString()).isEqualTo(az.origin());
    JsonObject d = a.getAsJsonObject("dispatcher");
    assertThat(d.get("host").getAsString()).isEqualTo(lease.host());
    assertThat(d.get("pid").getAsLong()).isEqualTo(lease.pid());
    assertThat(d.get("id").getAsString()).isEqualTo(lease.id());
    assertThat(d.get("version").getAsString()).isEqualTo(lease.version());
    assertThat(d.get("started").getAsString()).isEqualTo(lease.started());

    JsonObject faults = JsonParser.parseString(run.out().get(1)).getAsJsonObject();
    JsonArray bits = faults.getAsJsonArray("bits");
    assertThat(bits).hasSize(2);
    assertThat(bits.get(1).getAsJsonObject().get("bit").getAsInt()).isEqualTo(3);
    assertThat(bits.get(1).getAsJsonObject().get("label").getAsString()).isEqualTo("cooling");
    assertThat(faults.get("none").getAsString()).isEqualTo("ok");
    assertThat(faults.getAsJsonArray("enumerators")).isEmpty();
    assertThat(faults.getAsJsonObject("value").get("binary").getAsLong()).isEqualTo(9);

    JsonObject offsets = JsonParser.parseString(run.out().get(2)).getAsJsonObject();
    assertThat(offsets.get("type").getAsString()).isEqualTo("double array");
    assertThat(offsets.get("length").getAsInt()).isEqualTo(2);
    assertThat(offsets.getAsJsonArray("elements")).extracting(e -> e.getAsString()).containsExactly("ra", "dec");
    assertThat(offsets.getAsJsonObject("value").getAsJsonArray("binary")).extracting(e -> e.getAsDouble())
        .containsExactly(1.5, -2.0);

    JsonObject unset = JsonParser.parseString(run.out().get(3)).getAsJsonObject();
    assertThat(unset.get("value").isJsonNull()).isTrue();
    assertThat(unset.get("min").isJsonNull()).isTrue();
    assertThat(unset.get("max").getAsInt()).isEqualTo(10);
    assertThat(unset.get("format").isJsonNull()).isTrue();
    assertThat(unset.get("initial").isJsonNull()).isTrue();

    JsonObject shutter = JsonParser.parseString(run.out().get(4)).getAsJsonObject();
    JsonArray values = shutter.getAsJsonArray("enumerators");
    assertThat(values).extracting(e -> e.getAsJsonObject().get("value").getAsInt()).containsExactly(0, 1, 2);
    assertThat(values).extracting(e -> e.getAsJsonObject().get("label").getAsString())
        .containsExactly("closed", "open", "moving");
    assertThat(shutter.getAsJsonObject("value").get("binary").getAsInt()).isEqualTo(1);
  }

  @Test
  void jsonEscapesQuotesControlCharactersAndNonAsciiAndKeepsOneLinePerKeyword() {
    String tricky = "say \"hi\"\\ \t\n\u001b[2J é ✓ \u202e 𝄞";
    client.keyword("NOTE").write(tricky);

    KtlRun run = describe("--json", "NOTE");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).singleElement().asString().matches("[\\x20-\\x7e]*");
    JsonObject note = JsonParser.parseString(run.out().get(0)).getAsJsonObject();
    assertThat(note.getAsJsonObject("value").get("ascii").getAsString()).isEqualTo(tricky);
    assertThat(note.getAsJsonObject("value").get("binary").getAsString()).isEqualTo(tricky);
  }
}
