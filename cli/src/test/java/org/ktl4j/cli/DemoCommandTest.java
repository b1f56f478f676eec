package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ktl demo}: the whole system, with no set-up, narrated step by step, ending with exit 0. */
class DemoCommandTest {

  @Test
  void demoShowsEveryStepAndExitsZero() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int code = commandLine.execute("demo", "--port", "0"); // any free port: never the machine's own 6379
    String text = out.toString();
    assertThat(code).as(text + err).isZero();
    assertThat(text)
        .contains("Redis at redis://127.0.0.1:")
        .contains("== 1. The service and its keywords").contains("TARGAZ").contains("deg")
        .contains("== 2. Reading values").contains("AZ        = 180.000 deg")
        .contains("ack  : the dispatcher accepted it").contains("done : stored '60.0' with seq")
        .contains("refused by the dispatcher: code REJECTED").contains("below the horizon limit")
        .contains("broadcasts received; the mount is on target")
        .contains("expression held")
        .contains("Shutting down.").contains("Done.");
  }
}
