package org.ktl4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;

/**
 * The process plumbing that {@link ClusterGroup} and {@link SentinelGroup} share (they start their servers with
 * {@code org.ktl4j.embedded.RedisLaunch}): pick free loopback ports at most {@value #MAX_PORT} (a cluster
 * bus listens on its node's port + 10000), send SIGSTOP or SIGCONT with {@code kill}, open a short Jedis connection to
 * a port, sleep while polling, kill and reap processes, and delete a group's temporary directory. Each group keeps its
 * own processes and state; these helpers keep none.
 *
 * <p>Static and stateless, so thread-safe; a group serializes what it does to its own processes. Costs:
 * {@link #signal} starts a {@code kill}
 * process; the port helpers bind and close one or two sockets per try; {@link #jedis} opens a TCP connection (the
 * caller closes it); the waits block the calling thread for up to the time they are given.
 */
final class RedisProcesses {
  /** The highest port handed out: a port + 10000 (a node's cluster bus) must still be a valid port. */
  static final int MAX_PORT = 55535;

  private RedisProcesses() {}

  /** A free loopback port at most {@value #MAX_PORT}. */
  static int freePort() {
    for (int i = 0; i < 100; i++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        if (s.getLocalPort() <= MAX_PORT) { // Sentinel and cluster bus ports are +10000
          return s.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no free loopback port at or below " + MAX_PORT);
  }

  /**
   * A free loopback port at most {@value #MAX_PORT} whose bus port (+10000) is free too, and clear of the
   * {@code taken} ones (and of their bus ports).
   */
  static int freePortWithBus(List<Integer> taken) {
    for (int i = 0; i < 100; i++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = s.getLocalPort();
        if (port > MAX_PORT || taken.contains(port) || taken.contains(port + 10000) || taken.contains(port - 10000)) {
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
    throw new IllegalStateException("no free loopback port at or below " + MAX_PORT + " with a free bus port");
  }

  /** Sends {@code signal} ({@code "STOP"}, {@code "CONT"}) to {@code p} with {@code kill}, waiting up to 5 s. */
  static void signal(Process p, String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
      kill.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A RESP2 connection to {@code 127.0.0.1:port} (1 s to connect, then {@code timeoutMs}); the caller closes it. */
  static Jedis jedis(int port, int timeoutMs) {
    return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(1000).socketTimeoutMillis(timeoutMs).protocol(RedisProtocol.RESP2).build());
  }

  /**
   * Waits until the master on {@code port} reports its replica in sync ({@code state=online}), so that {@code WAIT}
   * counts it.
   *
   * @param replica what the failure message calls the replica, e.g. {@code "the replica"}
   * @throws IllegalStateException if that does not happen {@code within}
   */
  static void awaitReplicaOnline(int port, Duration within, String replica, Path dir) {
    long end = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < end) {
      try (Jedis m = jedis(port, 1000)) {
        if (m.info("replication").contains("state=online")) {
          return;
        }
      } catch (RuntimeException e) {
        // not answering yet
      }
      sleep(50);
    }
    throw new IllegalStateException(replica + " did not come in sync within " + within + "; see " + dir);
  }

  /**
   * Sleeps {@code ms} between two polls.
   *
   * @throws IllegalStateException if interrupted (the interrupt flag is set again)
   */
  static void sleep(long ms) {
    try {
      Thread.sleep(ms); // polling processes we started; not a test assertion
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Kills {@code p} with SIGKILL and waits until it has exited, at most 10 s. */
  static void kill(Process p) {
    p.destroyForcibly();
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Kills every process with SIGKILL (which ends a SIGSTOPped one too), then waits for each in turn, at most 5 s each.
   */
  static void killAll(Collection<Process> processes) {
    for (Process p : processes) {
      p.destroyForcibly();
    }
    for (Process p : processes) {
      waitQuietly(p);
    }
  }

  /** Waits up to 5 s for {@code p} to exit; an interrupt ends the wait and sets the interrupt flag again. */
  static void waitQuietly(Process p) {
    try {
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Deletes {@code dir} and everything in it, as far as it can (best effort: failures are ignored). */
  static void deleteTree(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }
}
