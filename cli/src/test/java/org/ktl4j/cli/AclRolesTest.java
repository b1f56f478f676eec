package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ktl4j.cli.KtlRun.ktl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.client.Service;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.protocol.AclRules;
import org.ktl4j.protocol.AclRules.Role;
import org.ktl4j.protocol.Keys;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisOptions;
import org.ktl4j.testkit.RedisServer;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

/**
 * Every {@code ktl} command works under the ACL role meant for it, on a Redis 7 server: a dispatcher (start-up,
 * definitions, heartbeat broadcasts, recovery after Redis lost its data, a client connection killed) as the
 * dispatcher user; show, modify, monitor, waitfor and list as the client user; show, history, monitor, waitfor,
 * list and describe (also with --json) as the monitor user, whose modify fails naming NOPERM. The last test reads
 * {@code ACL LOG}: none of these users was ever refused anything, so the roles grant all that ktl4j uses.
 */
@ExtendWith(RedisExtension.class)
@RedisOptions(minimumVersion = AclRules.MINIMUM_REDIS_VERSION, notifyKeyspaceEvents = "Kgh")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AclRolesTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PASSWORD = "role-secret";
  private static final List<String> USERS = List.of("ktl-dispatcher", "ktl-client", "ktl-monitor", "ktl-daemon",
      "ktl-daemon-client");

  private final ExecutorService runner = Executors.newCachedThreadPool();
  private RedisServer server;
  private RedisClient admin;
  private String service;
  private RedisEndpoint dispatcherEndpoint;
  private DispatcherService dispatcher;

  @BeforeAll
  void start(RedisServer server) {
    this.server = server;
    admin = server.newClient();
    service = server.serviceName("aclroles");
    AclRules rules = AclRules.of(service, server.db());
    apply(admin, rules, "ktl-dispatcher", Role.DISPATCHER);
    apply(admin, rules, "ktl-client", Role.CLIENT);
    apply(admin, rules, "ktl-monitor", Role.MONITOR);
    apply(admin, rules, "probe-monitor", Role.MONITOR); // for refusals, which must not show up as ktl-monitor's
    admin.sendCommand(Protocol.Command.ACL, "LOG", "RESET");

    dispatcherEndpoint = RedisEndpoint.open(RedisSettings.fromUri(urlAs("ktl-dispatcher")));
    dispatcher = DispatcherService.builder(service).definitions(TestDispatchers.keywords())
        .endpoint(dispatcherEndpoint).build(); // default heartbeat: its broadcast watch runs too
    dispatcher.start();
  }

  @AfterAll
  void stop() {
    runner.shutdownNow();
    if (dispatcher != null) {
      dispatcher.close();
    }
    if (dispatcherEndpoint != null) {
      dispatcherEndpoint.close();
    }
    admin.close();
  }

  /** {@code ACL SETUSER user <role rules> >password} as the admin. */
  static void apply(RedisClient admin, AclRules rules, String user, Role role) {
    List<String> args = new ArrayList<>(rules.setUser(user, role, AclRules.ConfigAccess.GET));
    args.remove(0); // "ACL"
    args.add(">" + PASSWORD);
    admin.sendCommand(Protocol.Command.ACL, args.toArray(new String[0]));
  }

  private String urlAs(String user) {
    return "redis://" + user + ":" + PASSWORD + "@" + server.host() + ":" + server.port() + "/" + server.db();
  }

  private KtlRun as(String user, String command, String... more) {
    List<String> args = new ArrayList<>(List.of(command));
    if (!command.equals("list")) {
      args.addAll(List.of("-s", service));
    }
    args.addAll(List.of("--redis", urlAs(user)));
    args.addAll(List.of(more));
    return ktl(args.toArray(new String[0]));
  }

  private CompletableFuture<KtlRun> inBackground(String user, String command, String... more) {
    return CompletableFuture.supplyAsync(() -> as(user, command, more), runner);
  }

  @Test
  @Order(1)
  void clientShowsModifiesAndListsUnderTheClientRole() {
    KtlRun modify = as("ktl-client", "modify", "COUNT=7", "NAME=under acl");
    assertThat(modify.exitCode()).as(modify.toString()).isZero();
    KtlRun show = as("ktl-client", "show", "COUNT", "NAME");
    assertThat(show.exitCode()).as(show.toString()).isZero();
    assertThat(show.out()).anySatisfy(l -> assertThat(l).contains("7")).anySatisfy(l -> assertThat(l)
        .contains("under acl"));
    KtlRun list = as("ktl-client", "list");
    assertThat(list.exitCode()).as(list.toString()).isZero();
    assertThat(list.out()).anySatisfy(l -> assertThat(l).startsWith(service));
    KtlRun keywords = as("ktl-client", "list", "-s", service);
    assertThat(keywords.exitCode()).as(keywords.toString()).isZero();
    assertThat(keywords.out()).anySatisfy(l -> assertThat(l).startsWith("COUNT"));
  }

  @Test
  @Order(2)
  void clientMonitorsAndWaitsUnderTheClientRole() throws Exception {
    monitorsAndWaits("ktl-client");
  }

  @Test
  @Order(3)
  void monitorShowsMonitorsWaitsAndListsUnderTheMonitorRole() throws Exception {
    KtlRun show = as("ktl-monitor", "show", "COUNT");
    assertThat(show.exitCode()).as(show.toString()).isZero();
    KtlRun list = as("ktl-monitor", "list");
    assertThat(list.exitCode()).as(list.toString()).isZero();
    KtlRun keywords = as("ktl-monitor", "list", "-s", service);
    assertThat(keywords.exitCode()).as(keywords.toString()).isZero();
    KtlRun describe = as("ktl-monitor", "describe", "COUNT");
    assertThat(describe.exitCode()).as(describe.toString()).isZero();
    assertThat(describe.out()).anySatisfy(l -> assertThat(l).startsWith("  dispatcher  host "));
    KtlRun json = as("ktl-monitor", "describe", "--json", "COUNT");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    assertThat(json.out()).singleElement().asString().contains("\"dispatcher\":{\"host\":");
    KtlRun history = as("ktl-monitor", "history", "COUNT");
    assertThat(history.exitCode()).as(history.toString()).isZero();
    assertThat(history.out()).anySatisfy(l -> assertThat(l).contains("COUNT = 7"));
    monitorsAndWaits("ktl-monitor");
  }

  private void monitorsAndWaits(String user) throws Exception {
    CompletableFuture<KtlRun> one = inBackground(user, "monitor", "--count", "2", "COUNT");
    CompletableFuture<KtlRun> all = inBackground(user, "monitor", "--count", "2", "--no-prime");
    CompletableFuture<KtlRun> waitfor = inBackground(user, "waitfor", "-t", "30", "COUNT == 42");
    RedisEndpoint client = RedisEndpoint.open(RedisSettings.fromUri(urlAs("ktl-client")));
    Service writer = Service.open(service, client);
    try {
      // write until all three have seen it: each subscribes at its own pace
      await().atMost(WAIT).until(() -> {
        writer.keyword("COUNT").write("41");
        writer.keyword("COUNT").write("42");
        return one.isDone() && all.isDone() && waitfor.isDone();
      });
    } finally {
      writer.close();
      client.close();
    }
    for (CompletableFuture<KtlRun> f : List.of(one, all, waitfor)) {
      KtlRun run = f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(run.exitCode()).as(run.toString()).isZero();
    }
  }

  @Test
  @Order(4)
  void monitorRoleCannotModifyAndSaysNoperm() {
    KtlRun modify = as("probe-monitor", "modify", "COUNT=8");
    assertThat(modify.exitCode()).as(modify.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(modify.err()).contains("cannot write to service " + service).contains("user 'probe-monitor'")
        .contains("NOPERM");
  }

  @Test
  @Order(5)
  void dispatcherRecoversUnderTheDispatcherRoleWhenRedisLosesItsData() {
    Keys keys = Keys.of(service);
    admin.sendCommand(Protocol.Command.FLUSHALL);
    await().atMost(WAIT).until(() -> admin.exists(keys.definitions()) && admin.exists(keys.lease()));
    // its pooled and pub/sub connections dropped: it reconnects and serves again
    admin.sendCommand(Protocol.Command.CLIENT, "KILL", "USER", "ktl-dispatcher");
    await().atMost(WAIT).untilAsserted(() -> {
      KtlRun modify = as("ktl-client", "modify", "COUNT=9");
      assertThat(modify.exitCode()).as(modify.toString()).isZero();
    });
    assertThat(admin.sismember(Keys.SERVICES, service)).isTrue();
  }

  @Test
  @Order(6)
  void ktlDispatcherDaemonServesAndStopsUnderTheDispatcherRole() throws Exception {
    String daemonService = server.serviceName("acldaemon");
    AclRules rules = AclRules.of(daemonService, server.db());
    apply(admin, rules, "ktl-daemon", Role.DISPATCHER);
    apply(admin, rules, "ktl-daemon-client", Role.CLIENT);
    try (KtlProcess daemon = KtlProcess.start(server.url(), "dispatcher",
            "--config=" + KtlProcess.bundle("clitest.xml"), "--service=" + daemonService,
            "--redis=" + urlAs("ktl-daemon"));
         RawWriter redis = new RawWriter(server.url(), daemonService)) {
      DispatcherCommandTest.awaitReady(daemon, redis);
      KtlRun modify = ktl("modify", "-s", daemonService, "--redis", urlAs("ktl-daemon-client"), "COUNTER=5");
      assertThat(modify.exitCode()).as(modify.toString()).isZero();
      assertThat(redis.ascii("COUNTER")).isEqualTo("5");

      daemon.terminate();

      assertThat(daemon.awaitExit()).as(daemon.output()).isZero();
      assertThat(redis.leaseExists()).as("lease released").isFalse();
    }
    // every service is listed, though the client may read the values of its own only
    for (String user : List.of("ktl-client", "ktl-monitor")) {
      KtlRun list = as(user, "list");
      assertThat(list.exitCode()).as(list.toString()).isZero();
      assertThat(list.out()).anySatisfy(l -> assertThat(l).startsWith(service))
          .anySatisfy(l -> assertThat(l).startsWith(daemonService));
    }
  }

  @Test
  @Order(100)
  void noneOfTheRoleUsersWasEverRefused() {
    dispatcher.close(); // its shutdown too: status, lease release
    List<String> entries = AclLog.entries(admin);
    System.out.println("ACL LOG:\n" + String.join("\n", entries));
    assertThat(entries).as("ACL LOG").noneMatch(e -> USERS.stream().anyMatch(u -> e.contains("username=" + u + ",")));
  }
}
