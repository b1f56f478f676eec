package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ktl4j.cli.KtlRun.ktl;

import org.junit.jupiter.api.Test;

/**
 * Usage errors that need no Redis, each one line that says what to do: a mistyped command, a Redis URL without
 * its scheme. (Those of {@code modify} and {@code show} are in their tests.)
 */
class UsageErrorsTest {
  private static final String COMMANDS =
      "dispatcher, show, modify, monitor, history, waitfor, list, describe, web, acl, doctor, demo";

  @Test
  void mistypedCommandNamesTheClosestCommandAndListsThemAll() {
    KtlRun run = ktl("shwo", "-s", "telescope", "AZ");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).isEqualTo("ktl: unknown command 'shwo' (did you mean 'show'?); the commands are "
        + COMMANDS + " (see 'ktl --help')" + System.lineSeparator());
  }

  @Test
  void unknownCommandListsTheCommands() {
    KtlRun run = ktl("frobnicate");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).isEqualTo("ktl: unknown command 'frobnicate'; the commands are " + COMMANDS
        + " (see 'ktl --help')" + System.lineSeparator());
  }

  @Test
  void redisUrlWithoutSchemeSaysHowARedisUrlStarts() {
    String hostPort = "127.0.0.1:" + TestDispatchers.closedPort(); // refused before any connection anyway

    KtlRun run = ktl("show", "-s", "telescope", "--redis", hostPort, "AZ");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).isEqualTo("ktl: the Redis URL '" + hostPort + "' (from --redis) is not a URL: a Redis URL "
        + "starts with redis:// (rediss:// for TLS), e.g. redis://" + hostPort + "/0" + System.lineSeparator());
  }

  @Test
  void redisUrlWithoutSchemeHoldingAPasswordDoesNotRepeatIt() {
    KtlRun run = ktl("list", "--redis", ":hunter2@db.example.org:6380");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("a Redis URL starts with redis://").doesNotContain("hunter2");
  }
}
