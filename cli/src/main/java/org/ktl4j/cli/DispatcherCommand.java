package org.ktl4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.ktl4j.UnavailableException;
import org.ktl4j.definition.Bundle;
import org.ktl4j.definition.KtlXmlBundle;
import org.ktl4j.definition.KtlXmlException;
import org.ktl4j.dispatcher.DispatcherConfig;
import org.ktl4j.dispatcher.Durability;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.dispatcher.ServiceSetup;
import org.ktl4j.embedded.EmbeddedRedis;
import org.ktl4j.protocol.Names;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * {@code ktl dispatcher}: serves one service from a KTL XML bundle, in the foreground, until SIGTERM or SIGINT
 * (exit 0 after a clean stop) or until the dispatcher stops by itself, e.g. because another dispatcher took its
 * lease (exit 4).
 *
 * <p>Start-up checks everything it can before touching Redis (bundle, service name, setup class, options), then
 * optionally starts an embedded Redis, opens the connections and starts the {@link DispatcherService}. Everything
 * opened is closed by a {@link ShutdownSequence}. Not thread-safe: one instance runs once.
 */
@Command(name = "dispatcher", sortOptions = false, usageHelpAutoWidth = true,
    description = {
        "Run the dispatcher of one service in the foreground: it owns the service's keywords, serves MODIFY "
            + "requests and keeps the values in Redis.",
        "Stop it with SIGTERM or Ctrl-C: it finishes running writes, sets DISPSTA to 'stopping', releases its "
            + "lease, leaves the values in Redis and exits 0. It exits 4 if it stops for another reason "
            + "(e.g. its lease was taken)."})
final class DispatcherCommand extends KtlCommand {

  @Option(names = {"-c", "--config"}, order = 1, required = true, paramLabel = "FILE",
      description = "KTL XML bundle that defines the service's keywords.")
  Path config;

  @Option(names = {"-s", "--service"}, order = 2, paramLabel = "NAME",
      description = "Service name (default: the bundle's service attribute).")
  String service;

  @Mixin
  RedisOption redis;

  @Option(names = "--setup", order = 4, paramLabel = "CLASS",
      description = "Class that attaches Java behaviour to the keywords: implements "
          + "org.ktl4j.dispatcher.ServiceSetup, public, with a public no-argument constructor, on the classpath.")
  String setup;

  @Option(names = "--workers", order = 5, paramLabel = "N", defaultValue = "" + DispatcherConfig.DEFAULT_WORKERS,
      description = "Threads that run write hooks, stores and periodic updates (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--lease-ttl", order = 6, paramLabel = "SECONDS", defaultValue = "5",
      description = "Time-to-live of the service's lease, renewed every third of it; a crashed dispatcher's lease "
          + "expires after it (default: ${DEFAULT-VALUE}; at least 0.3).")
  double leaseTtlSeconds;

  @Option(names = "--no-notify-check", order = 7,
      description = "Do not check or set the server's notify-keyspace-events (needs K and h). For servers where "
          + "CONFIG is not allowed and the setting was made by hand.")
  boolean noNotifyCheck;

  @Option(names = "--durability", order = 8, paramLabel = "master|replica", defaultValue = "master",
      description = "When a writer is told done: once the master has stored the value (default), or, with 'replica', "
          + "once a replica confirms it (WAIT 1): a value acknowledged then survives the master's failover.")
  String durability;

  @Option(names = "--replica-wait", order = 9, paramLabel = "MS", defaultValue = "500",
      description = "With --durability replica, how long to wait for a replica before the writer is told "
          + "WRITE_FAILED (default: ${DEFAULT-VALUE}; less than the Redis timeout).")
  long replicaWaitMs;

  @Option(names = "--history", order = 10, paramLabel = "N",
      defaultValue = "" + DispatcherConfig.DEFAULT_HISTORY_LENGTH,
      description = "How many of each keyword's last values Redis keeps for 'ktl history' (default: ${DEFAULT-VALUE}; "
          + "0 keeps none; at most " + DispatcherConfig.MAX_HISTORY_LENGTH + ").")
  int history;

  @Override
  LogLevel defaultLogLevel() {
    return LogLevel.INFO;
  }

