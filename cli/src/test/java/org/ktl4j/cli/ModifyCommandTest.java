package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ktl4j.cli.KtlRun.ktl;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ktl4j.client.Keyword;
import org.ktl4j.client.KeywordValue;
import org.ktl4j.client.Service;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;

/**
 * {@code ktl modify} against a real dispatcher: stored values, refusals with their code, local checks, the
 * --nowait/--notify/--binary modes and KTL's spellings of them, values that start with '-', a write that never
 * finishes, and nobody to write to.
 */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModifyCommandTest {
  private TestDispatchers dispatchers;
  private RedisServer server;
  private RedisEndpoint endpoint;
  private Service client;
  private String service;

  @BeforeAll
  void start(RedisServer server) {
    this.server = server;
    service = server.serviceName("climodify");
    dispatchers = TestDispatchers.start(server, service);
    endpoint = RedisEndpoint.open(RedisSettings.fromUri(server.url()));
    client = Service.open(service, endpoint);
  }

  @AfterAll
  void stop() {
    client.close();
    endpoint.close();
    dispatchers.close();
  }

  private KtlRun modify(String... more) {
    String[] args = KtlRun.onService("modify", service, server.url(), more);
    return ktl(args);
  }

  private KeywordValue value(String keyword) {
    return client.keyword(keyword).read().orElseThrow();
  }

  @Test
  void modifyWritesInOrderAndPrintsTheStoredValuesWithTheirSeq() {
    KtlRun run = modify("AZ=33.25", "SHUTTER", "=", "CLOSED", "NAME=", "NGC 224");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).containsExactly(
        "AZ = 33.250 (seq " + value("AZ").seq() + ")",
        "SHUTTER = closed (seq " + value("SHUTTER").seq() + ")",
        "NAME = NGC 224 (seq " + value("NAME").seq() + ")");
    assertThat(value("AZ").ascii()).isEqualTo("33.250");
    assertThat(value("NAME").origin()).contains("@");
  }

  @Test
  void silentModifyPrintsNothing() {
    KtlRun run = modify("-q", "COUNT=7");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(value("COUNT").ascii()).isEqualTo("7");
  }

  @Test
  void ktlDashlessFlagsAmongTheAssignmentsAreAccepted() {
    KtlRun run = modify("COUNT=8", "silent");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(value("COUNT").ascii()).isEqualTo("8");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "-silent before the assignments | -silent,COUNT=11     | ''",
      "-silent after the assignments  | COUNT=12,-silent     | ''",
      "-nowait                        | -nowait,COUNT=13     | COUNT sent",
      "-notify                        | -notify,COUNT=14     | COUNT complete",
      "-binary                        | -binary,TRACKING=0   | TRACKING = off",
      "-timeout SECONDS               | -timeout,5,COUNT=15  | COUNT = 15",
  })
  void ktlSingleDashFlagsWorkAsTheirDoubleDashForms(String behaviour, String words, String printed) {
    KtlRun run = modify(words.split(","));

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).extracting(l -> l.replaceAll(" \\(seq \\d+\\)", ""))
        .containsExactlyElementsOf(printed.isEmpty() ? List.of() : List.of(printed));
    assertThat(run.err()).isEmpty();
  }

  @Test
  void valueWordThatStartsWithADashIsRefusedSayingToUseDoubleDash() {
    long seq = value("PIXELS").seq();

    KtlRun run = modify("PIXELS=", "-1 2 3");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err().lines().toList()).singleElement().asString()
        .startsWith("ktl: '-1 2 3' is not an option of ktl modify")
        .contains("use -- before values that start with '-'")
        .contains("ktl modify -s " + service + " -- PIXELS= '-1 2 3'")
        .doesNotContain("Unknown option");
    assertThat(value("PIXELS").seq()).as("nothing written").isEqualTo(seq);
  }

  @Test
  void doubleDashAfterTheOptionsLetsAValueWordStartWithADash() {
    KtlRun run = modify("--", "PIXELS", "=", "-1 -2 3");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(value("PIXELS").ascii()).isEqualTo("-1 -2 3");
  }

  @Test
  void valueSplitOverSeveralWordsIsRefusedSayingToQuoteIt() {
    KtlRun run = modify("PIXELS=-1", "2", "3");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err().lines().toList()).singleElement().asString()
        .contains("'2' is not an assignment").contains("quote the whole value: PIXELS='-1 2 3'");
  }

  @Test
  void keywordAndNegativeValueWithoutEqualsSignAreRefusedWithTheAssignmentMeant() {
    KtlRun run = modify("COUNT", "-1");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err().lines().toList()).singleElement().asString()
        .contains("'COUNT' is not an assignment").contains("did you mean COUNT=-1?")
        .contains("use -- before values that start with '-'");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"-silnet, -silent", "--nowiat, --nowait", "--timeuot, --timeout"})
  void mistypedOptionNamesTheOptionMeant(String typed, String meant) {
    KtlRun run = modify(typed, "COUNT=1");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err().lines().toList()).singleElement().asString()
        .startsWith("ktl: '" + typed + "' is not an option of ktl modify (did you mean " + meant + "?)")
        .doesNotContain("should be specified only once");
  }

  @Test
  void booleanRefusalNamesItsCodeOnceAndEveryAcceptedFormOnce() {
    KtlRun run = modify("TRACKING=maybe");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.REFUSED);
    assertThat(run.err()).isEqualTo("ktl: BAD_VALUE: " + service + ".TRACKING: value 'maybe' refused: not a boolean: "
        + "use off or on (or 0, false, f, no for off; 1, true, t, yes for on)" + System.lineSeparator());
  }

  @Test
  void arrayElementRefusalSaysWhichElementCountingFromZeroAndAsAnOrdinal() {
    KtlRun run = modify("PIXELS=1 x 3");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.REFUSED);
    assertThat(run.err()).isEqualTo("ktl: BAD_VALUE: " + service + ".PIXELS: value '1 x 3' refused: "
        + "element 1 (the second): not an integer" + System.lineSeparator());
  }

  @Test
  void refusalByTheDispatcherExitsTwoWithItsCodeAndMessage() {
    KtlRun run = modify("EL=5");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.REFUSED);
    assertThat(run.err().lines().toList()).singleElement().asString()
        .startsWith("ktl: REJECTED: " + service + ".EL: value '5.0' rejected: ").contains("below the horizon limit");
  }

  @Test
  void modifyStopsAtTheFirstRefusalAndNamesTheWritesNotSent() {
    long countSeq = value("COUNT").seq();

    KtlRun run = modify("NAME=first", "EL=5", "COUNT=9");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.REFUSED);
    assertThat(run.out()).singleElement().asString().startsWith("NAME = first");
    assertThat(run.err()).contains("REJECTED").contains("not sent: COUNT");
    assertThat(value("COUNT").seq()).as("COUNT not written").isEqualTo(countSeq);
  }

  @Test
  void readOnlyKeywordIsRefusedWithExitTwoBeforeAnythingIsSent() {
    long nameSeq = value("NAME").seq();

    KtlRun run = modify("NAME=never", "SERIAL=SN-2");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.REFUSED);
    assertThat(run.err()).startsWith("ktl: READ_ONLY: " + service + ".SERIAL is read-only");
    assertThat(value("NAME").seq()).as("nothing written").isEqualTo(nameSeq);
  }

  @Test
  void outOfRangeValueIsCaughtLocallyAndNothingIsWritten() {
    long countSeq = value("COUNT").seq();

    KtlRun run = modify("COUNT=5", "AZ=400");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.REFUSED);
    assertThat(run.err()).startsWith("ktl: OUT_OF_RANGE: " + service + ".AZ: value '400' refused: ")
        .contains("above maximum 360").doesNotContain("(OUT_OF_RANGE)");
    assertThat(value("COUNT").seq()).as("nothing written").isEqualTo(countSeq);
  }

  @Test
  void unknownKeywordIsAUsageError() {
    KtlRun run = modify("NOPE=1");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("no keyword 'NOPE'");
  }

  @Test
  void wordThatIsNotAnAssignmentIsAUsageError() {
    KtlRun run = modify("COUNT");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("'COUNT' is not an assignment");
  }

  @Test
  void nowaitSendsAndExitsWithoutWaitingForTheDispatcher() {
    KtlRun run = modify("--nowait", "NAME=fire and forget");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).containsExactly("NAME sent");
    await().atMost(Duration.ofSeconds(10)).until(() -> value("NAME").ascii().equals("fire and forget"));
  }

  @Test
  void notifySendsAllThenPrintsCompleteForEach() {
    KtlRun run = modify("--notify", "COUNT=42", "SHUTTER=open");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).containsExactly("COUNT complete", "SHUTTER complete");
    assertThat(value("COUNT").ascii()).isEqualTo("42");
    assertThat(value("SHUTTER").ascii()).isEqualTo("open");
  }

  @Test
  void binaryModifyTakesNumbersForEnumeratedBooleanMaskAndArrays() {
    KtlRun run = modify("--binary", "SHUTTER=0", "TRACKING=0", "FAULTS=2", "PIXELS=7,8,9", "AZ=12.5");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).extracting(l -> l.replaceAll(" \\(seq \\d+\\)", "")).containsExactly(
        "SHUTTER = closed", "TRACKING = off", "FAULTS = cooling", "PIXELS = 7 8 9", "AZ = 12.500");
  }

  @Test
  void binaryModifyRefusesAnEnumeratedNumberThatHasNoLabel() {
    KtlRun run = modify("--binary", "SHUTTER=5");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.REFUSED);
    assertThat(run.err()).startsWith("ktl: BAD_VALUE: ");
  }

  @Test
  void writeThatIsNotDoneInTimeExitsThreeNamingTheMissingStage() {
    KtlRun run = modify("--timeout", "0.5", "SLOW=1");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.TIMEOUT);
    assertThat(run.err().lines().toList()).singleElement().asString()
        .contains(service + ".SLOW").contains("acknowledged but not done");
  }

  @Test
  void nowaitAndNotifyTogetherAreAUsageError() {
    KtlRun run = modify("--nowait", "--notify", "COUNT=1");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--nowait and --notify");
  }

  @Test
  void serviceWithoutADispatcherExitsFour() {
    String stopped = server.serviceName("clistopped");
    TestDispatchers.start(server, stopped).close();

    KtlRun run = ktl("modify", "-s", stopped, "--redis", server.url(), "COUNT=1");
    KtlRun nowait = ktl("modify", "-s", stopped, "--redis", server.url(), "--nowait", "COUNT=1");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(run.err()).contains("no dispatcher is serving service " + stopped);
    assertThat(nowait.exitCode()).as(nowait.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
  }

  @Test
  void unreachableRedisExitsFourNamingWhereTheUrlCameFrom() {
    int port = TestDispatchers.closedPort();

    KtlRun run = ktl("modify", "-s", service, "--redis", "redis://127.0.0.1:" + port + "/0", "COUNT=1");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(run.err().lines().toList()).singleElement().asString()
        .contains("127.0.0.1:" + port).contains("from --redis");
  }

  @Test
  void writtenValueIsWhatAClientReadsBack() {
    Keyword kw = client.keyword("PIXELS");

    KtlRun run = modify("PIXELS=4 5 6");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(kw.read().orElseThrow().ascii()).isEqualTo("4 5 6");
  }
}
