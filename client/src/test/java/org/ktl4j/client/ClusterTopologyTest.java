package org.ktl4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.ktl4j.KtlException;
import org.ktl4j.RefusedException;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.dispatcher.DispatcherConfig;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.dispatcher.Durability;
import org.ktl4j.protocol.AclRules;
import org.ktl4j.protocol.AclRules.Role;
import org.ktl4j.protocol.Keys;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.ClusterGroup;
import org.ktl4j.type.KtlType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * Dispatchers and clients on {@code redis-cluster://}, against 3 masters with one replica each: services on every
 * master serve writes and broadcasts (MODIFY and replies on shard channels, keyspace notifications from each service's
 * node); a slot moved with monitors active keeps them alive; and a master killed during steady writes (with replica
 * durability) is followed: writes resume, monitors continue with a resync mark, services on the other masters go on
 * serving, and every value told {@code done} is on the replica that took over.
 */
@Tag("topology")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTopologyTest {
  private static final Logger log = LoggerFactory.getLogger(ClusterTopologyTest.class);

  private ClusterGroup cluster;
  private RedisSettings settings;

  @BeforeAll
  void start() {
    cluster = ClusterGroup.start();
    settings = RedisSettings.fromUri(cluster.url()).withTimeout(Duration.ofSeconds(2));
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static DispatcherService dispatcher(String service, RedisEndpoint endpoint, DispatcherConfig config) {
    DispatcherService d = DispatcherService.builder(service)
        .definitions(List.of(KeywordDefinition.builder("V", KtlType.INTEGER).build(),
            KeywordDefinition.builder("H", KtlType.INTEGER).build(), KeywordDefinition.builder("A", KtlType.INTEGER).build(),
            KeywordDefinition.builder("B", KtlType.INTEGER).build(), KeywordDefinition.builder("C", KtlType.INTEGER).build()))
        .setup(s -> s.keyword("H").onWrite(v -> { }))
        .config(config).endpoint(endpoint).build();
    d.start();
    return d;
  }

  @Test
  @Order(1)
  void servicesOnEveryMasterServeWritesAndBroadcasts() {
    List<String> names = new ArrayList<>();
    for (int port : cluster.masterPorts()) {
      names.add(cluster.serviceNameOn(port, "spread"));
    }
    List<DispatcherService> dispatchers = new ArrayList<>();
    try (RedisEndpoint de = RedisEndpoint.open(settings); RedisEndpoint ce = RedisEndpoint.open(settings)) {
      for (String name : names) {
        dispatchers.add(dispatcher(name, de, DispatcherConfig.defaults()));
      }
      for (String name : names) {
        Service client = Service.open(name, ce, ClientConfig.defaults());
        List<KeywordUpdate> updates = new CopyOnWriteArrayList<>();
        try (Subscription sub = client.keyword("V").subscribe(updates::add, false)) {
          for (String kw : List.of("V", "H")) { // the direct store path, and a keyword with a write hook
            assertThat(client.keyword(kw).write("7", Duration.ofSeconds(5)).ascii()).isEqualTo("7");
            assertThat(client.keyword(kw).read().orElseThrow().ascii()).isEqualTo("7");
          }
          await().atMost(Duration.ofSeconds(10)).until(() -> updates.stream().anyMatch(u -> u.ascii().equals("7")));
          assertThatThrownBy(() -> client.keyword("V").write("seven", Duration.ofSeconds(5)))
              .isInstanceOf(RefusedException.class).hasMessageContaining("seven");
          client.keyword("V").writeNoWait("8"); // no reply channel at all
          await().atMost(Duration.ofSeconds(10)).until(() -> updates.stream().anyMatch(u -> u.ascii().equals("8")));
        }
        client.close();
        try (Jedis node = cluster.node(cluster.masterOfKey(Keys.of(name).keyword("V")))) {
          assertThat(node.hget(Keys.of(name).keyword("V"), "ascii")).as("stored on its slot's master").isEqualTo("8");
        }
      }
      assertThat(Service.services(ce)).containsAll(names);
    } finally {
      dispatchers.forEach(DispatcherService::close);
    }
  }

  @Test
  @Order(2)
  void theAclRolesServeAServiceOnACluster() {
    String name = cluster.serviceNameOn(cluster.masterPorts().get(2), "guarded");
    AclRules rules = AclRules.of(name, 0);
    List<Integer> nodes = new ArrayList<>();
    for (int port : cluster.masterPorts()) {
      nodes.add(port);
      nodes.add(cluster.replicaOf(port));
    }
    for (int port : nodes) { // ACL users are per node
      try (Jedis node = cluster.node(port)) {
        for (Role role : List.of(Role.DISPATCHER, Role.CLIENT)) {
          List<String> args = new ArrayList<>(rules.setUser("acl-" + role.label(), role, AclRules.ConfigAccess.GET));
          args.add(">pw-" + role.label());
          node.sendCommand(Protocol.Command.ACL, args.subList(1, args.size()).toArray(new String[0]));
        }
        node.sendCommand(Protocol.Command.ACL, "LOG", "RESET");
      }
    }
    String seeds = cluster.url().substring("redis-cluster://".length());
    RedisSettings asDispatcher = RedisSettings.fromUri("redis-cluster://acl-dispatcher:pw-dispatcher@" + seeds);
    RedisSettings asClient = RedisSettings.fromUri("redis-cluster://acl-client:pw-client@" + seeds);
    try (RedisEndpoint de = RedisEndpoint.open(asDispatcher); RedisEndpoint ce = RedisEndpoint.open(asClient);
         DispatcherService d = dispatcher(name, de, DispatcherConfig.defaults())) {
      Service client = Service.open(name, ce, ClientConfig.defaults());
      List<KeywordUpdate> updates = new CopyOnWriteArrayList<>();
      try (Subscription sub = client.keyword("V").subscribe(updates::add, false)) {
        assertThat(client.keyword("V").write("3", Duration.ofSeconds(5)).ascii()).isEqualTo("3");
        assertThat(client.keyword("H").write("4", Duration.ofSeconds(5)).ascii()).isEqualTo("4");
        await().atMost(Duration.ofSeconds(10)).until(() -> updates.stream().anyMatch(u -> u.ascii().equals("3")));
      }
      client.close();
      for (int port : cluster.masterPorts()) {
        try (Jedis node = cluster.node(port)) {
          assertThat((List<?>) node.sendCommand(Protocol.Command.ACL, "LOG")).as("nothing refused on " + port).isEmpty();
        }
      }
    }
  }

  @Test
  @Order(3)
  void aSlotMovedWithMonitorsActiveKeepsThemAlive() {
    int from = cluster.masterPorts().get(0);
    String name = cluster.serviceNameOn(from, "moving");
    int to = cluster.masterPorts().get(1);
    try (RedisEndpoint de = RedisEndpoint.open(settings); RedisEndpoint ce = RedisEndpoint.open(settings);
         DispatcherService d = dispatcher(name, de, DispatcherConfig.defaults())) {
      Service client = Service.open(name, ce, ClientConfig.defaults());
      Keyword v = client.keyword("V");
      List<KeywordUpdate> updates = new CopyOnWriteArrayList<>();
      Subscription sub = v.subscribe(updates::add, false);
      v.write("1", Duration.ofSeconds(5));
      await().atMost(Duration.ofSeconds(10)).until(() -> updates.stream().anyMatch(u -> u.ascii().equals("1")));

      for (String kw : List.of("A", "B", "C")) {
        client.keyword(kw).write("0", Duration.ofSeconds(5)); // the direct store connection is open
      }
      long started = System.nanoTime();
      cluster.moveSlot(ClusterGroup.slotOfService(name), to);
      assertThat(cluster.masterOfKey(Keys.of(name).keyword("V"))).isEqualTo(to);
      // several stores in flight on the store connection to the old master, each answered MOVED; a write sent while
      // the dispatcher's MODIFY subscription is still moving is refused at once ("no dispatcher"), as it may be
      List<WriteHandle> burst = new ArrayList<>();
      for (int i = 1; i <= 20; i++) {
        for (String kw : List.of("A", "B", "C")) {
          try {
            burst.add(client.keyword(kw).writeAsync(Integer.toString(i)));
          } catch (KtlException e) {
            log.info("a write sent during the move was refused at once (as it may be): {}", e.getMessage());
          }
        }
      }
      for (WriteHandle h : burst) {
        try {
          h.await(Duration.ofSeconds(10));
        } catch (KtlException e) {
          log.info("a write met the move (as it may): {}", e.getMessage()); // answered all the same
        }
      }
      AtomicLong n = new AtomicLong(1);
      await("writes are served from the slot's new master").atMost(Duration.ofSeconds(20)).until(() -> {
        try {
          v.write(Long.toString(n.incrementAndGet()), Duration.ofSeconds(2));
          return true;
        } catch (KtlException e) {
          return false;
        }
      });
      long resumedMs = (System.nanoTime() - started) / 1_000_000;
      for (String kw : List.of("A", "B", "C")) { // the keywords of the burst: their direct stores go on
        assertThat(client.keyword(kw).write("21", Duration.ofSeconds(5)).ascii()).as("after the burst").isEqualTo("21");
      }
      String last = Long.toString(n.get());
      await("the monitor follows the slot").atMost(Duration.ofSeconds(20))
          .until(() -> updates.stream().anyMatch(u -> u.ascii().equals(last)));
      v.write("100", Duration.ofSeconds(5));
      await().atMost(Duration.ofSeconds(10)).until(() -> updates.stream().anyMatch(u -> u.ascii().equals("100")));
      assertThat(updates).as("the move is reported as a resync").anyMatch(KeywordUpdate::resync);
      assertThat(d.state()).isEqualTo(DispatcherService.State.READY);
      log.info("FIGURE cluster slot move: writes served again {} ms after the move began", resumedMs);
      sub.close();
      client.close();
    }
  }

  /** Writes 1, 2, 3… to a keyword until stopped, counting outcomes; every call ends (each has a timeout). */
  private static final class SteadyWriter implements AutoCloseable {
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicLong next = new AtomicLong();
    final AtomicLong lastDoneSeq = new AtomicLong();
    final AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong firstSuccessAfterKill = new AtomicLong();
    final ConcurrentHashMap<String, Integer> outcomes = new ConcurrentHashMap<>();
    final Thread thread;

    SteadyWriter(Keyword kw) {
      thread = new Thread(() -> {
        while (!stop.get()) {
          long sent = System.nanoTime();
          try {
            WriteResult r = kw.write(Long.toString(next.incrementAndGet()), Duration.ofSeconds(2));
            lastDoneSeq.accumulateAndGet(r.seq(), Math::max);
            if (sent > killedAt.get()) {
              firstSuccessAfterKill.compareAndSet(0, System.nanoTime());
            }
            outcomes.merge("done", 1, Integer::sum);
          } catch (KtlException e) {
            if (outcomes.merge(e.getClass().getSimpleName(), 1, Integer::sum) % 50 == 1) {
              log.info("write of {} failed during the failover (as it may): {}", kw.fullName(), e.getMessage());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // as a program would, before it retries
          }
        }
      }, "test-writer-" + kw.fullName());
      thread.start();
    }

    int done() {
      return outcomes.getOrDefault("done", 0);
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      thread.join(10_000);
      assertThat(thread.isAlive()).as("every write call ended").isFalse();
    }
  }

  @Test
  @Order(4)
  void aMasterKilledDuringWritesIsFollowedAndLosesNoValueToldDone() throws Exception {
    List<Integer> masters = cluster.masterPorts();
    int victim = masters.get(2);
    String name = cluster.serviceNameOn(victim, "failover");
    String durableName = cluster.serviceNameOn(victim, "durable");
    String bystander = cluster.serviceNameOn(masters.get(1), "bystander");
    try (RedisEndpoint de = RedisEndpoint.open(settings); RedisEndpoint ce = RedisEndpoint.open(settings);
         DispatcherService d = dispatcher(name, de, DispatcherConfig.defaults());
         DispatcherService durable = dispatcher(durableName, de,
             DispatcherConfig.builder().durability(Durability.REPLICA).build());
         DispatcherService other = dispatcher(bystander, de, DispatcherConfig.defaults())) {
      Service client = Service.open(name, ce, ClientConfig.defaults());
      Service durableClient = Service.open(durableName, ce, ClientConfig.defaults());
      Service otherClient = Service.open(bystander, ce, ClientConfig.defaults());
      Keyword v = client.keyword("V");
      List<KeywordUpdate> updates = new CopyOnWriteArrayList<>();
      Subscription sub = v.subscribe(updates::add, false);
      int replica = cluster.replicaOf(victim);
      long killStarted;
      long seqToldDoneBeforeKill;
      int promoted;
      long promotedMs;
      long resumedMs;
      Object outcomes;
      try (SteadyWriter w = new SteadyWriter(v); SteadyWriter dw = new SteadyWriter(durableClient.keyword("V"))) {
        await().atMost(Duration.ofSeconds(10)).until(() -> w.done() >= 20 && dw.done() >= 20);
        killStarted = System.nanoTime();
        cluster.killMaster(victim);
        w.killedAt.set(System.nanoTime());
        dw.stop.set(true); // its master is gone: what it was told done must be on the replica that takes over
        dw.thread.join(10_000);
        seqToldDoneBeforeKill = dw.lastDoneSeq.get();
        assertThat(otherClient.keyword("V").write("5", Duration.ofSeconds(5)).ascii())
            .as("a service on another master serves while this one fails over").isEqualTo("5");
        promoted = cluster.awaitFailover(victim, Duration.ofSeconds(30));
        promotedMs = (System.nanoTime() - killStarted) / 1_000_000;
        assertThat(promoted).isEqualTo(replica);
        await("a write sent after the kill succeeds").atMost(Duration.ofSeconds(30))
            .until(() -> w.firstSuccessAfterKill.get() != 0);
        resumedMs = (w.firstSuccessAfterKill.get() - killStarted) / 1_000_000;
        outcomes = Map.copyOf(w.outcomes);
      }
      try (Jedis node = cluster.node(promoted)) {
        String seq = node.hget(Keys.of(durableName).keyword("V"), "seq");
        assertThat(Long.parseLong(seq)).as("every value of the durable service told done is on the new master")
            .isGreaterThanOrEqualTo(seqToldDoneBeforeKill);
      }
      String last = v.read().orElseThrow().ascii();
      await("the monitor continues by itself").atMost(Duration.ofSeconds(20))
          .until(() -> updates.stream().anyMatch(u -> u.ascii().equals(last)));
      assertThat(updates).as("the gap is reported as a resync").anyMatch(KeywordUpdate::resync);
      assertThat(d.state()).isEqualTo(DispatcherService.State.READY);
      log.info("FIGURE cluster failover: master {} killed, replica {} promoted after {} ms, writes resumed after {} ms; "
          + "outcomes {}; durable service: last seq told done {}", victim, promoted, promotedMs, resumedMs, outcomes,
          seqToldDoneBeforeKill);
      sub.close();
      client.close();
      durableClient.close();
      otherClient.close();
    }
  }
}
