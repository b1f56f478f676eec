package org.ktl4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ktl4j.embedded.RedisBinary;
import org.ktl4j.embedded.RedisLaunch;
import org.opentest4j.TestAbortedException;
import redis.clients.jedis.Jedis;

/**
 * A master, its replica and three Sentinels, each a {@code redis-server} process on a free loopback port, for tests
 * of failover ({@code redis-sentinel://}). The Sentinels judge a silent master down after {@value #DOWN_AFTER_MS} ms,
 * so a failover completes within a few seconds. Data nodes have keyspace notifications on ({@code Kgh}) and no
 * persistence.
 *
 * <p>Needs {@code redis-server} 6.2 or later on the {@code PATH} (or {@code KTL_REDIS_SERVER}); without one,
 * {@link #start} aborts (skips) the test. Thread-safe; {@link #close()} kills every process and deletes the files.
 */
public final class SentinelGroup implements AutoCloseable {
  /** The name the Sentinels monitor the master under. */
  public static final String MASTER_NAME = "ktlmaster";
  /** How long a master must be silent before the Sentinels fail it over. */
  public static final int DOWN_AFTER_MS = 1000;

  private final RedisBinary binary;
  private final Path dir;
  private final Map<Integer, Process> nodes = new LinkedHashMap<>(); // data nodes by port
  private final List<Process> sentinels = new ArrayList<>();
  private final List<Integer> sentinelPorts = new ArrayList<>();

  private SentinelGroup(RedisBinary binary, Path dir) {
    this.binary = binary;
    this.dir = dir;
  }

  /** Starts the group and waits until the Sentinels agree on the master and see its replica. */
  public static SentinelGroup start() {
    RedisBinary binary = RedisBinary.configured().or(() -> RedisBinary.onPath("6.2"))
        .orElseThrow(() -> new TestAbortedException("no redis-server 6.2+ on the PATH or in KTL_REDIS_SERVER"));
    SentinelGroup g;
    try {
      g = new SentinelGroup(binary, Files.createTempDirectory("ktl-sentinel-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      int master = RedisProcesses.freePort();
      g.startNode(master, null);
      g.startNode(RedisProcesses.freePort(), master);
      for (int i = 0; i < 3; i++) {
        g.startSentinel(RedisProcesses.freePort(), master);
      }
      g.awaitReplicas(1, Duration.ofSeconds(20));
      RedisProcesses.awaitReplicaOnline(master, Duration.ofSeconds(20), "the replica", g.dir);
      return g;
    } catch (RuntimeException e) {
      g.close();
      throw e;
    }
  }

  /** {@code redis-sentinel://127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3/ktlmaster/0}. */
  public String url() {
    StringBuilder b = new StringBuilder("redis-sentinel://");
    for (int i = 0; i < sentinelPorts.size(); i++) {
      b.append(i == 0 ? "" : ",").append("127.0.0.1:").append(sentinelPorts.get(i));
    }
    return b.append('/').append(MASTER_NAME).append("/0").toString();
  }

  /** The port of the master as the first Sentinel that answers names it now. */
  public synchronized int masterPort() {
    for (int port : sentinelPorts) {
      try (Jedis s = RedisProcesses.jedis(port, 1000)) {
        List<String> a = s.sentinelGetMasterAddrByName(MASTER_NAME);
        return Integer.parseInt(a.get(1));
      } catch (RuntimeException e) {
        // ask the next one
      }
    }
    throw new IllegalStateException("no Sentinel answers");
  }

  /** The port of a replica of the current master. */
  public synchronized int replicaPort() {
    int master = masterPort();
    return nodes.keySet().stream().filter(p -> p != master).findFirst()
        .orElseThrow(() -> new IllegalStateException("no replica running"));
  }

  /** SIGSTOP of the data node on {@code port}: it stays connected and answers nothing (nor acknowledges replication). */
  public void pause(int port) {
    signal(port, "STOP");
  }

  /** SIGCONT after {@link #pause(int)}. */
  public void resume(int port) {
    signal(port, "CONT");
  }

  private synchronized void signal(int port, String signal) {
    Process p = nodes.get(port);
    if (p == null) {
      throw new IllegalStateException("no data node on port " + port);
    }
    RedisProcesses.signal(p, signal);
  }

  /** A connection to the data node on {@code port}; the caller closes it. */
  public Jedis node(int port) {
    return RedisProcesses.jedis(port, 1000);
  }

  /** Kills the current master with SIGKILL (its data is gone with it); returns its port. */
  public synchronized int killMaster() {
    int port = masterPort();
    Process p = nodes.remove(port);
    if (p != null) {
      RedisProcesses.kill(p);
    }
    return port;
  }

  /** Waits until the Sentinels name a master other than {@code oldPort}; returns its port. */
  public int awaitNewMaster(int oldPort, Duration within) {
    long end = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < end) {
      try {
        int port = masterPort();
        if (port != oldPort) {
          return port;
        }
      } catch (IllegalStateException e) {
        // no Sentinel answers yet
      }
      RedisProcesses.sleep(50);
    }
    throw new IllegalStateException("no failover from port " + oldPort + " within " + within);
  }

  /** Restarts a data node on {@code port} as a replica of the current master (an old master coming back). */
  public synchronized void restartAsReplica(int port) {
    startNode(port, masterPort());
  }

  private void startNode(int port, Integer replicaOf) {
    List<String> cmd = new ArrayList<>(List.of(binary.path().toString(), "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--notify-keyspace-events", "Kgh",
        "--dir", dir.toString(), "--dbfilename", "dump-" + port + ".rdb", "--logfile", dir.resolve("node-" + port + ".log").toString()));
    if (replicaOf != null) {
      cmd.addAll(List.of("--replicaof", "127.0.0.1", Integer.toString(replicaOf)));
    }
    nodes.put(port, RedisLaunch.launch(cmd, port, dir));
  }

  private void startSentinel(int port, int master) {
    Path conf = dir.resolve("sentinel-" + port + ".conf");
    String text = "port " + port + "\nbind 127.0.0.1\ndir " + dir + "\nlogfile " + dir.resolve("sentinel-" + port + ".log")
        + "\nsentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master + " 2\n"
        + "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER_MS + "\n"
        + "sentinel failover-timeout " + MASTER_NAME + " 5000\n"
        + "sentinel parallel-syncs " + MASTER_NAME + " 1\n";
    try {
      Files.writeString(conf, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    sentinels.add(RedisLaunch.launch(List.of(binary.path().toString(), conf.toString(), "--sentinel"), port, dir));
    sentinelPorts.add(port);
  }

  private void awaitReplicas(int n, Duration within) {
    long end = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < end) {
      boolean all = true;
      for (int port : sentinelPorts) {
        try (Jedis s = RedisProcesses.jedis(port, 1000)) {
          all &= s.sentinelReplicas(MASTER_NAME).size() >= n;
        } catch (RuntimeException e) {
          all = false;
        }
      }
      if (all) {
        return;
      }
      RedisProcesses.sleep(50);
    }
    throw new IllegalStateException("the Sentinels did not see " + n + " replica(s) within " + within + "; see " + dir);
  }

  /** The directory of logs and configuration files, for failure messages. */
  public Optional<Path> directory() {
    return Optional.of(dir);
  }

  @Override
  public synchronized void close() {
    List<Process> all = new ArrayList<>(sentinels); // the Sentinels first, then the data nodes
    all.addAll(nodes.values());
    RedisProcesses.killAll(all);
    RedisProcesses.deleteTree(dir);
  }
}
