package org.ktl4j.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every {@code ktl} subcommand: it owns the shared {@code --log-level} option and applies it before
 * {@link #run()}, so that no logger exists before the level is known. A subcommand extends this, adds its own
 * {@code @Option}s (and {@code @Mixin RedisOption redis} if it talks to Redis), implements {@link #run()} (return
 * {@link ExitCodes#OK}, or throw: {@link FailureReporter} turns the exception into one line and an exit code), and
 * is listed once in {@link Main}'s {@code subcommands}.
 *
 * <p>Subclasses must not hold static loggers: create them in {@link #run()}. Not thread-safe; picocli fills
 * one instance per invocation.
 */
abstract class KtlCommand implements Callable<Integer> {
  @Mixin
  LogLevelOption logLevel;

  @Spec
  CommandSpec spec;

  /** The level this command logs at unless {@code --log-level} says otherwise. */
  LogLevel defaultLogLevel() {
    return LogLevel.WARN;
  }

  /** Does the command's work; returns an {@link ExitCodes exit code}. */
  abstract int run() throws Exception;

  @Override
  public final Integer call() throws Exception {
    logLevel.apply(defaultLogLevel());
    return run();
  }
}
