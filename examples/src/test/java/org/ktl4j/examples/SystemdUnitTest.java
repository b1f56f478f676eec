package org.ktl4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd units of the guide (section 7.1) parse: each {@code ini} block is written to a unit file, with the
 * launcher's path ({@code /opt/ktl4j/ktl}) replaced by this checkout's {@code ktl} (systemd checks that the program
 * exists), and {@code systemd-analyze verify} must accept it without a word about it (an unknown key or a bad value
 * is only a warning, on stderr). A {@code [Service]}-only block is checked inside the first block's {@code [Unit]} and
 * {@code [Install]}. Skipped where {@code systemd-analyze} is not installed.
 */
class SystemdUnitTest {
  private static final Pattern INI = Pattern.compile("```ini\\n(.*?)\\n```", Pattern.DOTALL);

  @Test
  void theGuidesUnitsPassSystemdAnalyzeVerify(@TempDir Path dir) throws Exception {
    assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed");
    Path root = Path.of("..").toAbsolutePath().normalize();
    String guide = Files.readString(root.resolve("docs/guide.md"));
    String section = guide.substring(guide.indexOf("### 7.1 Under systemd"), guide.indexOf("### 7.2"));
    List<String> blocks = new ArrayList<>();
    Matcher m = INI.matcher(section);
    while (m.find()) {
      blocks.add(m.group(1).replace("/opt/ktl4j/ktl", root.resolve("ktl").toString()));
    }
    assertThat(blocks).as("ini blocks in guide section 7.1").hasSizeGreaterThanOrEqualTo(2);
    String full = blocks.get(0);
    String unit = full.substring(0, full.indexOf("[Service]"));
    String install = full.substring(full.indexOf("[Install]"));
    for (int i = 0; i < blocks.size(); i++) {
      String text = blocks.get(i).startsWith("[Unit]") ? blocks.get(i) : unit + blocks.get(i) + "\n\n" + install;
      Path file = dir.resolve("ktl-telescope-" + i + ".service");
      Files.writeString(file, text + "\n", StandardCharsets.UTF_8);
      Process p = new ProcessBuilder("systemd-analyze", "verify", file.toString()).redirectErrorStream(true).start();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("systemd-analyze ended").isTrue();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      List<String> aboutIt = out.lines().filter(l -> l.contains(file.getFileName().toString())).toList();
      assertThat(p.exitValue()).as("block %d:\n%s\n%s", i, text, out).isZero();
      assertThat(aboutIt).as("what systemd-analyze says about block %d:\n%s", i, text).isEmpty();
    }
  }

  private static boolean onPath(String program) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sh", "-c", "command -v " + program).redirectErrorStream(true).start();
    return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
  }
}
