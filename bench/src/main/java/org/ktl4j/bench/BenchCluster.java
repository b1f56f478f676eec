package org.ktl4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.ktl4j.embedded.RedisBinary;
import org.ktl4j.embedded.RedisLaunch;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A Redis Cluster of {@code n} masters and no replicas for the {@code scale} scenario: {@code n} {@code redis-server}
 * 7.0+ processes (from {@code KTL_REDIS_SERVER} or the {@code PATH}) on free loopback ports at most 55535 (a node's
 * cluster bus listens on its port + 10000), each serving an equal, contiguous share of the 16,384 slots in port order;
 * keyspace notifications {@code Kh}, no persistence. Formed directly with {@code CLUSTER ADDSLOTSRANGE},
 * {@code SET-CONFIG-EPOCH} and {@code MEET}, as testkit's {@code ClusterGroup} does (the logic is copied: the bench does
 * not depend on testkit). The node timeout is Redis's default 15 s, so nodes starved of CPU by the load never judge
 * each other failing.
 *
 * <p>The slot map never changes after {@link #start}, so {@link #masterOfSlot} answers from it without I/O. Also reads
 * each node's CPU time ({@code /proc/PID/stat}) and {@code INFO}. Thread-safe after start (immutable but for the
 * processes). Cost: {@code n} processes of a few MB, about a second to start; {@link #close()} kills them (SIGKILL, no
 * persistence to wait for) and deletes their directory.
 */
final class BenchCluster implements AutoCloseable {
  static final int SLOTS = 16384;
  private static final Duration SETTLE = Duration.ofSeconds(30);

  private final Path dir;
  private final String binary;
  final String version;
  private final List<Integer> ports = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  /** Kills the nodes if the JVM is stopped (Ctrl-C) before {@link #close()}; removed by it. */
  private final Thread killer = new Thread(this::killNodes, "bench-cluster-shutdown");

  private BenchCluster(Path dir, RedisBinary binary) {
    this.dir = dir;
    this.binary = binary.path().toString();
    this.version = binary.version();
  }

