package org.ktl4j.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.UnavailableException;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.SafeEncoder;

/**
 * A subscription the server's ACL refuses ({@code -NOPERM}, channel permissions need Redis 6.2) fails once with a
 * clear error; the connection and the other subscriptions stay.
 */
@ExtendWith(RedisExtension.class)
class PubSubHubAclTest {

  /** A hub connected as a new ACL user allowed only the given channel patterns ({@code &…}); none if empty. */
  private static PubSubHub hubAs(RedisServer server, String user, String... channelPatterns) {
    server.requireControllable(); // we add users: never to a shared external server
    Assumptions.assumeTrue(atLeast62(server.version()), "channel ACLs need Redis 6.2, have " + server.version());
    try (RedisClient admin = server.newClient()) {
      List<String> args = new ArrayList<>(List.of("SETUSER", user, "reset", "on", ">pw", "~*", "+@all",
          "resetchannels")); // 6.2 defaults to allchannels (acl-pubsub-default): say it
      for (String p : channelPatterns) {
        args.add("&" + p);
      }
      admin.sendCommand(Protocol.Command.ACL, args.toArray(new String[0]));
    }
    RedisSettings s = new RedisSettings(server.host(), server.port(), server.db(), RedisSettings.DEFAULT_TIMEOUT,
        Optional.of(user), Optional.of("pw"), false);
    return new PubSubHub(s, RedisConnections.DEFAULT_PING_INTERVAL);
  }

  private static boolean atLeast62(String version) {
    String[] v = version.split("\\.");
    int major = Integer.parseInt(v[0]);
    return major > 6 || (major == 6 && v.length > 1 && Integer.parseInt(v[1]) >= 2);
  }

  @Test
  void aForbiddenChannelFailsOnceWithAClearErrorAndTheConnectionStays(RedisServer server) throws Exception {
    try (PubSubHub hub = hubAs(server, "limited1", "allowed:*"); RedisClient redis = server.newClient()) {
      List<String> lost = new CopyOnWriteArrayList<>();
      hub.addConnectionListener(new PubSub.ConnectionListener() {
        @Override
        public void onDisconnected(String reason) {
          lost.add(reason);
        }
      });
      List<String> got = new CopyOnWriteArrayList<>();
      hub.subscribe("allowed:a", (p, c, m) -> got.add(m)).active().get(10, TimeUnit.SECONDS);

      PubSub.Registration forbidden = hub.subscribe("forbidden:b", (p, c, m) -> got.add(m));
      assertThat(failure(forbidden.active())).isInstanceOf(UnavailableException.class)
          .hasMessageContaining("channel 'forbidden:b'")
          .hasMessageContaining("Redis at " + server.host() + ":" + server.port())
          .hasMessageContaining("user 'limited1'")
          .hasMessageContaining("NOPERM");
      assertThat(hub.channelCount()).as("refused: forgotten, not retried").isEqualTo(1);
      PubSub.Registration pattern = hub.psubscribe("forbidden:*", (p, c, m) -> got.add(m));
      assertThat(failure(pattern.active())).hasMessageContaining("pattern 'forbidden:*'").hasMessageContaining("NOPERM");
      forbidden.close(); // harmless after a refusal

      redis.publish("allowed:a", "still here");
      await().atMost(Duration.ofSeconds(10)).until(() -> got.contains("still here"));
      assertThat(lost).as("the connection was never dropped").isEmpty();
      assertThat(hub.isConnected()).isTrue();
    }
  }

  @Test
  void aForbiddenNameInABatchFailsAloneAndTheOthersBecomeActive(RedisServer server) throws Exception {
    try (PubSubHub hub = hubAs(server, "limited2", "allowed:*")) {
      List<PubSub.Registration> regs = hub.subscribeAll(List.of("allowed:1", "forbidden:2", "allowed:3"),
          (p, c, m) -> { });
      regs.get(0).active().get(10, TimeUnit.SECONDS);
      regs.get(2).active().get(10, TimeUnit.SECONDS);
      assertThat(failure(regs.get(1).active())).hasMessageContaining("channel 'forbidden:2'")
          .hasMessageContaining("NOPERM");
      assertThat(hub.channelCount()).isEqualTo(2);
    }
  }

  @Test
  void aUserWithoutAnyChannelGetsOneErrorPerSubscriptionAndNoReconnectLoop(RedisServer server) throws Exception {
    try (PubSubHub hub = hubAs(server, "nochannels"); RedisClient redis = server.newClient()) {
      List<String> lost = new CopyOnWriteArrayList<>();
      hub.addConnectionListener(new PubSub.ConnectionListener() {
        @Override
        public void onDisconnected(String reason) {
          lost.add(reason);
        }
      });
      await().atMost(Duration.ofSeconds(10)).until(hub::isConnected);
      String before = connectionIdOf(redis, "nochannels");
      PubSub.Registration r = hub.subscribe("anything", (p, c, m) -> { });
      assertThat(failure(r.active())).hasMessageContaining("channel 'anything'").hasMessageContaining("NOPERM");
      assertThat(hub.lastError()).contains("channel 'anything'").contains("NOPERM");
      PubSub.Registration again = hub.subscribe("anything:else", (p, c, m) -> { });
      assertThat(failure(again.active())).hasMessageContaining("NOPERM");
      // still the first connection: the refusals did not make the hub reconnect
      assertThat(connectionIdOf(redis, "nochannels")).isEqualTo(before);
      assertThat(lost).isEmpty();
      assertThat(hub.channelCount()).isZero();
    }
  }

  /** The CLIENT LIST id of the one connection of {@code user}. */
  private static String connectionIdOf(RedisClient redis, String user) {
    String clients = SafeEncoder.encode((byte[]) redis.sendCommand(Protocol.Command.CLIENT, "LIST"));
    List<String> lines = clients.lines().filter(l -> l.contains(" user=" + user + " ")).toList();
    assertThat(lines).hasSize(1);
    return lines.get(0).split(" ")[0];
  }

  private static Throwable failure(CompletableFuture<Void> f) throws InterruptedException {
    try {
      f.get(20, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("neither confirmed nor refused within 20 s", e);
    }
  }
}
