package org.ktl4j.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.ClusterGroup;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * The pub/sub connections of a process to a Redis Cluster: one per master in use, each name subscribed on the master
 * of its slot (service channels as shard channels), moved when its slot moves, with the listeners told for the
 * services concerned only; a node left with nothing subscribed is let go.
 */
@Tag("topology")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterPubSubTest {
  private ClusterGroup cluster;
  private RedisSettings settings;

  @BeforeAll
  void start() {
    cluster = ClusterGroup.start();
    settings = RedisSettings.fromUri(cluster.url());
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String modifyChannel(String service) {
    return "ktl:{" + service + "}:modify";
  }

  @Test
  void eachServiceChannelIsSubscribedOnItsMasterOneConnectionPerMaster() throws Exception {
    List<String> services = new ArrayList<>();
    for (int port : cluster.masterPorts()) {
      services.add(cluster.serviceNameOn(port, "node"));
      services.add(cluster.serviceNameOn(port, "other"));
    }
    try (RedisConnections e = RedisConnections.open(settings)) {
      List<String> got = new CopyOnWriteArrayList<>();
      List<PubSub.Registration> regs = new ArrayList<>();
      for (String s : services) {
        regs.add(e.pubSub().subscribeServiceChannel(modifyChannel(s), (p, c, m) -> got.add(c + "=" + m)));
      }
      for (PubSub.Registration r : regs) {
        r.active().get(10, TimeUnit.SECONDS);
      }
      ClusterPubSub pubSub = (ClusterPubSub) e.pubSub();
      assertThat(pubSub.nodesInUse()).hasSize(3);
      for (String s : services) {
        assertThat(e.publish(modifyChannel(s), "hi")).as("SPUBLISH reaches the one shard subscriber").isEqualTo(1);
        try (Jedis node = cluster.node(cluster.masterOfKey(modifyChannel(s)))) {
          assertThat(node.pubsubShardChannels()).contains(modifyChannel(s));
        }
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == services.size());
      regs.forEach(PubSub.Registration::close);
      await("a node left with nothing subscribed is let go").atMost(Duration.ofSeconds(10))
          .until(() -> pubSub.nodesInUse().isEmpty());
    }
  }

  @Test
  void aMovedSlotTakesItsSubscriptionsAlongAndTellsOnlyItsServices() throws Exception {
    int from = cluster.masterPorts().get(0);
    int to = cluster.masterPorts().get(1);
    String moving = cluster.serviceNameOn(from, "mover");
    String staying = cluster.serviceNameOn(from, "stayer");
    try (RedisConnections e = RedisConnections.open(settings)) {
      List<String> got = new CopyOnWriteArrayList<>();
      List<Predicate<String>> resyncs = new CopyOnWriteArrayList<>();
      e.pubSub().addConnectionListener(new PubSub.ConnectionListener() {
        @Override
        public void onConnected(boolean reconnect, Predicate<String> affects) {
          if (reconnect) {
            resyncs.add(affects);
          }
        }
      });
      String keyspace = "__keyspace@0__:ktl:{" + moving + "}:kw:X";
      e.pubSub().subscribeServiceChannel(modifyChannel(moving), (p, c, m) -> got.add("shard " + m))
          .active().get(10, TimeUnit.SECONDS);
      e.pubSub().subscribe(keyspace, (p, c, m) -> got.add("keyspace " + m)).active().get(10, TimeUnit.SECONDS);
      e.pubSub().subscribeServiceChannel(modifyChannel(staying), (p, c, m) -> { }).active().get(10, TimeUnit.SECONDS);

      cluster.moveSlot(ClusterGroup.slotOfService(moving), to);

      await("both subscriptions follow the slot").atMost(Duration.ofSeconds(15)).until(() -> {
        e.publish(modifyChannel(moving), "after");
        e.commands().hset("ktl:{" + moving + "}:kw:X", "ascii", "1");
        return got.contains("shard after") && got.contains("keyspace hset");
      });
      await().atMost(Duration.ofSeconds(10)).until(() -> !resyncs.isEmpty());
      assertThat(resyncs).allMatch(p -> p.test(moving)).noneMatch(p -> p.test(staying));
      assertThat(((ClusterPubSub) e.pubSub()).nodesInUse())
          .containsAll(Set.of(new HostAndPort("127.0.0.1", to), new HostAndPort("127.0.0.1", from)));
    }
  }
}
