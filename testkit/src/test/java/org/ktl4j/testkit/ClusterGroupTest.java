package org.ktl4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * One {@link ClusterGroup} for the class: its slot map, its service names, a live slot move and a failover, seen through
 * the group's own accessors and through a {@link RedisClusterClient}. The failover test changes the topology, so it runs
 * last.
 */
@Tag("topology")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterGroupTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private static ClusterGroup group;

  @BeforeAll
  static void startGroup() {
    group = ClusterGroup.start();
  }

  @AfterAll
  static void closeGroup() {
    if (group != null) {
      group.close();
    }
  }

  private static RedisClusterClient clusterClient() {
    Set<HostAndPort> seeds = new HashSet<>();
    for (String seed : group.url().substring("redis-cluster://".length()).split(",")) {
      seeds.add(HostAndPort.from(seed));
    }
    return RedisClusterClient.builder().nodes(seeds)
        .clientConfig(DefaultJedisClientConfig.builder().connectionTimeoutMillis(1000).socketTimeoutMillis(1000).build())
        .build();
  }

  @Test
  @Order(1)
  void threeMastersEachWithAReplicaServeAllSlots() {
    List<Integer> masters = group.masterPorts();
    assertThat(masters).hasSize(3).doesNotHaveDuplicates();
    assertThat(group.url()).isEqualTo("redis-cluster://127.0.0.1:" + masters.get(0) + ",127.0.0.1:" + masters.get(1)
        + ",127.0.0.1:" + masters.get(2));
    assertThat(group.masterOfSlot(0)).isEqualTo(masters.get(0));
    assertThat(group.masterOfSlot(ClusterGroup.SLOTS - 1)).isEqualTo(masters.get(2));
    List<Integer> replicas = new ArrayList<>();
    for (int master : masters) {
      assertThat(master).isLessThanOrEqualTo(55535);
      try (Jedis node = group.node(master)) {
        assertThat(node.clusterInfo()).contains("cluster_state:ok", "cluster_slots_assigned:16384",
            "cluster_slots_ok:16384", "cluster_known_nodes:6", "cluster_size:3");
        assertThat(node.info("replication")).contains("role:master", "state=online");
      }
      int replica = group.replicaOf(master);
      try (Jedis node = group.node(replica)) {
        assertThat(node.info("replication")).contains("role:slave", "master_port:" + master);
      }
      replicas.add(replica);
    }
    assertThat(replicas).doesNotHaveDuplicates().doesNotContainAnyElementsOf(masters);
    assertThat(group.directory()).isPresent();
  }

  @Test
  @Order(2)
  void serviceNamesSpreadOverEveryMaster() {
    assertThat(ClusterGroup.slotOfService("Lamp")).isEqualTo(JedisClusterCRC16.getSlot("ktl:{lamp}:kw:X"));
    Set<String> names = new HashSet<>();
    for (int master : group.masterPorts()) {
      String name = group.serviceNameOn(master, "Svc");
      assertThat(name).matches("svc[0-9]+");
      assertThat(group.masterOfKey("ktl:{" + name + "}:kw:X")).isEqualTo(master);
      assertThat(group.masterOfSlot(ClusterGroup.slotOfService(name))).isEqualTo(master);
      names.add(name);
    }
    assertThat(names).hasSize(3);
  }

  @Test
  @Order(3)
  void aKeyStaysReadableWhileItsSlotMovesAndAfterItsMasterFailsOver() {
    String service = group.serviceNameOn(group.masterPorts().get(0), "moving");
    String key = "ktl:{" + service + "}:kw:X";
    int slot = ClusterGroup.slotOfService(service);
    try (RedisClusterClient client = clusterClient()) {
      client.set(key, "v1");
      assertThat(client.get(key)).isEqualTo("v1");
      List<String> more = new ArrayList<>();
      for (int i = 0; i < 250; i++) { // more than one MIGRATE batch of 100
        more.add("ktl:{" + service + "}:kw:K" + i);
        more.add(Integer.toString(i));
      }
      client.mset(more.toArray(new String[0]));

      int before = group.masterOfKey(key);
      int target = group.masterPorts().stream().filter(p -> p != before).findFirst().orElseThrow();
      group.moveSlot(slot, target);
      assertThat(group.masterOfKey(key)).isEqualTo(target);
      try (Jedis node = group.node(target); Jedis old = group.node(before)) {
        assertThat(node.get(key)).isEqualTo("v1"); // the keys themselves moved
        assertThat(node.clusterCountKeysInSlot(slot)).isEqualTo(251);
        assertThat(old.clusterCountKeysInSlot(slot)).isZero();
      }
      assertThat(client.get(key)).isEqualTo("v1"); // the client follows MOVED
      client.set(key, "v2");

      int replica = group.replicaOf(target);
      try (Jedis node = group.node(replica)) {
        node.readonly();
        await().atMost(PATIENCE).until(() -> "v2".equals(node.get(key))); // replicated before the kill
      }
      assertThat(group.killMaster(target)).isEqualTo(target);
      assertThat(group.awaitFailover(target, PATIENCE)).isEqualTo(replica);
      assertThat(group.masterOfKey(key)).isEqualTo(replica);
      assertThat(group.masterPorts()).hasSize(3).contains(replica).doesNotContain(target);
      await().atMost(PATIENCE).ignoreExceptions().until(() -> "v2".equals(client.get(key)));
    }
  }
}
