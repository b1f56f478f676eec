package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ktl4j.cli.KtlRun.ktl;

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

/** {@code ktl waitfor} against two real dispatchers: true, false, labels, KTL's shorthand, across services. */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WaitforCommandTest {
  private TestDispatchers first;
  private TestDispatchers second;
  private RedisEndpoint endpoint;
  private String url;
  private String one;
  private String two;

  @BeforeAll
  void start(RedisServer server) {
    url = server.url();
    one = server.serviceName("cliwaitone");
    two = server.serviceName("cliwaittwo");
    first = TestDispatchers.start(server, one);
    second = TestDispatchers.start(server, two);
    endpoint = RedisEndpoint.open(RedisSettings.fromUri(url));
  }

  @AfterAll
  void stop() {
    endpoint.close();
    first.close();
    second.close();
  }

  private void write(String service, String keyword, String value) {
    try (Service s = Service.open(service, endpoint)) {
      s.keyword(keyword).write(value);
    }
  }

  @Test
  void conditionThatHoldsExitsZeroAndPrintsNothing() {
    KtlRun run = ktl("waitfor", "-s", one, "--redis", url, "AZ > 100");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEmpty();
  }

  @Test
  void conditionThatNeverHoldsExitsThreeShowingTheValuesSeen() {
    KtlRun run = ktl("waitfor", "-s", one, "--redis", url, "--timeout", "0.2", "AZ", ">", "300");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.TIMEOUT);
    assertThat(run.err().lines().toList()).singleElement().asString()
        .contains("'AZ > 300' did not become true within 0.2 s").contains(one + ".AZ = ");
  }

  @Test
  void zeroTimeoutEvaluatesOnce() {
    write(one, "COUNT", "5");

    KtlRun yes = ktl("waitfor", "-s", one, "--redis", url, "-t", "0", "COUNT == 5");
    KtlRun no = ktl("waitfor", "-s", one, "--redis", url, "-t", "0", "COUNT != 5");

    assertThat(yes.exitCode()).as(yes.toString()).isZero();
    assertThat(no.exitCode()).as(no.toString()).isEqualTo(ExitCodes.TIMEOUT);
    assertThat(no.err()).contains("is false");
  }

  @Test
  void enumeratorLabelsCompareIgnoringCaseAndKtlSingleEqualsWorks() {
    write(one, "SHUTTER", "open");

    KtlRun run = ktl("waitfor", "-s", one, "--redis", url, "-t", "5", "SHUTTER=OPEN");
    KtlRun dollar = ktl("waitfor", "-s", one, "--redis", url, "-t", "5", "$SHUTTER == 1");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(dollar.exitCode()).as(dollar.toString()).isZero();
  }

  @Test
  void unknownLabelIsAUsageError() {
    KtlRun run = ktl("waitfor", "-s", one, "--redis", url, "SHUTTER == ajar");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("ajar").contains("closed, open");
  }

  @Test
  void expressionAcrossTwoServicesWithoutDashS() {
    write(one, "EL", "50");
    write(two, "SHUTTER", "closed");

    KtlRun run = ktl("waitfor", "--redis", url, "-t", "10",
        "($" + one + ".EL > 44.9) and ($" + two + ".SHUTTER == closed)");
    KtlRun not = ktl("waitfor", "--redis", url, "-t", "0",
        "($" + one + ".EL > 44.9) and ($" + two + ".SHUTTER == open)");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(not.exitCode()).as(not.toString()).isEqualTo(ExitCodes.TIMEOUT);
    assertThat(not.err()).contains(one + ".EL = ").contains(two + ".SHUTTER = closed");
  }

  @Test
  void bareKeywordWithoutDashSIsAUsageError() {
    KtlRun run = ktl("waitfor", "--redis", url, "AZ > 3");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("$service.KW");
  }

  @Test
  void unknownServiceInTheExpressionIsAUsageError() {
    KtlRun run = ktl("waitfor", "--redis", url, "$nosuchservice.AZ > 3");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("no service 'nosuchservice'");
  }
}
