/**
 * The {@code ktl} command line: {@link org.ktl4j.cli.Main} and one picocli subcommand class per command
 * ({@code DispatcherCommand} runs a dispatcher daemon). Shared pieces every subcommand reuses: the
 * {@code --redis} and {@code --log-level} options ({@code RedisOption}, {@code LogLevelOption}, both reached
 * through the {@code KtlCommand} base class), the exit-code mapping ({@code ExitCodes}) and the one-line error
 * report ({@code FailureReporter}). Logging is slf4j-simple on stderr, configured by {@code Logging} before any
 * logger exists. {@code WebCommand} serves the web view: {@code WebServer} (the JDK's HTTP server and its threads),
 * {@code WebApi}, {@code WebWrites}, {@code WebOrigins}, {@code WebResponses}, {@code WebStaticFiles}, and the live
 * values through {@code ServiceFeed} and {@code EventStream}; the page itself is {@code org/ktl4j/cli/web/} in the
 * resources.
 */
package org.ktl4j.cli;
