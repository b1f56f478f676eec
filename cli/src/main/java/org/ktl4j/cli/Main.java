package org.ktl4j.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The {@code ktl} command: entry point of the CLI jar. Parses the arguments with picocli, runs the chosen
 * subcommand and exits with its {@linkplain ExitCodes exit code}; failures are reported as one line
 * ({@link FailureReporter}).
 *
 * <p>To add a subcommand, write a class extending {@link KtlCommand} annotated with {@code @Command(name = ...)}
 * and list it in {@code subcommands} below. The help options ({@code -h}, {@code -V}) and the exit-code list
 * are inherited by every subcommand ({@code scope = INHERIT}).
 *
 * <p>Logging defaults are set in the static initializer, before any class with a static logger can load.
 */
@Command(name = "ktl", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class, sortOptions = false, usageHelpAutoWidth = true,
    synopsisSubcommandLabel = "COMMAND",
    description = "Keyword services on Redis, in the KTL model: a dispatcher owns a service's keywords; clients "
        + "read, write and monitor them.",
    commandListHeading = "%nCommands:%n",
    subcommands = {
        DispatcherCommand.class,
        ShowCommand.class,
        ModifyCommand.class,
        MonitorCommand.class,
        HistoryCommand.class,
        WaitforCommand.class,
        ListCommand.class,
        DescribeCommand.class,
        WebCommand.class,
        AclCommand.class,
        DoctorCommand.class,
        DemoCommand.class,
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {ExitCodes.LIST_OK, ExitCodes.LIST_USAGE, ExitCodes.LIST_REFUSED, ExitCodes.LIST_TIMEOUT,
        ExitCodes.LIST_UNAVAILABLE},
    footerHeading = "%n",
    footer = "Environment: KTL_REDIS_URL (default Redis URL), KTL_REDIS_PASSWORD_FILE (file with the Redis password), "
        + "KTL_REDIS_CACERT, KTL_REDIS_CERT and KTL_REDIS_KEY (TLS: CA certificate, client certificate and key, PEM), "
        + "KTL_REDIS_SERVER (redis-server binary for "
        + "--redis embedded), KTL_JAVA_OPTS and KTL_CLASSPATH (JVM options and extra jars, e.g. a --setup class, for the ./ktl launcher).")
public final class Main implements Callable<Integer> {
  static {
    Logging.defaults();
  }

  @Spec
  CommandSpec spec;

  /** Runs {@code ktl} with {@code args} and exits the JVM with the command's exit code. */
  public static void main(String[] args) {
    int code = commandLine().execute(args);
    System.out.flush();
    System.err.flush();
    System.exit(code);
  }

  /** The configured command line: one-line failures, case-insensitive enum values. */
  static CommandLine commandLine() {
    FailureReporter reporter = new FailureReporter();
    return new CommandLine(new Main())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(reporter)
        .setParameterExceptionHandler(reporter);
  }

  /** {@code ktl} without a command is a usage error. */
  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing a command: one of "
        + String.join(", ", spec.subcommands().keySet()));
  }

  /** The version from the jar's manifest, or the source version when run from classes. */
  static final class Version implements IVersionProvider {
    static final String FALLBACK = "0.1.0";

    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"ktl " + (v != null ? v : FALLBACK) + " (ktl protocol 1)"};
    }
  }
}
