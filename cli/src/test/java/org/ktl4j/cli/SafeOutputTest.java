package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ktl4j.cli.KtlRun.ktl;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.client.Service;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.dispatcher.DispatcherConfig;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.protocol.DispatcherLease;
import org.ktl4j.protocol.Keys;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import org.ktl4j.type.KtlType;

/**
 * Values, units, help, labels and hosts holding terminal escape sequences (ESC[2J, an OSC 52 clipboard write
 * ended by BEL, a newline, the C1 CSI 0x9b, a right-to-left override, a backslash): every command prints them
 * escaped, on one line; {@code --raw} prints them exactly as stored.
 */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SafeOutputTest {
  /** What someone who can write a value stores. */
  static final String HOSTILE = "a\u001b[2Jb\u001b]52;c;ZXZpbA==\u0007c\nd\u009b31me\u202ef\\g";
  /** How it is printed. */
  static final String ESCAPED = "a\\x1b[2Jb\\x1b]52;c;ZXZpbA==\\x07c\\x0ad\\x9b31me\\u202ef\\\\g";
  static final String UNITS = "deg\u001b]52;c;aGk=\u0007";
  static final String HELP = "\u202eevil help\u001b[8m";
  static final String LABEL = "on\u001b[31m";
  static final String HOST = "obs\u001b[2J\u009b1";
  static final String NL = System.lineSeparator();

  private String url;
  private String service;
  private String stopped;
  private RedisEndpoint endpoint;
  private DispatcherService dispatcher;

  @BeforeAll
  void start(RedisServer server) {
    url = server.url();
    service = server.serviceName("clisafe");
    stopped = server.serviceName("clisafestopped");
    endpoint = RedisEndpoint.open(RedisSettings.fromUri(url).withTimeout(Duration.ofSeconds(2)));
    List<KeywordDefinition> keywords = List.of(
        KeywordDefinition.builder("TEXT", KtlType.STRING).help(HELP).build(),
        KeywordDefinition.builder("AZ", KtlType.DOUBLE).units(UNITS).initialValue("1.5").build(),
        KeywordDefinition.builder("MODE", KtlType.ENUMERATED).labels("off", LABEL).initialValue(LABEL).build());
    dispatcher = DispatcherService.builder(service).definitions(keywords).endpoint(endpoint)
        .config(DispatcherConfig.builder().heartbeatPeriod(Duration.ofHours(1)).build())
        .setup(s -> s.keyword("AZ").onCheck(v -> {
          if (v.asDouble() > 100) {
            throw new IllegalArgumentException("refused \u001b[2J\u009b1;1H\u202e by a hostile dispatcher");
          }
        })).build();
    dispatcher.start();
    try (Service svc = Service.open(service, endpoint)) {
      svc.keyword("TEXT").write(HOSTILE);
    }
    DispatcherService other = DispatcherService.builder(stopped).definitions(keywords).endpoint(endpoint).build();
    other.start();
    other.close();
    Keys keys = Keys.of(stopped);
    endpoint.call("forge a lease", c -> c.set(keys.lease(),
        new DispatcherLease("forged", HOST, 42, "x", "1732236366.000000").toJson()));
    endpoint.call("add a bad service name", c -> c.sadd(Keys.SERVICES, "bad\u001b[2Jname"));
  }

  @AfterAll
  void stop() {
    dispatcher.close();
    endpoint.close();
  }

  private KtlRun run(String command, String... more) {
    String[] args = KtlRun.onService(command, service, url, more);
    return ktl(args);
  }

  /** No control character, C1 control or bidi override anywhere, but the line ends println wrote. */
  private static void assertNoControls(KtlRun run) {
    for (String line : run.out()) {
      assertThat(line.chars().filter(c -> TerminalText.isControl((char) c))).as("stdout line %s", line).isEmpty();
    }
    for (String line : run.err().lines().toList()) {
      assertThat(line.chars().filter(c -> TerminalText.isControl((char) c))).as("stderr line %s", line).isEmpty();
    }
  }

  @Test
  void showEscapesTheValueAndItStaysOnItsLine() {
    KtlRun run = run("show", "TEXT", "AZ", "MODE");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).containsExactly("TEXT = " + ESCAPED, "AZ   = 1.5 deg\\x1b]52;c;aGk=\\x07",
        "MODE = on\\x1b[31m");
    assertNoControls(run);
  }

  @Test
  void terseShowEscapesToo() {
    KtlRun run = run("show", "--terse", "TEXT", "MODE");

    assertThat(run.out()).as(run.toString()).containsExactly(ESCAPED, "on\\x1b[31m");
    assertNoControls(run);
  }

  @Test
  void rawShowPrintsTheValueExactlyAsStored() {
    KtlRun run = run("show", "--raw", "TEXT");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.stdout()).isEqualTo("TEXT = " + HOSTILE + NL);
  }

  @Test
  void rawTerseShowPrintsTheValueExactlyAsStored() {
    KtlRun run = run("show", "--raw", "--terse", "TEXT", "AZ");

    assertThat(run.stdout()).as(run.toString()).isEqualTo(HOSTILE + NL + "1.5" + NL);
  }

  @Test
  void monitorEscapesTheValueAndUnits() {
    KtlRun run = run("monitor", "--count", "2", "TEXT", "AZ");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).hasSize(2)
        .anySatisfy(l -> assertThat(l).contains(service + ".TEXT = " + ESCAPED + "  (seq "))
        .anySatisfy(l -> assertThat(l).contains(service + ".AZ = 1.5 deg\\x1b]52;c;aGk=\\x07  (seq "));
    assertNoControls(run);
  }

  @Test
  void rawMonitorPrintsTheValueExactlyAsStored() {
    KtlRun run = run("monitor", "--raw", "--count", "1", "TEXT");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.stdout()).matches("(?s)\\S+Z  \\Q" + service + ".TEXT = " + HOSTILE + "\\E  \\(seq \\d+\\)" + NL);
  }

  @Test
  void listEscapesHelpUnitsAndLabels() {
    KtlRun run = run("list");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).anySatisfy(l -> assertThat(l).startsWith("AZ ").contains(" deg\\x1b]52;c;aGk=\\x07 "))
        .anySatisfy(l -> assertThat(l).startsWith("MODE ").contains("0=off, 1=on\\x1b[31m"))
        .anySatisfy(l -> assertThat(l).startsWith("TEXT ").endsWith("\\u202eevil help\\x1b[8m"));
    assertNoControls(run);
  }

  @Test
  void rawListPrintsThemAsStored() {
    KtlRun run = run("list", "--raw");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).anySatisfy(l -> assertThat(l).startsWith("TEXT ").endsWith(HELP))
        .anySatisfy(l -> assertThat(l).startsWith("MODE ").contains("0=off, 1=" + LABEL));
  }

  @Test
  void listOfServicesEscapesHostsAndBadNames() {
    KtlRun run = ktl("list", "--redis", url);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).anySatisfy(l -> assertThat(l).startsWith(stopped + " ")
            .contains("running: host obs\\x1b[2J\\x9b1 pid 42"))
        .anySatisfy(l -> assertThat(l).startsWith("bad\\x1b[2Jname ").endsWith("invalid service name: ignored"))
        .anySatisfy(l -> assertThat(l).startsWith(service + " ").contains("running"));
    assertNoControls(run);
  }

  @Test
  void modifyEscapesTheStoredValueItPrints() {
    KtlRun run = run("modify", "TEXT=" + HOSTILE);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).singleElement().asString().startsWith("TEXT = " + ESCAPED + " (seq ");
    assertNoControls(run);
  }

  @Test
  void waitforEscapesTheValuesInItsTimeoutMessage() {
    KtlRun run = run("waitfor", "-t", "0", "TEXT == nothing");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.TIMEOUT);
    assertThat(run.err()).contains(service + ".TEXT = " + ESCAPED);
    assertNoControls(run);
  }

  @Test
  void errorMessagesEscapeWhatTheyQuote() {
    KtlRun badName = run("show", "A\u001b[2J\u202e");
    KtlRun badValue = run("modify", "MODE=x\u001b]52;c;aGk=\u0007\u009b");

    assertThat(badName.exitCode()).as(badName.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(badName.err()).contains("'A\\x1b[2J\\u202e'");
    assertThat(badValue.exitCode()).as(badValue.toString()).isEqualTo(ExitCodes.REFUSED);
    assertNoControls(badName);
    assertNoControls(badValue);
  }

  @Test
  void aRefusalFromTheDispatcherIsPrintedEscaped() {
    KtlRun run = run("modify", "AZ=200");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.REFUSED);
    assertThat(run.err()).contains("refused \\x1b[2J\\x9b1;1H\\u202e by a hostile dispatcher");
    assertNoControls(run);
  }

  @Test
  void rawIsExplainedInTheHelpOfShowMonitorAndList() {
    for (String command : List.of("show", "monitor", "list")) {
      KtlRun run = ktl(command, "--help");
      assertThat(String.join("\n", run.out())).as(command).contains("--raw", "escaped", "\\x1b");
    }
  }
}
