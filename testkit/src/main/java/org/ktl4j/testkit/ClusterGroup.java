package org.ktl4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.ktl4j.embedded.RedisBinary;
import org.ktl4j.embedded.RedisLaunch;
import org.ktl4j.testkit.ClusterSlots.SlotRange;
import org.opentest4j.TestAbortedException;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A Redis Cluster of three masters, each with one replica: six {@code redis-server} processes on free loopback ports
 * (at most 55535, since each node's cluster bus listens on its port + 10000), for tests of {@code redis-cluster://}:
 * slot routing, live slot migration ({@link #moveSlot}) and failover ({@link #killMaster}, {@link #awaitFailover}).
 * Nodes judge a silent peer failing after {@value #NODE_TIMEOUT_MS} ms, so a failover completes within a few seconds.
 * Every node has keyspace notifications on ({@code Kgh}) and no persistence. The cluster keeps serving the slots whose
 * master is up while others are down ({@code cluster-require-full-coverage no}); a node that sees the cluster down
 * refuses reads too ({@code cluster-allow-reads-when-down no}).
 *
 * <p>The cluster is formed directly with {@code CLUSTER ADDSLOTSRANGE}, {@code SET-CONFIG-EPOCH}, {@code MEET} and
 * {@code REPLICATE}, as {@code redis-cli --cluster create} does but without its one-second polling, so {@code redis-cli}
 * is not needed. {@link #start} returns once every node reports {@code cluster_state:ok}, every node answers the same
 * {@code CLUSTER SLOTS} (each master with its replica) and every master sees its replica in sync.
 *
 * <p>Needs {@code redis-server} 7.0 or later in {@code KTL_REDIS_SERVER} or on the {@code PATH}; without one,
 * {@link #start} aborts (skips) the test. Costs six processes (a few MB each) and two to three seconds to start on two
 * cores. Thread-safe; the methods that wait ({@link #moveSlot}, not {@link #awaitFailover}) hold the group's lock while
 * they wait. {@link #close()} kills every process and deletes the files.
 */
public final class ClusterGroup implements AutoCloseable {
  /** How long a node must be silent before its peers judge it failing ({@code cluster-node-timeout}). */
  public static final int NODE_TIMEOUT_MS = 1000;
  /** The number of hash slots of a Redis Cluster. */
  public static final int SLOTS = 16384;

  private static final int MASTERS = 3;
  private static final int ADMIN_TIMEOUT_MS = 10_000; // for MIGRATE and CLUSTER SETSLOT on a busy machine
  private static final Duration SETTLE = Duration.ofSeconds(20);

  private final RedisBinary binary;
  private final Path dir;
  private final Map<Integer, Process> nodes = new LinkedHashMap<>(); // running nodes by port, killed ones removed
  private final Map<Integer, String> ids = new HashMap<>(); // node ids by port, killed ones kept
  private final Set<Integer> paused = new HashSet<>();
  private final Map<Integer, List<SlotRange>> formerSlots = new HashMap<>(); // of killed or paused masters, by port
  private final List<Integer> seeds = new ArrayList<>(); // the masters at start, for url()

  private ClusterGroup(RedisBinary binary, Path dir) {
    this.binary = binary;
    this.dir = dir;
  }

  /**
   * Starts six nodes, forms the cluster (the first three started are the masters, with the slots split evenly in that
   * order; each of the others is the replica of one) and waits until it is ready; see the class description.
   *
   * @throws TestAbortedException if there is no {@code redis-server} 7.0 or later (a configured older one is passed
   *     over for one on the {@code PATH}, as {@link RedisExtension} does)
   */
  public static ClusterGroup start() {
    RedisBinary binary = RedisBinary.configured().filter(b -> RedisBinary.compareVersions(b.version(), "7.0") >= 0)
        .or(() -> RedisBinary.onPath("7.0"))
        .orElseThrow(() -> new TestAbortedException("no redis-server 7.0+ on the PATH or in KTL_REDIS_SERVER"));
    ClusterGroup g;
    try {
      g = new ClusterGroup(binary, Files.createTempDirectory("ktl-cluster-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      g.form();
      return g;
    } catch (RuntimeException e) {
      g.close();
      throw e;
    }
  }

  private synchronized void form() {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < 2 * MASTERS; i++) {
      ports.add(startNode(ports));
    }
    for (int port : ports) {
      try (Jedis j = RedisProcesses.jedis(port, ADMIN_TIMEOUT_MS)) {
        ids.put(port, j.clusterMyId());
      }
    }
    for (int i = 0; i < MASTERS; i++) {
      int port = ports.get(i);
      try (Jedis j = RedisProcesses.jedis(port, ADMIN_TIMEOUT_MS)) {
        j.clusterAddSlotsRange(i * SLOTS / MASTERS, (i + 1) * SLOTS / MASTERS - 1);
      }
      seeds.add(port);
    }
    for (int i = 0; i < ports.size(); i++) {
      try (Jedis j = RedisProcesses.jedis(ports.get(i), ADMIN_TIMEOUT_MS)) {
        j.clusterSetConfigEpoch(i + 1); // distinct epochs: no collision to resolve
      }
    }
    try (Jedis first = RedisProcesses.jedis(ports.get(0), ADMIN_TIMEOUT_MS)) {
      for (int port : ports.subList(1, ports.size())) {
        first.clusterMeet("127.0.0.1", port);
      }
    }
    awaitAllKnown(SETTLE);
    for (int i = MASTERS; i < ports.size(); i++) {
      try (Jedis j = RedisProcesses.jedis(ports.get(i), ADMIN_TIMEOUT_MS)) {
        j.clusterReplicate(ids.get(ports.get(i - MASTERS)));
      }
    }
    awaitSettled(SETTLE, map -> map.values().stream().mapToInt(r -> r.end - r.start + 1).sum() == SLOTS
        && map.values().stream().allMatch(r -> r.replicas.size() == 1), "all slots served, each master with a replica");
    for (int port : seeds) {
      RedisProcesses.awaitReplicaOnline(port, SETTLE, "the replica of port " + port, dir);
    }
  }

  /** {@code redis-cluster://127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3}: the masters at start, as seed nodes. */
  public synchronized String url() {
    StringBuilder b = new StringBuilder("redis-cluster://");
    for (int i = 0; i < seeds.size(); i++) {
      b.append(i == 0 ? "" : ",").append("127.0.0.1:").append(seeds.get(i));
    }
    return b.toString();
  }

  /** The ports of the masters that serve slots now, ordered by their first slot. */
  public synchronized List<Integer> masterPorts() {
    List<Integer> masters = new ArrayList<>();
    for (SlotRange r : slotMap().values()) {
      if (!masters.contains(r.master)) {
        masters.add(r.master);
      }
    }
    return masters;
  }

  /** The port of the master that serves {@code slot} now, as the first running node that answers says. */
  public synchronized int masterOfSlot(int slot) {
    if (slot < 0 || slot >= SLOTS) {
      throw new IllegalArgumentException("no slot " + slot);
    }
    int master = ClusterSlots.masterOf(slotMap(), slot);
    if (master < 0) {
      throw new IllegalStateException("slot " + slot + " is served by no master");
    }
    return master;
  }

  /** The port of the master that serves {@code key}'s slot now. */
  public int masterOfKey(String key) {
    return masterOfSlot(JedisClusterCRC16.getSlot(key));
  }

  /**
   * The port of the running replica of the master on {@code masterPort}, as the replica itself says (so this also
   * answers for a killed master, until its replica is promoted).
   *
   * @throws IllegalStateException if no running node is its replica
   */
  public synchronized int replicaOf(int masterPort) {
    String masterId = ids.get(masterPort);
    if (masterId == null) {
      throw new IllegalArgumentException("no node on port " + masterPort);
    }
    for (int port : nodes.keySet()) {
      if (port == masterPort || paused.contains(port)) {
        continue;
      }
      try (Jedis j = RedisProcesses.jedis(port, 1000)) {
        String[] myself = myselfLine(j.clusterNodes());
        if (myself[2].contains("slave") && myself[3].equals(masterId)) {
          return port;
        }
      } catch (RuntimeException e) {
        // not answering: not a usable replica
      }
    }
    throw new IllegalStateException("no running replica of the node on port " + masterPort);
  }

  /**
   * The slot of the hash tag {@code {service}} ({@code service} lowercased): the slot of every key of that service,
   * e.g. {@code ktl:{service}:kw:X}.
   */
  public static int slotOfService(String service) {
    if (service == null || service.isEmpty()) {
      throw new IllegalArgumentException("no service name");
    }
    return JedisClusterCRC16.getSlot("{" + service.toLowerCase(Locale.ROOT) + "}");
  }

  /**
   * The first of {@code base0, base1, ...} (lowercased) whose slot is served by the master on {@code masterPort}: a
   * service name on that master, to spread services over every master. With three masters, a few names are tried.
   */
  public synchronized String serviceNameOn(int masterPort, String base) {
    TreeMap<Integer, SlotRange> map = slotMap();
    if (map.values().stream().noneMatch(r -> r.master == masterPort)) {
      throw new IllegalArgumentException("the node on port " + masterPort + " serves no slot");
    }
    String lower = base.toLowerCase(Locale.ROOT);
    for (int i = 0; i < 100_000; i++) {
      String name = lower + i;
      if (ClusterSlots.masterOf(map, slotOfService(name)) == masterPort) {
        return name;
      }
    }
    throw new IllegalStateException("no name " + lower + "<n> on port " + masterPort);
  }

  /**
   * Kills the master on {@code port} with SIGKILL (its data is gone with it) and waits until the process has exited;
   * its replica takes over after {@value #NODE_TIMEOUT_MS} ms and an election (see {@link #awaitFailover}). Returns
   * {@code port}.
   *
   * @throws IllegalArgumentException if the node on {@code port} is not a running master
   */
  public synchronized int killMaster(int port) {
    List<SlotRange> owned = ClusterSlots.owned(slotMap(), port);
    Process p = nodes.get(port);
    if (p == null || owned.isEmpty()) {
      throw new IllegalArgumentException("no running master on port " + port);
    }
    formerSlots.put(port, owned);
    nodes.remove(port);
    paused.remove(port);
    RedisProcesses.kill(p);
    return port;
  }

  /**
   * Waits until the running, unpaused nodes report {@code cluster_state:ok}, agree on the slot map, and agree that the
   * slots the master on {@code oldPort} served when {@link #killMaster killed} or {@link #pause paused} are all served
   * by one other node (its former replica, promoted); returns that node's port.
   *
   * @throws IllegalStateException if that does not happen {@code within}
   */
  public int awaitFailover(int oldPort, Duration within) {
    List<SlotRange> old;
    synchronized (this) {
      old = formerSlots.containsKey(oldPort) ? formerSlots.get(oldPort) : ClusterSlots.owned(slotMap(), oldPort);
    }
    if (old.isEmpty()) {
      throw new IllegalArgumentException("the node on port " + oldPort + " was no master");
    }
    List<SlotRange> former = old;
    TreeMap<Integer, SlotRange> map = awaitSettled(within, m -> {
      Integer owner = null;
      for (SlotRange r : former) {
        for (int slot = r.start; slot <= r.end; slot++) {
          int master = ClusterSlots.masterOf(m, slot);
          if (master < 0 || master == oldPort || (owner != null && owner != master)) {
            return false;
          }
          owner = master;
        }
      }
      return true;
    }, "the slots of port " + oldPort + " served by another node");
    return ClusterSlots.masterOf(map, former.get(0).start);
  }

  /**
   * Moves {@code slot} and its keys to the master on {@code toMasterPort} while the cluster serves it, as
   * {@code redis-cli --cluster reshard} does: {@code CLUSTER SETSLOT slot IMPORTING} on the target, {@code MIGRATING} on
   * the source, {@code MIGRATE} of its keys 100 at a time, then {@code CLUSTER SETSLOT slot NODE target} on the target,
   * the source and every other master. Returns once every running node agrees on the new slot map. Clients see
   * {@code ASK} and then {@code MOVED} redirections meanwhile. Does nothing if the slot is there already.
   *
   * @throws IllegalArgumentException if the node on {@code toMasterPort} is not a running master
   */
  public synchronized void moveSlot(int slot, int toMasterPort) {
    int source = masterOfSlot(slot);
    if (source == toMasterPort) {
      return;
    }
    if (!nodes.containsKey(toMasterPort) || !masterPorts().contains(toMasterPort)) {
      throw new IllegalArgumentException("no running master on port " + toMasterPort);
    }
    String targetId = ids.get(toMasterPort);
    SlotMigration.migrate(slot, source, ids.get(source), toMasterPort, targetId, ADMIN_TIMEOUT_MS);
    for (int port : masterPorts()) {
      if (port != source && port != toMasterPort && nodes.containsKey(port) && !paused.contains(port)) {
        try (Jedis j = RedisProcesses.jedis(port, ADMIN_TIMEOUT_MS)) {
          j.clusterSetSlotNode(slot, targetId);
        }
      }
    }
    awaitSettled(SETTLE, m -> ClusterSlots.masterOf(m, slot) == toMasterPort,
        "slot " + slot + " on port " + toMasterPort);
  }

  /**
   * SIGSTOP of the node on {@code port}: it stays connected and answers nothing (nor gossips). A paused master is
   * failed over like a killed one (see {@link #awaitFailover}) and rejoins as a replica once resumed.
   */
  public synchronized void pause(int port) {
    List<SlotRange> owned = ClusterSlots.owned(slotMap(), port);
    if (!owned.isEmpty()) {
      formerSlots.put(port, owned);
    }
    signal(port, "STOP");
    paused.add(port);
  }

  /** SIGCONT after {@link #pause(int)}. */
  public synchronized void resume(int port) {
    signal(port, "CONT");
    paused.remove(port);
  }

  private synchronized void signal(int port, String signal) {
    Process p = nodes.get(port);
    if (p == null) {
      throw new IllegalStateException("no node on port " + port);
    }
    RedisProcesses.signal(p, signal);
  }

  /** A connection to the node on {@code port} (1 s timeouts, RESP2); the caller closes it. */
  public Jedis node(int port) {
    return RedisProcesses.jedis(port, 1000);
  }

  /** Starts a node on a free port, trying another port if it is taken meanwhile; returns the port. */
  private int startNode(List<Integer> taken) {
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = RedisProcesses.freePortWithBus(taken);
      List<String> cmd = List.of(binary.path().toString(), "--port", Integer.toString(port),
          "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
          "--cluster-node-timeout", Integer.toString(NODE_TIMEOUT_MS), "--cluster-require-full-coverage", "no",
          "--cluster-allow-reads-when-down", "no", "--save", "", "--appendonly", "no",
          "--notify-keyspace-events", "Kgh",
          // A replica syncs at once, not after 5 s, and its master pings it every second, not every 10 s: CLUSTER SLOTS
          // lists a replica only once its replication offset is not 0, which is after the first ping on an empty master.
          "--repl-diskless-sync-delay", "0", "--repl-ping-replica-period", "1",
          "--dir", dir.toString(), "--dbfilename", "dump-" + port + ".rdb",
          "--logfile", dir.resolve("node-" + port + ".log").toString());
      try {
        nodes.put(port, RedisLaunch.launch(cmd, port, dir));
        return port;
      } catch (IllegalStateException e) {
        last = e; // most likely the port or its bus port was taken between freePortWithBus and bind
      }
    }
    throw last;
  }

  /** Waits until every node knows all six, none of them in handshake, so that CLUSTER REPLICATE finds its master. */
  private void awaitAllKnown(Duration within) {
    long end = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < end) {
      boolean all = true;
      for (int port : nodes.keySet()) {
        try (Jedis j = RedisProcesses.jedis(port, 1000)) {
          String text = j.clusterNodes();
          all &= text.lines().filter(l -> !l.isBlank()).count() == nodes.size()
              && !text.contains("handshake") && !text.contains("noaddr");
        } catch (RuntimeException e) {
          all = false;
        }
      }
      if (all) {
        return;
      }
      RedisProcesses.sleep(50);
    }
    throw new IllegalStateException("the nodes did not meet within " + within + "; see " + dir);
  }

  /**
   * Waits until every running, unpaused node reports {@code cluster_state:ok} and the same slot map, which passes
   * {@code condition}; returns that map.
   */
  private TreeMap<Integer, SlotRange> awaitSettled(Duration within, Predicate<TreeMap<Integer, SlotRange>> condition,
      String what) {
    long end = System.nanoTime() + within.toNanos();
    String last = "no answer";
    while (System.nanoTime() < end) {
      TreeMap<Integer, SlotRange> agreed = null;
      boolean all = true;
      for (int port : livePorts()) {
        try (Jedis j = RedisProcesses.jedis(port, 1000)) {
          if (!j.clusterInfo().contains("cluster_state:ok")) {
            all = false;
            last = "port " + port + " not in cluster_state:ok";
            break;
          }
          TreeMap<Integer, SlotRange> map = ClusterSlots.of(j);
          if (agreed == null) {
            agreed = map;
          } else if (!agreed.equals(map)) {
            all = false;
            last = "port " + port + " sees " + map.values() + ", another " + agreed.values();
            break;
          }
        } catch (RuntimeException e) {
          all = false;
          last = "port " + port + ": " + e;
          break;
        }
      }
      if (all && agreed != null) {
        if (condition.test(agreed)) {
          return agreed;
        }
        last = "all agree on " + agreed.values();
      }
      RedisProcesses.sleep(50);
    }
    throw new IllegalStateException("the cluster did not settle with " + what + " within " + within + " (" + last
        + "); see " + dir);
  }

  /** The slot map as the first running, unpaused node that answers says, by first slot. */
  private TreeMap<Integer, SlotRange> slotMap() {
    RuntimeException failure = null;
    for (int port : livePorts()) {
      try (Jedis j = RedisProcesses.jedis(port, 1000)) {
        return ClusterSlots.of(j);
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    throw new IllegalStateException("no node answers CLUSTER SLOTS; see " + dir, failure);
  }

  private synchronized List<Integer> livePorts() {
    List<Integer> live = new ArrayList<>(nodes.keySet());
    live.removeAll(paused);
    return live;
  }

  /** The fields of the {@code myself} line of {@code CLUSTER NODES}: id, address, flags, master id, ... */
  private static String[] myselfLine(String clusterNodes) {
    return clusterNodes.lines().map(l -> l.split(" ")).filter(f -> f.length > 3 && f[2].contains("myself")).findFirst()
        .orElseThrow(() -> new IllegalStateException("no myself line in CLUSTER NODES: " + clusterNodes));
  }

  /** The directory of logs and node configuration files, for failure messages. */
  public Optional<Path> directory() {
    return Optional.of(dir);
  }

  /** Kills every node that is still running (SIGKILL, paused ones too) and deletes the directory. Idempotent. */
  @Override
  public synchronized void close() {
    RedisProcesses.killAll(nodes.values()); // SIGKILL ends a paused (SIGSTOPped) process too
    nodes.clear();
    paused.clear();
    RedisProcesses.deleteTree(dir);
  }
}
