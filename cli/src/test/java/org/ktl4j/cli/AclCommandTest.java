package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ktl4j.cli.KtlRun.ktl;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.protocol.AclRules;
import org.ktl4j.protocol.AclRules.ConfigAccess;
import org.ktl4j.protocol.AclRules.Role;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisOptions;
import org.ktl4j.testkit.RedisServer;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.SafeEncoder;

/**
 * {@code ktl acl}: the lines it prints, fed to a real {@code redis-cli} (on its standard input, and as arguments
 * through a shell), make exactly the users {@link AclRules} describes, on a Redis 7 server.
 */
@ExtendWith(RedisExtension.class)
@RedisOptions(minimumVersion = AclRules.MINIMUM_REDIS_VERSION)
class AclCommandTest {

  @Test
  void printsTheClientLineQuotedForRedisCli() {
    KtlRun run = ktl("acl", "-s", "Telescope", "--role", "client", "--user", "obs-client");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).containsExactly("ACL SETUSER obs-client resetkeys resetchannels -@all clearselectors on "
        + "+ping '+client|setname' '+cluster|slots' +hmget +hgetall +get +smembers +sismember +xrevrange +time "
        + "+unsubscribe +punsubscribe '%R~ktl:{telescope}:kw:*' '%R~ktl:{telescope}:history:*' '%R~ktl:{*}:keywords' '%R~ktl:{*}:dispatcher' '%R~ktl:services' "
        + "+publish +spublish +sunsubscribe '&ktl:{telescope}:modify' "
        + "'(resetchannels +subscribe +ssubscribe &ktl:{telescope}:reply:* &__keyspace@0__:ktl:{telescope}:kw:*)' "
        + "'(resetchannels +psubscribe &__keyspace@0__:ktl:{telescope}:kw:*)'");
    assertThat(run.err()).contains("no password set").contains("'>password'");
  }

  @Test
  void helpExplainsTheRolesAndEveryOption() {
    KtlRun run = ktl("acl", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(String.join("\n", run.out())).contains("Usage: ktl acl", "--service=NAME", "--role=ROLE",
        "--user=NAME", "--db=N", "--config=ACCESS", "--redis-version=VERSION", "--password-from-stdin", "dispatcher",
        "client", "monitor", "requirepass");
  }

  @Test
  void allRolesPrintOneLineEachWithDefaultNames() {
    KtlRun run = ktl("acl", "-s", "telescope", "--role", "all", "--db", "2");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).hasSize(3);
    assertThat(run.out().get(0)).startsWith("ACL SETUSER ktl-telescope-dispatcher ").contains("+select")
        .contains("'+config|get'").doesNotContain("config|set").contains("&__keyspace@2__:ktl:{telescope}:kw:*");
    assertThat(run.out().get(1)).startsWith("ACL SETUSER ktl-telescope-client ");
    assertThat(run.out().get(2)).startsWith("ACL SETUSER ktl-telescope-monitor ").doesNotContain("+publish");
  }

  @Test
  void refusesRedisOlderThanSevenAndUnquotableUserNames() {
    KtlRun old = ktl("acl", "-s", "telescope", "--role", "client", "--redis-version", "6.2");
    KtlRun badUser = ktl("acl", "-s", "telescope", "--role", "client", "--user", "a b'c");
    KtlRun twoPasswords = ktl("acl", "-s", "telescope", "--role", "all", "--password-from-stdin");

    assertThat(old.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(old.err()).contains("Redis 6.2").contains("7.0");
    assertThat(badUser.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badUser.err()).contains("ACL user name");
    assertThat(twoPasswords.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(twoPasswords.out()).isEmpty();
  }

  @Test
  void linesPipedIntoRedisCliMakeTheSameUsersAsTheRules(RedisServer server) throws Exception {
    String service = server.serviceName("aclcli");
    KtlRun run = ktl("acl", "-s", service, "--role", "all", "--user", "piped", "--config", "set");
    assertThat(run.exitCode()).as(run.toString()).isZero();

    String output = redisCli(server, List.of(), String.join("\n", run.out()) + "\n");

    assertThat(output.lines().toList()).containsExactly("OK", "OK", "OK");
    try (RedisClient admin = server.newClient()) {
      AclRules rules = AclRules.of(service, server.db());
      for (Role role : Role.values()) {
        String expected = "expected-" + role.label();
        List<String> args = new ArrayList<>(rules.setUser(expected, role, ConfigAccess.SET));
        admin.sendCommand(Protocol.Command.ACL, args.subList(1, args.size()).toArray(new String[0]));
        assertThat(aclList(admin, "piped-" + role.label())).isEqualTo(aclList(admin, expected));
      }
    }
  }

  @Test
  void aLineAfterRedisCliInAShellMakesTheSameUser(RedisServer server) throws Exception {
    String service = server.serviceName("aclshell");
    KtlRun run = ktl("acl", "-s", service, "--role", "client", "--user", "shelled");
    assertThat(run.exitCode()).as(run.toString()).isZero();

    String output = shell(redisCliCommand(server) + " " + run.out().get(0));

    assertThat(output.strip()).isEqualTo("OK");
    try (RedisClient admin = server.newClient()) {
      List<String> args = new ArrayList<>(AclRules.of(service, server.db()).setUser("direct", Role.CLIENT,
          ConfigAccess.GET));
      admin.sendCommand(Protocol.Command.ACL, args.subList(1, args.size()).toArray(new String[0]));
      assertThat(aclList(admin, "shelled")).isEqualTo(aclList(admin, "direct"));
    }
  }

  @Test
  void aPasswordFromStandardInputIsStoredHashedAndNeverPrinted(RedisServer server) throws Exception {
    String service = server.serviceName("aclpassword");
    KtlRun run;
    InputStream stdin = System.in;
    try {
      System.setIn(new ByteArrayInputStream("s3cret pass\n".getBytes(StandardCharsets.UTF_8)));
      run = ktl("acl", "-s", service, "--role", "monitor", "--user", "withpw", "--password-from-stdin");
    } finally {
      System.setIn(stdin);
    }
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).singleElement().asString().doesNotContain("s3cret").contains("resetpass '#");
    assertThat(run.err()).isEmpty();

    assertThat(redisCli(server, List.of(), run.out().get(0) + "\n").strip()).isEqualTo("OK");

    try (RedisClient monitor = RedisClient.builder().hostAndPort(server.host(), server.port())
        .clientConfig(server.clientConfig().user("withpw").password("s3cret pass").build()).build()) {
      assertThat(monitor.smembers("ktl:services")).isNotNull();
    }
  }

  private static String aclList(RedisClient admin, String user) {
    for (Object line : (List<?>) admin.sendCommand(Protocol.Command.ACL, "LIST")) {
      String text = SafeEncoder.encode((byte[]) line);
      if (text.startsWith("user " + user + " ")) {
        // the same rules under another name (and without the password hash, which only one of them has)
        return text.substring(("user " + user + " ").length()).replaceAll(" #[0-9a-f]{64}", "");
      }
    }
    throw new AssertionError("no ACL user " + user);
  }

  private static String redisCliCommand(RedisServer server) {
    Path cli = redisCliBinary();
    return cli + " -h " + server.host() + " -p " + server.port() + " -n " + server.db();
  }

  private static Path redisCliBinary() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, "redis-cli");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    Assumptions.abort("no redis-cli on the PATH: cannot check what an operator pastes into it");
    throw new AssertionError("unreachable");
  }

  /** Runs redis-cli with {@code stdin} as its standard input (how an operator pipes or pastes the lines). */
  private static String redisCli(RedisServer server, List<String> args, String stdin) throws Exception {
    List<String> command = new ArrayList<>(List.of(redisCliBinary().toString(), "-h", server.host(), "-p",
        Integer.toString(server.port()), "-n", Integer.toString(server.db())));
    command.addAll(args);
    return run(new ProcessBuilder(command), stdin);
  }

  private static String shell(String line) throws Exception {
    return run(new ProcessBuilder("sh", "-c", line), "");
  }

  private static String run(ProcessBuilder builder, String stdin) throws IOException, InterruptedException {
    Process p = builder.redirectErrorStream(true).start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("redis-cli finished").isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
