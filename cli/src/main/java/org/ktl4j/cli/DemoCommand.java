package org.ktl4j.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import org.ktl4j.KtlTimeoutException;
import org.ktl4j.client.Service;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.embedded.EmbeddedRedis;
import org.ktl4j.examples.TelescopeDemo;
import org.ktl4j.examples.telescope.TelescopeSetup;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ktl demo}: the whole system on a fresh machine, with no set-up. Starts an embedded Redis and the example
 * telescope dispatcher, narrates a short session against them through the public client API
 * ({@link TelescopeDemo}), then shuts everything down; {@code --keep} leaves both running and prints commands to
 * try from another terminal. Not thread-safe: one instance runs once.
 */
@Command(name = "demo", sortOptions = false, usageHelpAutoWidth = true,
    description = {
        "Show ktl4j working, with nothing to set up: start an embedded Redis and the example telescope "
            + "dispatcher, then list, read, write (ack and done), be refused, monitor a slew and wait for an "
            + "expression through the client API, and shut down.",
        "With --keep, leave Redis and the dispatcher running and print commands to try in another terminal; "
            + "stop them with Ctrl-C."},
    footer = {"", "Example:", "  ./ktl demo", "  ./ktl demo --keep"})
final class DemoCommand extends KtlCommand {

  @Option(names = "--keep", order = 1,
      description = "Leave the embedded Redis and the dispatcher running after the session, until Ctrl-C.")
  boolean keep;

  @Option(names = "--port", order = 2, paramLabel = "PORT",
      description = "Port of the embedded Redis (default: 6379 if free, else any free port).")
  Integer port;

  @Override
  int run() throws Exception {
    PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
    ShutdownSequence shutdown = new ShutdownSequence(LoggerFactory.getLogger(DemoCommand.class));
    shutdown.install();
    boolean ok;
    try {
      out.println("Starting an embedded Redis and the example telescope dispatcher...");
      EmbeddedRedis redis = EmbeddedServer.start(port == null ? OptionalInt.empty() : OptionalInt.of(port));
      shutdown.add("embedded Redis", redis);
      RedisSettings settings = RedisSettings.fromUri(redis.url());
      RedisEndpoint endpoint = RedisEndpoint.open(settings);
      shutdown.add("Redis connections", endpoint);
      DispatcherService dispatcher = DispatcherService.builder("telescope").bundle(TelescopeSetup.bundle())
          .setup(new TelescopeSetup()).endpoint(endpoint).build();
      shutdown.add("dispatcher", dispatcher);
      dispatcher.start();
      out.println("Redis at " + settings.redactedUrl() + "; dispatcher of service 'telescope' ready (pid "
          + ProcessHandle.current().pid() + ").");
      try (Service telescope = Service.open("telescope", endpoint)) {
        ok = new TelescopeDemo(telescope, out).run();
      }
      out.println();
      if (keep) {
        String env = RedisSettings.ENV_URL + "=" + settings.redactedUrl();
        out.println("Redis and the dispatcher keep running. In another terminal, try:");
        out.println("  export " + env);
        out.println("  ./ktl list -s telescope");
        out.println("  ./ktl show -s telescope");
        out.println("  ./ktl modify -s telescope TARGAZ=90 TARGEL=60");
        out.println("  ./ktl monitor -s telescope AZ EL SLEWING");
        out.println("  ./ktl waitfor -s telescope 'SLEWING == no' --timeout 30");
        out.println("  ./ktl modify -s telescope TARGEL=5        # refused: below the horizon limit");
        out.println("Stop with Ctrl-C.");
        out.flush();
        while (!dispatcher.awaitStopped(java.time.Duration.ofHours(1))) {
          // serving until SIGINT/SIGTERM; the shutdown hook ends the process
        }
      } else {
        out.println("Shutting down.");
      }
    } catch (RuntimeException | Error e) {
      close(shutdown);
      throw e;
    }
    close(shutdown);
    if (!ok) {
      throw new KtlTimeoutException("the demo session did not complete every step in time (see above)");
    }
    out.println("Done.");
    return ExitCodes.OK;
  }

  private static void close(ShutdownSequence shutdown) {
    if (!shutdown.uninstall()) {
      shutdown.awaitHalt();
    }
    shutdown.closeAll();
  }

  /** Adapts picocli's writer (which tests capture) to the PrintStream the demo narrates to. */
  private static final class WriterOutputStream extends java.io.OutputStream {
    private final java.io.PrintWriter writer;
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

    WriterOutputStream(java.io.PrintWriter writer) {
      this.writer = writer;
    }

    @Override
    public synchronized void write(int b) {
      line.write(b);
      if (b == '\n') {
        flush();
      }
    }

    @Override
    public synchronized void flush() {
      writer.print(line.toString(StandardCharsets.UTF_8));
      writer.flush();
      line.reset();
    }
  }
}
