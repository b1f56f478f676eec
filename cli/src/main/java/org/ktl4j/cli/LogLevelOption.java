package org.ktl4j.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --log-level} option, shared by every subcommand through {@link KtlCommand}. Not thread-safe
 * (filled in by picocli, read once).
 */
final class LogLevelOption {
  @Option(names = "--log-level", order = 90, paramLabel = "LEVEL",
      description = "Logging detail on stderr: error, warn, info, debug or trace (default: warn; info for long-running "
          + "commands such as dispatcher). With debug or trace, failures also print their stack trace.")
  private LogLevel level;

  /** Applies the chosen level, or {@code commandDefault} if none was given. */
  void apply(LogLevel commandDefault) {
    if (level != null) {
      Logging.level(level);
    } else {
      Logging.defaultLevel(commandDefault);
    }
  }
}
