package org.ktl4j.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.ktl4j.UnavailableException;
import org.ktl4j.internal.protocol.DispatcherLease;
import org.ktl4j.internal.protocol.Keys;
import org.ktl4j.internal.protocol.Names;
import org.ktl4j.internal.redis.RedisConnections;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisException;

/**
 * {@code ktl doctor}: checks a Redis for what ktl4j needs and prints one line per check, {@code OK}, {@code WARN}
 * or {@code FAIL}, with what to do for anything not OK. Reads only: what a user may do is asked with
 * {@code ACL DRYRUN} (Redis 7.0+), never tried. Exits 0
 * when no check failed, 1 otherwise. Not thread-safe: one instance runs once.
 */
@Command(name = "doctor", sortOptions = false, usageHelpAutoWidth = true,
    description = {
        "Check a Redis for what ktl4j needs and say what to fix: one line per check, OK, WARN or FAIL.",
        "Checks: reachable and authenticated, server version (6.2 or newer; 7.0 or newer for ACL roles, sharded "
            + "pub/sub and Redis Cluster), notify-keyspace-events (K and h needed, g wanted), whether CONFIG SET is "
            + "allowed (the dispatcher uses it to add missing flags), round-trip latency (20 PINGs), the topology "
            + "(ROLE; CLUSTER INFO for redis-cluster://). With -s: whether the service is registered, whether a "
            + "dispatcher holds its lease, and (Redis 7.0 or newer, ACL DRYRUN) whether the current user may do "
            + "what a client does.",
        "Exit code 0 when no check failed, 1 otherwise."},
    footerHeading = "%nExample:%n",
    footer = {
        "  $ ktl doctor --redis redis://obs-redis:6379/0 -s telescope",
        "  OK    connect: redis://obs-redis:6379/0 answers PING (user 'default')",
        "  OK    version: Redis 7.2.4",
        "  FAIL  notify-keyspace-events: '' lacks K, h: run CONFIG SET notify-keyspace-events Kgh ..."})
final class DoctorCommand extends KtlCommand {
  /** PINGs sent to measure the round trip. */
  static final int PINGS = 20;
  /** Median round trip above which latency is a WARN, in ms. */
  static final double SLOW_MS = 5.0;
  /** The exit code when a check failed (the same number as {@link ExitCodes#USAGE}). */
  static final int FAILED = 1;

  @Option(names = {"-s", "--service"}, order = 1, paramLabel = "NAME",
      description = "Also check this service: registered, dispatcher running, and the current user's client rights.")
  String service;

  @Mixin
  RedisOption redis;

  @Option(names = {"-t", "--timeout"}, order = 4, paramLabel = "SECONDS",
      description = "Connect and command timeout; default: the URL's, else 2 s.")
  Double timeout;

  /** Severity of a check's outcome. */
  enum Level {
    OK, WARN, FAIL
  }

  private PrintWriter out;
  private boolean failed;

  @Override
  int run() {
    out = spec.commandLine().getOut();
    RedisSettings settings = redis.settings();
    if (timeout != null) {
      settings = settings.withTimeout(Timeouts.positive("--timeout", timeout));
    }
    if (service != null && !Names.isValidService(service.strip())) {
      throw new IllegalArgumentException("-s " + service + " is not a valid service name");
    }
    // commands go to the server holding the service's keys (on a cluster: the master of their slot)
    String key = service != null ? Keys.of(service.strip()).lease() : Keys.SERVICES;
    RedisEndpoint opened;
    try {
      opened = RedisEndpoint.open(settings); // Sentinel and Cluster clients connect here already
    } catch (JedisException | UnavailableException e) {
      report(Level.FAIL, "connect", "cannot open " + settings.redactedUrl() + " (" + ConnectionHints.explain(
          e instanceof UnavailableException u ? u : new UnavailableException(e.getMessage(), e), settings,
          redis.source()).getMessage() + "); check the Sentinel or seed addresses, the master name and the "
          + "credentials");
      out.flush();
      return FAILED;
    }
    try (RedisEndpoint endpoint = opened) {
      if (connect(endpoint, key)) {
        int[] version = version(endpoint, key);
        String flags = notifications(endpoint, key);
        configSet(endpoint, key, flags, version);
        latency(endpoint, key);
        topology(endpoint, key);
        if (service != null) {
          serviceChecks(endpoint, Keys.of(service.strip()), version);
        }
      }
    }
    out.flush();
    return failed ? FAILED : ExitCodes.OK;
  }

