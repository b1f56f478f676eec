package org.ktl4j.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ktl web}: a live web view of the services on one Redis ({@link WebServer}), until Ctrl-C or SIGTERM,
 * which close the server, its subscriptions and the Redis connections through a {@link ShutdownSequence}. It
 * prints one line on stdout when it serves. Not thread-safe: one instance runs once.
 */
@Command(name = "web", sortOptions = false, usageHelpAutoWidth = true,
    description = {
        "Serve a live web view of the services: keywords, live values, history plots, writes.",
        "The page lists the services and their keywords with units and help, shows every value as the dispatcher "
            + "stores it, plots a numeric keyword's values, and, with --allow-writes, writes a value and shows the "
            + "dispatcher's answer: done with its seq, or the refusal's code and reason.",
        "It listens on 127.0.0.1 (this machine only) unless --bind says otherwise, and is read-only unless started "
            + "with --allow-writes. Requests must name the server in their Host header (its address, or a --host "
            + "name); API requests from another site's page are refused, and writes are accepted only from the "
            + "page itself (Origin checked). When it serves, it prints one line: 'ktl web: serving "
            + "http://HOST:PORT/ (read-only|writes allowed)'. Runs until Ctrl-C (exit 0)."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  $ ktl web --redis redis://obs1:6379/0",
        "  ktl web: serving http://127.0.0.1:8765/ (read-only)",
        "  $ ktl web --port 0 --allow-writes          (any free port; the page may write)",
        "  $ ktl web --bind 0.0.0.0 --host obs1.example.org   (reached as http://obs1.example.org:8765/)",
        "  $ ssh -L 8765:127.0.0.1:8765 obs1 ktl web   (reach it from another machine through ssh)"})
final class WebCommand extends KtlCommand {
  /** The port served unless {@code --port} says otherwise. */
  static final int DEFAULT_PORT = 8765;

  @Mixin
  RedisOption redis;

  @Option(names = {"-p", "--port"}, order = 1, paramLabel = "PORT", defaultValue = "" + DEFAULT_PORT,
      description = "TCP port to serve on (default: ${DEFAULT-VALUE}); 0 picks a free one (printed).")
  int port;

  @Option(names = "--bind", order = 2, paramLabel = "ADDR", defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only). Another address, or "
          + "0.0.0.0, serves anyone who can reach it: the page shows every keyword, and with --allow-writes "
          + "anyone who reaches it can write them.")
  String bind;

  @Option(names = "--host", order = 3, paramLabel = "NAME",
      description = "A host name browsers use to reach the server (repeatable), e.g. --host obs1.example.org: "
          + "requests must name the server in their Host header, and only its address (on 127.0.0.1 also "
          + "localhost; on 0.0.0.0 this machine's addresses) and these names are accepted, so that another site "
          + "cannot reach it through DNS rebinding.")
  List<String> hosts = new ArrayList<>();

  @Option(names = "--allow-writes", order = 4,
      description = "Let the page write values (default: read-only; writes are answered 403).")
  boolean allowWrites;

  @Override
  int run() {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("--port must be in 0..65535, got " + port);
    }
    hosts.forEach(WebOrigins::checkedName);
    InetAddress address;
    try {
      address = InetAddress.getByName(bind.strip());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--bind " + bind + ": not an address of this machine (" + e.getMessage()
          + ")", e);
    }
    Logger log = LoggerFactory.getLogger(WebCommand.class);
    ShutdownSequence shutdown = new ShutdownSequence(log);
    ClientSession session = ClientSession.open(redis);
    shutdown.add("Redis connections", session);
    WebServer server;
    try {
      session.serviceNames(); // fails now, with where the URL came from, if Redis cannot be reached
      server = WebServer.start(new InetSocketAddress(address, port), session, allowWrites, hosts);
      shutdown.add("web server", server);
    } catch (RuntimeException e) {
      shutdown.closeAll();
      throw e;
    }
    shutdown.install();
    PrintWriter out = spec.commandLine().getOut();
    out.println("ktl web: serving " + server.url() + " (" + (allowWrites ? "writes allowed" : "read-only") + ")");
    out.flush();
    shutdown.awaitHalt(); // Ctrl-C or SIGTERM: the hook closes everything and exits 0
    return ExitCodes.OK;
  }
}
