package org.ktl4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Reports a failed command as exactly one line on stderr, {@code ktl: <message>}, and returns its
 * {@linkplain ExitCodes exit code}. The stack trace follows only with {@code --log-level debug} (or trace), or
 * for a failure that is a bug rather than a user error. Messages may carry text from Redis (a dispatcher's refusal,
 * a value): their control characters and bidi overrides are escaped ({@link TerminalText#escapeControls}), always.
 * Installed on the top-level {@link CommandLine} for every subcommand. Stateless and thread-safe.
 */
final class FailureReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {

  /**
   * Bad arguments: the message (for a word picocli could not place, what it probably is: {@link UnmatchedWords})
   * plus where to read about the command.
   */
  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    String message = UnmatchedWords.explain(e, args).orElse(e.getMessage());
    err.println("ktl: " + oneLine(message) + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
    err.flush();
    return ExitCodes.USAGE;
  }

  /** A failure while a command ran. */
  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
    if (e instanceof ParameterException p) {
      return handleParseException(p, parseResult.originalArgs().toArray(new String[0]));
    }
    PrintWriter err = cmd.getErr();
    err.println("ktl: " + message(e));
    if (Logging.isDebug() || !ExitCodes.isExpected(e)) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      trace.toString().lines().forEach(l -> err.println(l.startsWith("\t") // keep the frames' indent
          ? "\t" + TerminalText.escapeControls(l.substring(1)) : TerminalText.escapeControls(l)));
    }
    err.flush();
    return ExitCodes.of(e);
  }

  /** The failure's message on one line; the exception's type where there is no message or it is a bug. */
  static String message(Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return "unexpected " + e.getClass().getName() + (e.getCause() != null ? ": " + message(e.getCause()) : "");
    }
    return ExitCodes.isExpected(e) ? oneLine(m) : "unexpected " + e.getClass().getName() + ": " + oneLine(m);
  }

  /**
   * Joins the lines of a multi-line message (e.g. a redis-server log tail) with {@code " | "}, and escapes what
   * is left of control characters and bidi overrides.
   */
  static String oneLine(String message) {
    return TerminalText.escapeControls(message.strip().replaceAll("\\s*\\R\\s*", " | "));
  }
}