  @Override
  int run() throws Exception {
    Bundle bundle = loadBundle();
    String serviceName = serviceName(bundle);
    ServiceSetup serviceSetup = setup == null ? null : SetupClass.instantiate(setup);
    DispatcherConfig dispatcherConfig = dispatcherConfig();
    boolean embedded = redis.isEmbedded();
    if (embedded && redis.hasFileOptions()) {
      throw new IllegalArgumentException("--redis embedded starts a plain redis:// server on 127.0.0.1 with no "
          + "password: --redis-password-file, --redis-cacert, --redis-cert and --redis-key do not apply to it");
    }
    RedisSettings given = embedded ? null : redis.settings();

    Logger log = LoggerFactory.getLogger(DispatcherCommand.class);
    PrintWriter out = spec.commandLine().getOut();
    ShutdownSequence shutdown = new ShutdownSequence(log);
    shutdown.install();
    String reason;
    try {
      RedisSettings settings = given;
      if (embedded) {
        OptionalInt port = redis.embeddedPort();
        EmbeddedRedis server = EmbeddedServer.start(port);
        shutdown.add("embedded Redis", server);
        settings = RedisSettings.fromUri(server.url());
        String fellBack = port.isEmpty() && server.port() != RedisOption.EMBEDDED_PREFERRED_PORT
            ? " (port " + RedisOption.EMBEDDED_PREFERRED_PORT + " is in use)" : "";
        out.println("ktl: embedded Redis at " + settings.redactedUrl() + fellBack + "; in another terminal: "
            + RedisSettings.ENV_URL + "=" + settings.redactedUrl() + " ./ktl show -s " + serviceName);
        out.flush();
      }
      RedisEndpoint endpoint = RedisEndpoint.open(settings);
      shutdown.add("Redis connections", endpoint);
      DispatcherService.Builder builder = DispatcherService.builder(serviceName)
          .definitions(bundle.keywords()).config(dispatcherConfig).endpoint(endpoint);
      if (serviceSetup != null) {
        builder.setup(serviceSetup);
      }
      DispatcherService dispatcher = builder.build();
      shutdown.add("dispatcher", dispatcher);
      start(dispatcher, settings, embedded);
      out.println("ktl: service " + dispatcher.name() + " ready: " + dispatcher.keywords().size() + " keywords ("
          + bundle.keywords().size() + " from " + config + ") on " + settings.redactedUrl() + ", pid "
          + ProcessHandle.current().pid() + "; stop with Ctrl-C or kill " + ProcessHandle.current().pid());
      out.flush();

      while (!dispatcher.awaitStopped(Duration.ofHours(1))) {
        // serving; SIGTERM/SIGINT run the shutdown hook, which ends the process
      }
      reason = dispatcher.stopReason().orElse("service " + serviceName + ": the dispatcher stopped");
    } catch (RuntimeException | Error e) {
      stopByItself(shutdown);
      throw e;
    }
    stopByItself(shutdown);
    throw new UnavailableException(reason);
  }

  /** Closes what was opened from the main thread, unless the shutdown hook already does (then waits for it). */
  private static void stopByItself(ShutdownSequence shutdown) {
    if (!shutdown.uninstall()) {
      shutdown.awaitHalt();
    }
    shutdown.closeAll();
  }

  private Bundle loadBundle() throws KtlXmlException {
    try {
      return KtlXmlBundle.load(config);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("bundle " + config + ": no such file", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("bundle " + config + ": cannot be read: " + e, e);
    }
  }

  private String serviceName(Bundle bundle) {
    String name = service != null ? service : bundle.service();
    if (name.isBlank()) {
      throw new IllegalArgumentException("bundle " + config + " has no service attribute "
          + "(<bundle service=\"...\">); name the service with --service NAME");
    }
    return Names.service(name.strip());
  }

  private DispatcherConfig dispatcherConfig() {
    if (workers < 1) {
      throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
    }
    if (!(leaseTtlSeconds >= 0.3) || leaseTtlSeconds > 3600) {
      throw new IllegalArgumentException("--lease-ttl must be between 0.3 and 3600 seconds, got " + leaseTtlSeconds);
    }
    if (history < 0 || history > DispatcherConfig.MAX_HISTORY_LENGTH) {
      throw new IllegalArgumentException("--history must be between 0 and " + DispatcherConfig.MAX_HISTORY_LENGTH
          + " values, got " + history);
    }
    if (replicaWaitMs < 1) {
      throw new IllegalArgumentException("--replica-wait must be at least 1 ms, got " + replicaWaitMs);
    }
    return DispatcherConfig.builder()
        .workers(workers)
        .leaseTtl(Duration.ofMillis(Math.round(leaseTtlSeconds * 1000)))
        .checkNotifications(!noNotifyCheck)
        .durability(Durability.parse(durability, Duration.ofMillis(replicaWaitMs)))
        .historyLength(history)
        .build();
  }

  /**
   * Starts the dispatcher; an unreachable Redis gets a hint about how to get one, a Redis that wants a password
   * how to give it.
   */
  private void start(DispatcherService dispatcher, RedisSettings settings, boolean embedded) {
    try {
      dispatcher.start();
    } catch (UnavailableException e) {
      if (embedded) {
        throw e;
      }
      Optional<UnavailableException> noPassword = ConnectionHints.passwordMissing(e, settings);
      if (noPassword.isPresent()) {
        throw noPassword.get();
      }
      if (ConnectionHints.causedBy(e, JedisConnectionException.class) && !e.getMessage().contains("TLS handshake")) {
        String message = e.getMessage().replaceAll("[.\\s]+$", "");
        throw new UnavailableException(message + ". Redis URL from " + redis.source() + ". Start redis-server at "
            + settings.address() + ", point --redis or " + RedisSettings.ENV_URL + " at a running Redis, or use "
            + "'--redis embedded' to run a private redis-server for this dispatcher", e);
      }
      throw e;
    }
  }
}