  private void report(Level level, String check, String text) {
    failed |= level == Level.FAIL;
    out.println(String.format(Locale.ROOT, "%-5s %s: %s", level, check, TerminalText.of(false).render(text)));
    out.flush();
  }

  private boolean connect(RedisEndpoint endpoint, String key) {
    RedisSettings s = endpoint.settings();
    try {
      RedisConnections.of(endpoint).commandAt(key, Protocol.Command.PING);
      report(Level.OK, "connect", s.redactedUrl() + " answers PING within " + s.timeout().toMillis() + " ms (user "
          + s.user().map(u -> "'" + u + "'").orElse("'default'") + ")");
      return true;
    } catch (JedisException | UnavailableException e) {
      UnavailableException u = e instanceof UnavailableException ue ? ue
          : (UnavailableException) RedisConnections.of(endpoint).translate("ping Redis", (JedisException) e);
      String m = ConnectionHints.explain(u, s, redis.source()).getMessage();
      String fix;
      if (m.contains("needs a password")) {
        fix = ""; // the message says how
      } else if (m.contains("refused the credentials")) {
        fix = "; check the user and password (--redis redis://USER:PASSWORD@host, or --redis-password-file FILE)";
      } else {
        fix = "; check that redis-server runs there and the host, port and firewall (or --timeout if it is slow)";
      }
      report(Level.FAIL, "connect", m + fix);
      return false;
    }
  }

  private int[] version(RedisEndpoint endpoint, String key) {
    String v;
    try {
      v = infoField(text(RedisConnections.of(endpoint).commandAt(key, Protocol.Command.INFO, "server")), "redis_version");
    } catch (JedisException e) {
      report(Level.WARN, "version", "cannot read INFO server (" + e.getMessage() + "): Redis 6.2 or newer is needed");
      return new int[] {0, 0};
    }
    int[] mm = majorMinor(v);
    boolean cluster = endpoint.isCluster();
    if (compare(mm, 6, 2) < 0) {
      report(Level.FAIL, "version", "Redis " + v + " is too old: ktl4j needs 6.2 or newer (7.0 or newer for ACL "
          + "roles, sharded pub/sub and Redis Cluster); upgrade redis-server");
    } else if (compare(mm, 7, 0) < 0 && cluster) {
      report(Level.FAIL, "version", "Redis " + v + ": a Redis Cluster needs 7.0 or newer (sharded pub/sub); "
          + "upgrade redis-server");
    } else if (compare(mm, 7, 0) < 0) {
      report(Level.OK, "version", "Redis " + v + " (7.0 or newer is needed for ACL roles ('ktl acl'), sharded "
          + "pub/sub and Redis Cluster)");
    } else {
      report(Level.OK, "version", "Redis " + v);
    }
    return mm;
  }

  /** The current flags, or null if they could not be read. */
  private String notifications(RedisEndpoint endpoint, String key) {
    String flags;
    try {
      List<String> reply = strings(RedisConnections.of(endpoint).commandAt(key, Protocol.Command.CONFIG, "GET", "notify-keyspace-events"));
      if (reply.size() < 2) {
        throw new IllegalStateException("CONFIG GET returned " + reply);
      }
      flags = reply.get(1);
    } catch (JedisException | IllegalStateException e) {
      report(Level.WARN, "notify-keyspace-events", "cannot check: set notify-keyspace-events Kgh in redis.conf "
          + "(CONFIG GET refused: " + e.getMessage() + "; a dispatcher then needs --no-notify-check)");
      return null;
    }
    boolean all = flags.indexOf('A') >= 0;
    List<String> missing = new ArrayList<>();
    if (flags.indexOf('K') < 0) {
      missing.add("K");
    }
    if (flags.indexOf('h') < 0 && !all) {
      missing.add("h");
    }
    String wanted = flags + (flags.indexOf('K') < 0 ? "K" : "") + (flags.indexOf('g') < 0 && !all ? "g" : "")
        + (flags.indexOf('h') < 0 && !all ? "h" : "");
    if (!missing.isEmpty()) {
      report(Level.FAIL, "notify-keyspace-events", "'" + flags + "' lacks " + String.join(", ", missing)
          + " (K: keyspace events, h: hash commands; clients see no changes without them): run CONFIG SET "
          + "notify-keyspace-events " + wanted + " (and set it in redis.conf), or let a dispatcher whose user may "
          + "CONFIG SET add them");
    } else if (flags.indexOf('g') < 0 && !all) {
      report(Level.WARN, "notify-keyspace-events", "'" + flags + "' lacks g (a value deleted by hand reaches "
          + "monitors only when the dispatcher rewrites it): run CONFIG SET notify-keyspace-events " + wanted
          + " (and set it in redis.conf)");
    } else {
      report(Level.OK, "notify-keyspace-events", "'" + flags + "' has K and h");
    }
    return flags;
  }

