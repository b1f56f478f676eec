package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * {@code ktl} in a child JVM ({@code java -cp <test classpath> org.ktl4j.cli.Main ...}), as a user or systemd
 * runs it: its stdout and stderr are collected line by line, and {@link #terminate()} sends SIGTERM.
 *
 * <p>The child always gets {@code KTL_REDIS_URL} from the test, so that a command without {@code --redis}
 * never reaches whatever Redis runs on this machine's default port.
 */
final class KtlProcess implements AutoCloseable {
  private static final long EXIT_TIMEOUT_SECONDS = 60;

  private final Process process;
  private final List<String> stdout = new CopyOnWriteArrayList<>();
  private final List<String> stderr = new CopyOnWriteArrayList<>();
  private final List<Thread> pumps = new ArrayList<>();

  private KtlProcess(Process process) {
    this.process = process;
    pumps.add(pump(process.getInputStream(), stdout, "stdout"));
    pumps.add(pump(process.getErrorStream(), stderr, "stderr"));
  }

  /** Starts {@code ktl args...} with {@code KTL_REDIS_URL=redisUrl}. */
  static KtlProcess start(String redisUrl, String... args) {
    return start(Map.of("KTL_REDIS_URL", redisUrl), List.of(args));
  }

  /** Starts {@code ktl args...} with these environment variables added. */
  static KtlProcess start(Map<String, String> env, List<String> args) {
    assertThat(env).as("tests must say which Redis a child uses").containsKey("KTL_REDIS_URL");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    try {
      return new KtlProcess(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A test bundle from {@code src/test/resources/bundles}, as an absolute path. */
  static String bundle(String name) {
    try {
      return Path.of(KtlProcess.class.getResource("/bundles/" + name).toURI()).toString();
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalArgumentException("no test bundle " + name, e);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  List<String> stdout() {
    return List.copyOf(stdout);
  }

  List<String> stderr() {
    return List.copyOf(stderr);
  }

  /** The lines that report a failure ({@code ktl: ...}) on stderr. */
  List<String> errorLines() {
    return stderr.stream().filter(l -> l.startsWith("ktl: ")).toList();
  }

  /**
   * Sends SIGTERM, as systemd and {@code kill} do. Through the {@link ProcessHandle}: {@link Process#destroy()}
   * sends the same signal but also closes our ends of the pipes, which would lose the shutdown's output.
   */
  void terminate() {
    process.toHandle().destroy();
  }

  /** Waits for the process to exit and for its output to be read; returns its exit code. */
  int awaitExit() throws InterruptedException {
    assertThat(process.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS))
        .as("ktl exits; stderr so far: %s", stderr).isTrue();
    for (Thread pump : pumps) {
      pump.join(TimeUnit.SECONDS.toMillis(EXIT_TIMEOUT_SECONDS));
    }
    return process.exitValue();
  }

  /** Everything it printed, for assertion messages. */
  String output() {
    return "stdout: " + stdout + "\nstderr: " + stderr;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  private static Thread pump(InputStream in, List<String> lines, String name) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the process is gone
      }
    }, "ktl-child-" + name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