  /** Starts {@code masters} nodes and forms the cluster; returns once every node says {@code cluster_state:ok}. */
  static BenchCluster start(int masters) {
    RedisBinary binary = binary();
    BenchCluster c;
    try {
      c = new BenchCluster(Files.createTempDirectory("ktl-bench-cluster-"), binary);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Runtime.getRuntime().addShutdownHook(c.killer);
    try {
      c.form(masters);
      return c;
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** The {@code redis-server} the clusters run: {@code KTL_REDIS_SERVER} if 7.0 or later, else one on the PATH. */
  private static RedisBinary binary() {
    return RedisBinary.configured().filter(b -> RedisBinary.compareVersions(b.version(), "7.0") >= 0)
        .or(() -> RedisBinary.onPath("7.0"))
        .orElseThrow(() -> new IllegalStateException("the scale scenario needs redis-server 7.0 or later on the PATH "
            + "or in KTL_REDIS_SERVER (shard channels)"));
  }

  /** "7.0.15 (clusters of /usr/bin/redis-server started by the scale scenario)", for the bench's header. */
  static String describe() {
    RedisBinary b = binary();
    return b.version() + " (clusters of " + b.path() + " on 127.0.0.1, started by the scale scenario)";
  }

  private void form(int masters) {
    for (int i = 0; i < masters; i++) {
      startNode();
    }
    for (int i = 0; i < masters; i++) {
      try (Jedis j = jedis(ports.get(i))) {
        j.clusterAddSlotsRange(i * SLOTS / masters, (i + 1) * SLOTS / masters - 1);
        j.clusterSetConfigEpoch(i + 1); // distinct epochs: no collision to resolve
      }
    }
    try (Jedis first = jedis(ports.get(0))) {
      for (int port : ports.subList(1, ports.size())) {
        first.clusterMeet("127.0.0.1", port);
      }
    }
    long end = System.nanoTime() + SETTLE.toNanos();
    String last = "no answer";
    while (System.nanoTime() < end) {
      boolean all = true;
      for (int port : ports) {
        try (Jedis j = jedis(port)) {
          String info = j.clusterInfo();
          if (!info.contains("cluster_state:ok") || !info.contains("cluster_known_nodes:" + masters + "\r")
              || !info.contains("cluster_slots_ok:" + SLOTS)) {
            all = false;
            last = "port " + port + ": " + info.lines().limit(6).toList();
            break;
          }
        } catch (RuntimeException e) {
          all = false;
          last = "port " + port + ": " + e;
          break;
        }
      }
      if (all) {
        return;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    throw new IllegalStateException("the cluster of " + masters + " did not form within " + SETTLE + " (" + last
        + "); see " + dir);
  }

  /** {@code redis-cluster://127.0.0.1:P1,...}: every node as a seed. */
  String url() {
    StringBuilder b = new StringBuilder("redis-cluster://");
    for (int i = 0; i < ports.size(); i++) {
      b.append(i == 0 ? "" : ",").append("127.0.0.1:").append(ports.get(i));
    }
    return b.toString();
  }

  /** The masters' ports, in slot order. */
  List<Integer> ports() {
    return List.copyOf(ports);
  }

  /** The index (in {@link #ports()}) of the master of {@code slot}: the slot map of {@link #start}, which never changes. */
  int masterOfSlot(int slot) {
    int n = ports.size();
    for (int i = 0; i < n; i++) {
      if (slot <= (i + 1) * SLOTS / n - 1) {
        return i;
      }
    }
    throw new IllegalArgumentException("no slot " + slot);
  }

  /** The index (in {@link #ports()}) of the master of every key and channel of {@code service} (its hash tag). */
  int masterOfService(String service) {
    return masterOfSlot(JedisClusterCRC16.getSlot("{" + service + "}"));
  }

  /** The CPU time (user + system) of the node at {@code index} so far, in clock ticks; -1 if unknown. */
  long cpuTicks(int index) {
    return ProcCpu.processTicks(processes.get(index).pid());
  }

  /** A section of {@code INFO} of the node at {@code index}. */
  String info(int index, String section) {
    try (Jedis j = jedis(ports.get(index))) {
      return j.info(section);
    }
  }

  /** A new plain connection to the node at {@code index} (RESP2, 10 s timeouts); the caller closes it. */
  Jedis node(int index) {
    return jedis(ports.get(index));
  }

  private void startNode() {
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      List<String> cmd = List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
          // a lone master never learns its address from a peer: CLUSTER SLOTS would give its IP as "" (= ask the seed)
          "--cluster-announce-ip", "127.0.0.1",
          "--save", "", "--appendonly", "no", "--notify-keyspace-events", "Kh",
          "--dir", dir.toString(), "--dbfilename", "dump-" + port + ".rdb",
          "--logfile", dir.resolve("node-" + port + ".log").toString());
      try {
        processes.add(RedisLaunch.launch(cmd, port, dir));
        ports.add(port);
        return;
      } catch (IllegalStateException e) {
        last = e; // most likely the port or its bus port was taken between freePort and bind
      }
    }
    throw last;
  }

  /** A free loopback port at most 55535 whose bus port (+10000) is free too, clear of the nodes started. */
  private int freePort() {
    for (int i = 0; i < 100; i++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = s.getLocalPort();
        if (port > 55535 || ports.contains(port) || ports.contains(port + 10000) || ports.contains(port - 10000)) {
          continue;
        }
        try {
          new ServerSocket(port + 10000, 1, InetAddress.getLoopbackAddress()).close();
          return port;
        } catch (IOException busTaken) {
          // try another
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no free loopback port at or below 55535 with a free bus port");
  }

  private static Jedis jedis(int port) {
    return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(2000).socketTimeoutMillis(10_000).protocol(RedisProtocol.RESP2)
        .clientName("bench-cluster-admin").build());
  }

  /** Kills every node (SIGKILL) and deletes the directory. Idempotent. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs killNodes itself
    }
    killNodes();
  }

  private synchronized void killNodes() {
    for (Process p : processes) {
      p.destroyForcibly();
    }
    for (Process p : processes) {
      try {
        p.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }
}