  /** Whether this user may CONFIG SET, asked with ACL DRYRUN (Redis 7.0+): the doctor changes nothing on the server. */
  private void configSet(RedisEndpoint endpoint, String key, String flags, int[] version) {
    if (flags == null) {
      report(Level.OK, "config set", "not checked (CONFIG GET refused); the dispatcher will need the flags set in "
          + "redis.conf");
      return;
    }
    if (compare(version, 7, 0) < 0) {
      report(Level.OK, "config set", "not checked (ACL DRYRUN needs Redis 7.0 or newer)");
      return;
    }
    String answer;
    try {
      String user = text(RedisConnections.of(endpoint).commandAt(key, Protocol.Command.ACL, "WHOAMI"));
      answer = text(RedisConnections.of(endpoint).commandAt(key, Protocol.Command.ACL, "DRYRUN", user, "CONFIG", "SET",
          "notify-keyspace-events", flags));
    } catch (JedisException e) {
      report(Level.OK, "config set", "not checked (" + e.getMessage() + ")");
      return;
    }
    if ("OK".equals(answer)) {
      report(Level.OK, "config set", "allowed (a dispatcher with this user can add missing notification flags)");
    } else {
      report(Level.OK, "config set", "not allowed (" + answer + "): a dispatcher cannot fix the notification flags "
          + "itself, so they must be set in redis.conf");
    }
  }


  private void latency(RedisEndpoint endpoint, String key) {
    long[] nanos = new long[PINGS];
    try {
      for (int i = 0; i < PINGS; i++) {
        long start = System.nanoTime();
        RedisConnections.of(endpoint).commandAt(key, Protocol.Command.PING);
        nanos[i] = System.nanoTime() - start;
      }
    } catch (JedisException e) {
      report(Level.FAIL, "latency", "PING failed: " + e.getMessage() + "; check the network to Redis");
      return;
    }
    Arrays.sort(nanos);
    double median = (nanos[PINGS / 2 - 1] + nanos[PINGS / 2]) / 2e6;
    double max = nanos[PINGS - 1] / 1e6;
    String text = String.format(Locale.ROOT, "%d PINGs: median %.2f ms, max %.2f ms", PINGS, median, max);
    if (median > SLOW_MS) {
      report(Level.WARN, "latency", text + ": slow (above " + SLOW_MS + " ms); every read and write pays it: run "
          + "clients near Redis, or check the network and the server's load (SLOWLOG, INFO stats)");
    } else {
      report(Level.OK, "latency", text);
    }
  }

  private void topology(RedisEndpoint endpoint, String key) {
    RedisSettings s = endpoint.settings();
    try {
      if (s.cluster().isPresent()) {
        String state = infoField(text(RedisConnections.of(endpoint).commandAt(key, Protocol.Command.CLUSTER, "INFO")), "cluster_state");
        if ("ok".equals(state)) {
          report(Level.OK, "topology", "Redis Cluster, cluster_state ok");
        } else {
          report(Level.FAIL, "topology", "Redis Cluster, cluster_state " + state + ": some slots have no master; "
              + "see CLUSTER INFO and CLUSTER NODES (redis-cli --cluster check HOST:PORT)");
        }
        return;
      }
      List<String> role = strings(RedisConnections.of(endpoint).commandAt(key, Protocol.Command.ROLE));
      String r = role.isEmpty() ? "?" : role.get(0);
      String kind = s.sentinel().map(x -> "master '" + x.masterName() + "' from Sentinel").orElse("server");
      if ("master".equals(r)) {
        report(Level.OK, "topology", kind + " is a master (ROLE)");
      } else {
        report(Level.FAIL, "topology", kind + " is a " + r + " (ROLE), not a master: ktl4j writes, so give the "
            + "master's URL" + (s.sentinel().isPresent() ? " (check the Sentinels' view: SENTINEL MASTERS)"
            : ", or a redis-sentinel:// URL"));
      }
    } catch (JedisException e) {
      report(Level.WARN, "topology", "cannot check (" + e.getMessage() + ")");
    }
  }

