package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.internal.protocol.AclRules.ConfigAccess;
import org.ktl4j.internal.protocol.AclRules.Role;
import org.ktl4j.internal.protocol.AclRules;
import org.ktl4j.internal.protocol.Keys;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisOptions;
import org.ktl4j.testkit.RedisServer;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * What each role cannot do, checked as that user on a Redis 7 server: a client cannot write a key, publish anywhere
 * but its service's modify channel, nor learn other writers' reply channels (no SUBSCRIBE to the modify channel, no
 * PSUBSCRIBE to the reply channels, no PUBSUB CHANNELS, MONITOR or CLIENT LIST); a monitor cannot publish at all; a
 * dispatcher cannot touch another service. And what they can, the same way, so that a refusal is not a broken setup.
 */
@ExtendWith(RedisExtension.class)
@RedisOptions(minimumVersion = AclRules.MINIMUM_REDIS_VERSION)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AclDenialsTest {
  private static final String PASSWORD = "pw";

  private RedisServer server;
  private Keys keys;
  private Keys other;
  private RedisClient client;
  private RedisClient monitor;
  private RedisClient dispatcher;

  @BeforeAll
  void start(RedisServer server) {
    this.server = server;
    keys = Keys.of(server.serviceName("acldeny"));
    other = Keys.of(server.serviceName("aclother"));
    AclRules rules = AclRules.of(keys.service(), server.db());
    try (RedisClient admin = server.newClient()) {
      for (Role role : Role.values()) {
        List<String> args = new ArrayList<>(rules.setUser("deny-" + role.label(), role, ConfigAccess.GET));
        args.add(">" + PASSWORD);
        admin.sendCommand(Protocol.Command.ACL, args.subList(1, args.size()).toArray(new String[0]));
      }
      admin.hset(keys.keyword("AZ"), "ascii", "1");
      admin.hset(other.keyword("AZ"), "ascii", "2");
    }
    client = as("deny-client");
    monitor = as("deny-monitor");
    dispatcher = as("deny-dispatcher");
  }

  @AfterAll
  void stop() {
    client.close();
    monitor.close();
    dispatcher.close();
  }

  private RedisClient as(String user) {
    return RedisClient.builder().hostAndPort(server.host(), server.port())
        .clientConfig(server.clientConfig().user(user).password(PASSWORD).build()).build();
  }

  /** Sends one command on a fresh connection as {@code user} and returns its first reply (throws on -NOPERM). */
  private Object once(String user, ProtocolCommand command, String... args) {
    try (Connection c = new Connection(new HostAndPort(server.host(), server.port()),
        server.clientConfig().user(user).password(PASSWORD).build())) {
      c.sendCommand(command, args);
      return c.getOne();
    }
  }

  private void refused(String user, ProtocolCommand command, String... args) {
    assertThatThrownBy(() -> once(user, command, args)).as("%s %s %s", user, command, List.of(args))
        .hasMessageContaining("NOPERM");
  }

  @Test
  void clientReadsItsServiceAndWritesOnlyThroughTheModifyChannel() {
    assertThat(client.hmget(keys.keyword("AZ"), "ascii")).containsExactly("1");
    assertThat(client.publish(keys.modifyChannel(), "{}")).isZero();
    assertThat(once("deny-client", Protocol.Command.SUBSCRIBE, keys.replyChannel("abcdefghijklmnop"))).isNotNull();
    assertThat(once("deny-client", Protocol.Command.SUBSCRIBE, keys.keyspaceChannel(server.db(), "AZ"))).isNotNull();
    assertThat(once("deny-client", Protocol.Command.PSUBSCRIBE, keys.keyspacePattern(server.db()))).isNotNull();
  }

  @Test
  void clientCannotWriteAnyKey() {
    assertThatThrownBy(() -> client.hset(keys.keyword("AZ"), "ascii", "forged")).hasMessageContaining("NOPERM");
    assertThatThrownBy(() -> client.del(keys.keyword("AZ"))).hasMessageContaining("NOPERM");
    assertThatThrownBy(() -> client.set(keys.lease(), "forged")).hasMessageContaining("NOPERM");
    assertThatThrownBy(() -> client.sadd(Keys.SERVICES, "forged")).hasMessageContaining("NOPERM");
    assertThatThrownBy(() -> client.hmget(other.keyword("AZ"), "ascii")).as("another service's value")
        .hasMessageContaining("NOPERM");
  }

  @Test
  void clientCannotPublishButToItsModifyChannel() {
    assertThatThrownBy(() -> client.publish(other.modifyChannel(), "{}")).hasMessageContaining("NOPERM");
    assertThatThrownBy(() -> client.publish(keys.replyChannel("victim-token-0123"), "{\"id\":\"1\"}"))
        .as("a forged reply").hasMessageContaining("NOPERM");
    assertThatThrownBy(() -> client.publish(keys.keyspaceChannel(server.db(), "AZ"), "hset"))
        .as("a forged broadcast").hasMessageContaining("NOPERM");
  }

  @Test
  void clientCannotLearnOtherWritersReplyChannels() {
    refused("deny-client", Protocol.Command.SUBSCRIBE, keys.modifyChannel());
    refused("deny-client", Protocol.Command.PSUBSCRIBE, keys.modifyChannel());
    refused("deny-client", Protocol.Command.PSUBSCRIBE, keys.replyChannelPattern());
    refused("deny-client", Protocol.Command.PSUBSCRIBE, "ktl:{" + keys.service() + "}:*");
    refused("deny-client", Protocol.Command.PSUBSCRIBE, "*");
    refused("deny-client", Protocol.Command.PUBSUB, "CHANNELS");
    refused("deny-client", Protocol.Command.PUBSUB, "NUMSUB", keys.replyChannel("someoneElse-0123456789"));
    refused("deny-client", Protocol.Command.MONITOR);
    refused("deny-client", Protocol.Command.CLIENT, "LIST");
    refused("deny-client", Protocol.Command.SCAN, "0");
  }

  @Test
  void monitorCannotPublishAtAll() {
    assertThat(monitor.hmget(keys.keyword("AZ"), "ascii")).containsExactly("1");
    assertThat(once("deny-monitor", Protocol.Command.PSUBSCRIBE, keys.keyspacePattern(server.db()))).isNotNull();
    assertThatThrownBy(() -> monitor.publish(keys.modifyChannel(), "{}")).hasMessageContaining("NOPERM");
    refused("deny-monitor", Protocol.Command.SUBSCRIBE, keys.replyChannel("abcdefghijklmnop"));
    refused("deny-monitor", Protocol.Command.SUBSCRIBE, keys.modifyChannel());
    assertThatThrownBy(() -> monitor.hset(keys.keyword("AZ"), "ascii", "forged")).hasMessageContaining("NOPERM");
  }

  @Test
  void dispatcherCannotTouchAnotherService() {
    assertThat(dispatcher.hset(keys.keyword("OWN"), "ascii", "3")).isOne();
    assertThat(dispatcher.sadd(Keys.SERVICES, keys.service())).isOne();
    assertThatThrownBy(() -> dispatcher.hset(other.keyword("AZ"), "ascii", "forged")).hasMessageContaining("NOPERM");
    assertThatThrownBy(() -> dispatcher.get(other.lease())).hasMessageContaining("NOPERM");
    assertThatThrownBy(() -> dispatcher.publish(other.modifyChannel(), "{}")).hasMessageContaining("NOPERM");
    assertThatThrownBy(() -> dispatcher.srem(Keys.SERVICES, "anything")).as("the set of services: add only")
        .hasMessageContaining("NOPERM");
    assertThatThrownBy(() -> dispatcher.del(Keys.SERVICES)).hasMessageContaining("NOPERM");
    assertThatThrownBy(() -> dispatcher.configSet("notify-keyspace-events", "")).as("--config get")
        .hasMessageContaining("NOPERM");
    refused("deny-dispatcher", Protocol.Command.SUBSCRIBE, other.modifyChannel());
  }
}
