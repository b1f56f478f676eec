package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ktl4j.cli.KtlRun.ktl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisOptions;
import org.ktl4j.testkit.RedisServer;

/**
 * {@code --redis-password-file}, passwords that never show in what ktl prints, and what to do when the password
 * is missing.
 */
@ExtendWith(RedisExtension.class)
@RedisOptions(password = "p+w @:%x")
class PasswordFileCommandTest {
  @TempDir
  Path dir;

  private static String plainUrl(RedisServer server) {
    return "redis://" + server.host() + ":" + server.port() + "/0";
  }

  @Test
  void passwordFileAuthenticates(RedisServer server) throws IOException {
    Path file = Files.writeString(dir.resolve("pw"), "p+w @:%x\n");
    KtlRun run = ktl("list", "--redis", plainUrl(server), "--redis-password-file", file.toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
  }

  @Test
  void percentEncodedPasswordInTheUrlAuthenticates(RedisServer server) {
    KtlRun run = ktl("list", "--redis", "redis://:p+w%20%40%3A%25x@" + server.host() + ":" + server.port() + "/0");
    assertThat(run.exitCode()).as(run.toString()).isZero();
  }

  @Test
  void wrongPasswordIsRefusedWithoutShowingIt(RedisServer server) throws IOException {
    Path file = Files.writeString(dir.resolve("pw"), "not-the-password\n");
    KtlRun run = ktl("list", "--redis", plainUrl(server), "--redis-password-file", file.toString());
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(run.err()).contains("credentials").doesNotContain("not-the-password");
    assertThat(run.err().lines()).hasSize(1);
  }

  @Test
  void noPasswordGivenSaysHowToGiveOne(RedisServer server) {
    KtlRun run = ktl("list", "--redis", plainUrl(server));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(run.err()).isEqualTo("ktl: cannot list services: Redis at " + server.host() + ":" + server.port()
        + " needs a password: give it in the URL, redis://:PASSWORD@" + server.host() + ":" + server.port() + "/0, "
        + "or in a file with --redis-password-file FILE (or KTL_REDIS_PASSWORD_FILE=FILE)" + System.lineSeparator());
  }

  @Test
  void dispatcherWithoutPasswordSaysHowToGiveOne(RedisServer server) throws Exception {
    try (KtlProcess ktl = KtlProcess.start(plainUrl(server), "dispatcher",
        "--config=" + KtlProcess.bundle("clitest.xml"), "--service=" + server.serviceName("clinopw"))) {
      assertThat(ktl.awaitExit()).as(ktl.output()).isEqualTo(ExitCodes.UNAVAILABLE);
      assertThat(ktl.errorLines()).as(ktl.output()).singleElement().asString()
          .contains("needs a password", "redis://:PASSWORD@" + server.host() + ":" + server.port() + "/0",
              "--redis-password-file")
          .doesNotContain("NOAUTH");
    }
  }

  @Test
  void unreadablePasswordFileIsOneClearLine(RedisServer server) {
    Path missing = dir.resolve("missing");
    KtlRun run = ktl("list", "--redis", plainUrl(server), "--redis-password-file", missing.toString());
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).isEqualTo("ktl: Redis password file " + missing + ": no such file (from --redis-password-file "
        + missing + ")" + System.lineSeparator());
  }

  @Test
  void malformedUrlDoesNotShowThePassword(RedisServer server) {
    KtlRun run = ktl("list", "--redis", "redis://:top secret@" + server.host() + ":" + server.port() + "/0");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("malformed").doesNotContain("top").doesNotContain("secret");
    assertThat(run.err().lines()).hasSize(1);
  }
}