  private void serviceChecks(RedisEndpoint endpoint, Keys keys, int[] version) {
    String svc = keys.service();
    try {
      if (RedisConnections.of(endpoint).commands().sismember(Keys.SERVICES, svc)) {
        report(Level.OK, "service", "'" + svc + "' is registered in " + Keys.SERVICES);
      } else {
        report(Level.FAIL, "service", "'" + svc + "' is not in " + Keys.SERVICES + ": start its dispatcher "
            + "(ktl dispatcher -s " + svc + " ...), or check the name and the database (ktl list)");
      }
    } catch (JedisException e) {
      report(Level.FAIL, "service", "cannot read " + Keys.SERVICES + ": " + e.getMessage());
    }
    try {
      String json = RedisConnections.of(endpoint).commands().get(keys.lease());
      if (json == null) {
        report(Level.WARN, "dispatcher", "no dispatcher holds " + keys.lease() + ": reads work, writes are refused "
            + "until one runs (ktl dispatcher -s " + svc + " ...)");
      } else {
        Optional<DispatcherLease> lease;
        try {
          lease = Optional.of(DispatcherLease.fromJson(json));
        } catch (IllegalArgumentException e) {
          lease = Optional.empty();
        }
        report(Level.OK, "dispatcher", lease.map(l -> "running: host " + l.host() + " pid " + l.pid() + " since "
            + ValueFormat.timestampSeconds(l.started())).orElse("a dispatcher holds " + keys.lease()));
      }
    } catch (JedisException e) {
      report(Level.FAIL, "dispatcher", "cannot read " + keys.lease() + ": " + e.getMessage());
    }
    acl(endpoint, keys, version);
  }

  private void acl(RedisEndpoint endpoint, Keys keys, int[] version) {
    if (compare(version, 7, 0) < 0) {
      report(Level.OK, "acl", "not checked: ACL DRYRUN needs Redis 7.0 or newer");
      return;
    }
    String user;
    try {
      user = text(RedisConnections.of(endpoint).commandAt(keys.lease(), Protocol.Command.ACL, "WHOAMI"));
    } catch (JedisException e) {
      report(Level.OK, "acl", "not checked: ACL WHOAMI not allowed (" + e.getMessage() + ")");
      return;
    }
    String publish = endpoint.isCluster() ? "SPUBLISH" : "PUBLISH";
    List<List<String>> commands = List.of(
        List.of("HMGET", keys.keyword("X"), "value"),
        List.of("HGETALL", keys.definitions()),
        List.of("GET", keys.lease()),
        List.of("XREVRANGE", keys.history("X"), "+", "-", "COUNT", "1"),
        List.of(publish, keys.modifyChannel(), "{}"));
    List<String> denied = new ArrayList<>();
    for (List<String> c : commands) {
      List<String> args = new ArrayList<>(List.of("DRYRUN", user));
      args.addAll(c);
      String answer;
      try {
        answer = text(RedisConnections.of(endpoint).commandAt(keys.lease(), Protocol.Command.ACL, args.toArray(new String[0])));
      } catch (JedisException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("NOPERM")) {
          report(Level.OK, "acl", "not checked: this user may not run ACL DRYRUN");
          return;
        }
        answer = e.getMessage();
      }
      if (!"OK".equals(answer)) {
        denied.add(String.join(" ", c.subList(0, 2)) + " (" + answer + ")");
      }
    }
    if (denied.isEmpty()) {
      report(Level.OK, "acl", "user '" + user + "' may read the service's keywords and their history, and send it writes");
    } else {
      report(Level.FAIL, "acl", "user '" + user + "' may not " + String.join("; ", denied) + ": give it the "
          + "client role, e.g. ktl acl -s " + keys.service() + " --role client --user " + user + " | redis-cli ...");
    }
  }

  static String infoField(String info, String field) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1).trim();
      }
    }
    return "?";
  }

  static int[] majorMinor(String version) {
    String[] parts = version.split("\\.");
    try {
      return new int[] {Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0};
    } catch (NumberFormatException e) {
      return new int[] {0, 0};
    }
  }

  private static int compare(int[] v, int major, int minor) {
    return v[0] != major ? Integer.compare(v[0], major) : Integer.compare(v[1], minor);
  }

  private static String text(Object reply) {
    if (reply instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    return String.valueOf(reply);
  }

  private static List<String> strings(Object reply) {
    List<String> result = new ArrayList<>();
    if (reply instanceof List<?> list) {
      for (Object o : list) {
        result.add(text(o));
      }
    }
    return result;
  }
}
