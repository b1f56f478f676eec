package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ktl4j.cli.KtlRun.ktl;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.client.KeywordValue;
import org.ktl4j.client.Service;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;

/**
 * {@code ktl show} against a real dispatcher's values: the formats, all keywords, never set (told from an empty
 * string), unknown names among known ones.
 */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShowCommandTest {
  private TestDispatchers dispatchers;
  private RedisServer server;
  private String url;
  private String service;

  @BeforeAll
  void start(RedisServer server) {
    this.server = server;
    url = server.url();
    service = server.serviceName("clishow");
    dispatchers = TestDispatchers.start(server, service);
  }

  @AfterAll
  void stop() {
    dispatchers.close();
  }

  private KtlRun show(String... more) {
    String[] args = KtlRun.onService("show", service, url, more);
    return ktl(args);
  }

  @Test
  void showPrintsEachKeywordWithItsValueAndUnitsAligned() {
    KtlRun run = show("AZ", "tracking");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).containsExactly("AZ       = 120.500 deg", "TRACKING = on");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void terseShowPrintsOnlyTheValues() {
    KtlRun run = show("--terse", "AZ", "SHUTTER", "NAME");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).containsExactly("120.500", "open", "M 31");
  }

  @Test
  void binaryShowPrintsBooleansEnumeratorsMasksAndArraysAsNumbers() {
    KtlRun run = show("--binary", "TRACKING", "SHUTTER", "FAULTS", "PIXELS", "AZ");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).containsExactly(
        "TRACKING = true", "SHUTTER  = 1", "FAULTS   = 3", "PIXELS   = 1 2 3", "AZ       = 120.5 deg");
  }

  @Test
  void timestampShowAddsTheStoredTimeInUtcAndTheSeq() {
    KeywordValue stored = readAz();

    KtlRun run = show("--timestamp", "AZ");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).containsExactly("AZ = 120.500 deg  (" + ValueFormat.timestamp(stored.timestamp())
        + ", seq " + stored.seq() + ")");
    assertThat(run.out().get(0)).matches(".*\\(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z, seq \\d+\\)");
  }

  @Test
  void terseTimestampShowPrintsTimestampSeqAndValue() {
    KeywordValue stored = readAz();

    KtlRun run = show("-terse", "-timestamp", "AZ");

    assertThat(run.out()).containsExactly(ValueFormat.timestamp(stored.timestamp()) + " " + stored.seq() + " 120.500");
  }

  @Test
  void showWithoutKeywordsListsEveryKeywordSortedWithItsValue() {
    KtlRun run = show();

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).extracting(line -> line.split(" ")[0]).containsExactly(
        "AZ", "COUNT", "DISPCLK", "DISPP99", "DISPQUEUE", "DISPRATE", "DISPREFUSED", "DISPREQS", "DISPSTA", "EL",
        "FAULTS", "NAME", "PIXELS", "SERIAL", "SHUTTER", "SLOW", "TRACKING", "UNSET");
    // aligned on the longest name, the statistics keyword DISPREFUSED
    assertThat(run.out()).contains("AZ          = 120.500 deg", "DISPSTA     = ready", "FAULTS      = power, cooling",
        "UNSET       is not set");
  }

  @Test
  void keywordNeverSetIsReportedAsNotSet() {
    KtlRun run = show("UNSET");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).containsExactly("UNSET is not set");
  }

  @Test
  void terseShowPrintsAnEmptyLineForAKeywordNeverSetNamesItOnStderrAndExitsOne() {
    KtlRun run = show("--terse", "UNSET", "AZ");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.NOT_SET);
    assertThat(run.out()).containsExactly("", "120.500");
    assertThat(run.err().lines().toList()).singleElement().asString()
        .isEqualTo("ktl: " + service + ".UNSET " + ShowCommand.NOT_SET);
  }

  @Test
  void terseShowOfAnEmptyStringPrintsAnEmptyLineAndExitsZero() {
    String other = server.serviceName("clishowempty");
    try (TestDispatchers empty = TestDispatchers.start(server, other);
         RedisEndpoint endpoint = RedisEndpoint.open(RedisSettings.fromUri(url));
         Service svc = Service.open(other, endpoint)) {
      svc.keyword("NAME").write("");

      KtlRun run = ktl("show", "-s", other, "--redis", url, "--terse", "NAME");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out()).containsExactly("");
      assertThat(run.err()).isEmpty();
    }
  }

  @Test
  void unknownKeywordsAreReportedOnceEveryKnownOneIsShown() {
    KtlRun run = show("AZ", "NOPE", "TRACKING", "AZZ");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.out()).containsExactly("AZ       = 120.500 deg", "TRACKING = on");
    assertThat(run.err().lines().toList()).singleElement().asString()
        .isEqualTo("ktl: service " + service + " has no keyword 'NOPE' or 'AZZ' (did you mean AZ?); it has: AZ, COUNT, "
            + "DISPCLK, DISPP99, DISPQUEUE, DISPRATE, DISPREFUSED, DISPREQS, DISPSTA, EL, FAULTS, NAME, PIXELS, SERIAL, "
            + "SHUTTER, SLOW, TRACKING, UNSET");
  }

  @Test
  void terseShowKeepsTheLineOfAnUnknownKeywordEmpty() {
    KtlRun run = show("--terse", "AZ", "NOPE", "SHUTTER");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.out()).containsExactly("120.500", "", "open");
    assertThat(run.err().lines().toList()).singleElement().asString().contains("no keyword 'NOPE'");
  }

  @Test
  void unknownServiceIsAUsageErrorNamingTheKnownServices() {
    KtlRun run = ktl("show", "-s", "nosuchservice", "--redis", url, "AZ");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err().lines().toList()).singleElement().asString()
        .contains("no service 'nosuchservice'").contains(service);
  }

  @Test
  void embeddedRedisIsRefusedForClientCommands() {
    KtlRun run = ktl("show", "-s", service, "--redis", "embedded", "AZ");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("only 'ktl dispatcher' can start an embedded Redis");
  }

  private KeywordValue readAz() {
    try (RedisEndpoint endpoint = RedisEndpoint.open(RedisSettings.fromUri(url));
         Service svc = Service.open(service, endpoint)) {
      return svc.keyword("AZ").read().orElseThrow();
    }
  }
}
