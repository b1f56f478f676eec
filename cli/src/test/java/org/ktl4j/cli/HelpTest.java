package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The help texts: every option and every exit code is documented, and asking for help succeeds. */
class HelpTest {
  private static final List<String> EXIT_CODES = List.of(
      "Exit codes:", "0   ok", "1   usage", "2   refused", "3   timeout", "4   no dispatcher");

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int ktl(String... args) {
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void topLevelHelpListsTheCommandsAndExitCodes() {
    assertThat(ktl("--help")).isZero();
    assertThat(out.toString()).contains("Usage: ktl", "dispatcher", "--help", "--version", "KTL_REDIS_URL")
        .contains(EXIT_CODES);
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void dispatcherHelpExplainsEveryOptionAndTheExitCodes() {
    assertThat(ktl("dispatcher", "--help")).isZero();
    assertThat(out.toString()).contains("Usage: ktl dispatcher", "--config=FILE", "--service=NAME", "--redis=URL",
        "embedded", "--setup=CLASS", "--workers=N", "default: 8", "--lease-ttl=SECONDS", "--no-notify-check",
        "--log-level=LEVEL", "SIGTERM").contains(EXIT_CODES);
  }

  @Test
  void versionNamesTheProtocol() {
    assertThat(ktl("--version")).isZero();
    assertThat(out.toString()).startsWith("ktl ").contains("ktl protocol 1");
  }

  @Test
  void unknownOptionIsOneLineAndExitCodeOne() {
    assertThat(ktl("dispatcher", "--config=x.xml", "--frobnicate")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString().lines().toList()).singleElement().asString()
        .startsWith("ktl: ").contains("--frobnicate").contains("ktl dispatcher --help");
  }
}
