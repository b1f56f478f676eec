package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.UnavailableException;
import org.ktl4j.dispatcher.DispatcherConfig;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.protocol.AclRules;
import org.ktl4j.protocol.AclRules.ConfigAccess;
import org.ktl4j.protocol.AclRules.Role;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisOptions;
import org.ktl4j.testkit.RedisServer;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

/**
 * The dispatcher role's three CONFIG choices on a Redis 7 server: {@code set} turns keyspace notifications on by
 * itself; {@code get} checks them, starts when K and h are set (its refused attempt to add g is harmless) and refuses
 * to start, saying which setting to make, when they are not; {@code none} runs with the check turned off.
 */
@ExtendWith(RedisExtension.class)
@RedisOptions(minimumVersion = AclRules.MINIMUM_REDIS_VERSION)
class AclConfigTest {
  private RedisServer server;
  private RedisClient admin;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void connect(RedisServer server) {
    this.server = server;
    admin = server.newClient();
    admin.sendCommand(Protocol.Command.ACL, "LOG", "RESET");
  }

  @AfterEach
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    admin.close();
  }

  /** A dispatcher of a new service, as a new user with the dispatcher role and {@code config}; not started. */
  private DispatcherService dispatcher(String user, ConfigAccess config, boolean checkNotifications) {
    String service = server.serviceName("aclconfig");
    List<String> args = new ArrayList<>(AclRules.of(service, server.db()).setUser(user, Role.DISPATCHER, config));
    args.add(">pw");
    admin.sendCommand(Protocol.Command.ACL, args.subList(1, args.size()).toArray(new String[0]));
    RedisEndpoint endpoint = RedisEndpoint.open(RedisSettings.fromUri("redis://" + user + ":pw@" + server.host()
        + ":" + server.port() + "/" + server.db()).withTimeout(Duration.ofSeconds(2)));
    open.add(endpoint);
    DispatcherService d = DispatcherService.builder(service).definitions(TestDispatchers.keywords()).endpoint(endpoint)
        .config(DispatcherConfig.builder().checkNotifications(checkNotifications).build()).build();
    open.add(d);
    return d;
  }

  private String flags() {
    return admin.configGet("notify-keyspace-events").get("notify-keyspace-events");
  }

  @Test
  void withConfigSetTheDispatcherTurnsNotificationsOnItself() {
    admin.configSet("notify-keyspace-events", "");

    dispatcher("cfg-set", ConfigAccess.SET, true).start();

    assertThat(flags()).contains("K").contains("h").contains("g");
    assertThat(AclLog.entries(admin)).isEmpty();
  }

  @Test
  void withConfigGetTheDispatcherStartsWhenKAndHAreSetAndItsRefusedGIsHarmless() {
    admin.configSet("notify-keyspace-events", "Kh");

    dispatcher("cfg-get", ConfigAccess.GET, true).start();

    assertThat(flags()).isEqualTo("hK");
    assertThat(AclLog.entries(admin)).singleElement().asString().contains("object=config|set")
        .contains("username=cfg-get");
  }

  @Test
  void withConfigGetTheDispatcherRefusesToStartWithoutNotificationsAndSaysWhatToSet() {
    admin.configSet("notify-keyspace-events", "");

    DispatcherService d = dispatcher("cfg-get-off", ConfigAccess.GET, true);

    assertThatThrownBy(d::start).isInstanceOf(UnavailableException.class)
        .hasMessageContaining("notify-keyspace-events Kh").hasMessageContaining("--no-notify-check");
  }

  @Test
  void withoutConfigTheDispatcherRunsWithTheCheckTurnedOff() {
    admin.configSet("notify-keyspace-events", "Kgh");

    dispatcher("cfg-none", ConfigAccess.NONE, false).start();

    assertThat(AclLog.entries(admin)).isEmpty();
  }
}
