package org.ktl4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.ktl4j.internal.protocol.AclRules.ConfigAccess;
import org.ktl4j.internal.protocol.AclRules.Role;
import org.ktl4j.internal.protocol.AclRules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code ktl acl}: prints the {@code ACL SETUSER} line of a service's dispatcher, client or monitor user, for an
 * operator to paste into {@code redis-cli} (or to append to {@code redis-cli ...} in a shell). Talks to no Redis.
 * The rules come from {@link AclRules}. Not thread-safe: one instance runs once.
 */
@Command(name = "acl", sortOptions = false, usageHelpAutoWidth = true,
    description = {
        "Print the Redis ACL user of a service's dispatcher, client or monitor (Redis 7.0 or newer).",
        "dispatcher: the service's keys (read and write) and channels, SADD to ktl:services, and CONFIG GET (see "
            + "--config). client: reads the service's values, every service's definitions and leases; PUBLISH to "
            + "the service's modify channel only; SUBSCRIBE to its reply channels and keyspace events; it cannot "
            + "write a key, listen to the modify channel, or learn other writers' reply channels. monitor: reads "
            + "and keyspace events only, no PUBLISH.",
        "The line is quoted so that it works pasted at the redis-cli prompt, piped into redis-cli, or after "
            + "'redis-cli -u URL' in a shell. It resets the user's keys, channels, commands and selectors but keeps "
            + "its passwords, so running it again updates a user in place. Without --password-from-stdin no "
            + "password is set: add one with ACL SETUSER NAME '>secret' (a new user cannot log in until you do)."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  $ ktl acl -s telescope --role client --user obs-client",
        "  ACL SETUSER obs-client resetkeys resetchannels -@all clearselectors on +ping '+client|setname' ...",
        "  $ ktl acl -s telescope --role all | REDISCLI_AUTH=... redis-cli -h redis-host --user admin",
        "  $ ktl acl -s telescope --role dispatcher --user tel-disp --password-from-stdin < pw.txt | redis-cli",
        "Then: ktl dispatcher --redis redis://tel-disp:PASSWORD@redis-host:6379/0 ... (see docs/security.md)."})
final class AclCommand extends KtlCommand {
  /** What needs no quoting in redis-cli (sdssplitargs) nor in a POSIX shell. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.:@+=,/-]+");

  /** {@code --role}: one role, or all three. */
  enum RoleChoice {
    DISPATCHER, CLIENT, MONITOR, ALL
  }

  @Option(names = {"-s", "--service"}, order = 1, required = true, paramLabel = "NAME",
      description = "Service the user is for.")
  String service;

  @Option(names = "--role", order = 2, required = true, paramLabel = "ROLE",
      description = "dispatcher, client, monitor, or all (one line each).")
  RoleChoice role;

  @Option(names = {"-u", "--user"}, order = 3, paramLabel = "NAME",
      description = "ACL user name (A-Z a-z 0-9 _ . @ -). Default: ktl-SERVICE-ROLE. With --role all: the "
          + "prefix of the three names NAME-dispatcher, NAME-client, NAME-monitor (default ktl-SERVICE).")
  String user;

  @Option(names = "--db", order = 4, paramLabel = "N", defaultValue = "0",
      description = "Database the service lives in (keyspace channels name it); default: ${DEFAULT-VALUE}.")
  int db;

  @Option(names = "--config", order = 5, paramLabel = "ACCESS", defaultValue = "get",
      description = {"What the dispatcher may do with CONFIG (it checks, and may add to, notify-keyspace-events): "
          + "get (default: it checks; the server must already have K and h, e.g. notify-keyspace-events Kgh in "
          + "redis.conf), set (it turns the flags on itself; CONFIG SET can change any setting, so this makes the "
          + "user an administrator), none (run 'ktl dispatcher --no-notify-check').",
          "CONFIG GET shows every setting, including requirepass and masterauth if they are set."})
  ConfigAccess config;

  @Option(names = "--redis-version", order = 6, paramLabel = "VERSION", defaultValue = AclRules.MINIMUM_REDIS_VERSION,
      description = "Redis version the line is for; default ${DEFAULT-VALUE}. From 7.2 it also allows "
          + "CLIENT SETINFO (which Redis 7.0 does not know). Older than 7.0: refused (no selectors).")
  String redisVersion;

  @Option(names = "--password-from-stdin", order = 7,
      description = "Read the password from the first line of standard input and add it as a SHA-256 hash "
          + "('#...', replacing the user's passwords): the password never appears on a command line or in the "
          + "output. Needs a single --role.")
  boolean passwordFromStdin;

  @Override
  int run() throws IOException {
    AclRules rules;
    try {
      rules = AclRules.of(service, db).forRedis(redisVersion);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    List<Role> roles = role == RoleChoice.ALL ? List.of(Role.values()) : List.of(Role.valueOf(role.name()));
    if (passwordFromStdin && roles.size() > 1) {
      throw new ParameterException(spec.commandLine(), "--password-from-stdin needs a single --role (each user "
          + "should have its own password)");
    }
    String hash = passwordFromStdin ? sha256(readPassword()) : null;
    PrintWriter out = spec.commandLine().getOut();
    for (Role r : roles) {
      String name = userName(rules, r, roles.size() > 1);
      List<String> command;
      try {
        command = new ArrayList<>(rules.setUser(name, r, config));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      if (hash != null) {
        command.addAll(List.of("resetpass", "#" + hash));
      }
      out.println(redisCliLine(command));
    }
    out.flush();
    if (hash == null) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("ktl: no password set; add one with: ACL SETUSER NAME '>password' (or --password-from-stdin)");
      err.flush();
    }
    return ExitCodes.OK;
  }

  private String userName(AclRules rules, Role r, boolean several) {
    String base = user != null ? user : "ktl-" + rules.keys().service();
    if (user != null && !several) {
      return user;
    }
    return base + "-" + r.label();
  }

  /** {@code command} as one line for redis-cli or a shell: arguments with special characters in single quotes. */
  static String redisCliLine(List<String> command) {
    StringBuilder b = new StringBuilder();
    for (String arg : command) {
      if (arg.indexOf('\'') >= 0 || arg.indexOf('\\') >= 0 || arg.chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
        // never produced: names are validated, hashes are hex
        throw new IllegalArgumentException("cannot quote '" + arg + "' for redis-cli");
      }
      b.append(b.length() == 0 ? "" : " ").append(PLAIN.matcher(arg).matches() ? arg : "'" + arg + "'");
    }
    return b.toString();
  }

  private String readPassword() throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line = in.readLine();
    if (line == null || line.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--password-from-stdin: standard input has no password "
          + "(its first line is empty)");
    }
    return line;
  }

  private static String sha256(String password) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(password.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
