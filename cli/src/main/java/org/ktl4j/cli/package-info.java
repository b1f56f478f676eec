/**
 * The {@code ktl} command line: {@link org.ktl4j.cli.Main} and one picocli subcommand class per command
 * ({@code DispatcherCommand} runs a dispatcher daemon). Shared pieces every subcommand reuses: the
 * {@code --redis} and {@code --log-level} options ({@code RedisOption}, {@code LogLevelOption}, both reached
 * through the {@code KtlCommand} base class), the exit-code mapping ({@code ExitCodes}) and the one-line error
 * report ({@code FailureReporter}). Logging is slf4j-simple on stderr, configured by {@code Logging} before any
 * logger exists.
 */
package org.ktl4j.cli;
