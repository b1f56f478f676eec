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

/** {@code --redis-password-file}, and passwords that never show in what ktl prints. */
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
