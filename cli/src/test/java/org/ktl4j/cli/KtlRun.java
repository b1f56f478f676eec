package org.ktl4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * {@code ktl} run in the test JVM through {@link Main#commandLine()}, with stdout and stderr captured: the
 * exit code and the printed lines. {@link #out()} may be read while the command still runs (a monitor).
 * Thread-safe to read while the command writes ({@link StringWriter} is synchronized).
 */
final class KtlRun {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private int exitCode = -1;

  /** Runs {@code ktl args...} and returns the finished run. */
  static KtlRun ktl(String... args) {
    return new KtlRun().execute(args);
  }

  /** The arguments {@code COMMAND -s SERVICE --redis URL more...}, as most command tests run them. */
  static String[] onService(String command, String service, String url, String... more) {
    String[] args = new String[5 + more.length];
    args[0] = command;
    args[1] = "-s";
    args[2] = service;
    args[3] = "--redis";
    args[4] = url;
    System.arraycopy(more, 0, args, 5, more.length);
    return args;
  }

  /** Runs the command on the calling thread; returns this. */
  KtlRun execute(String... args) {
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    exitCode = commandLine.execute(args);
    return this;
  }

  int exitCode() {
    return exitCode;
  }

  /** Lines printed on stdout so far. */
  List<String> out() {
    return out.toString().lines().toList();
  }

  /** Everything printed on stdout so far, exactly as written (line separators included). */
  String stdout() {
    return out.toString();
  }

  /** Everything printed on stderr. */
  String err() {
    return err.toString();
  }

  /** For assertion messages. */
  @Override
  public String toString() {
    return "exit " + exitCode + "\nstdout:\n" + out + "stderr:\n" + err;
  }
}
