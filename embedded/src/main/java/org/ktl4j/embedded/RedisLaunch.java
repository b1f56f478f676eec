package org.ktl4j.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Starts a {@code redis-server} (or a Sentinel) command of the caller's own, for groups of servers that
 * {@link EmbeddedRedis} does not build (Sentinel groups, cluster nodes): the process, with its output in a file, once
 * its port accepts connections. Stateless and thread-safe; the caller owns the process and stops it. Cost: one
 * process, polled every 20 ms for up to 10 s.
 */
public final class RedisLaunch {
  private RedisLaunch() {}

  /**
   * Starts {@code cmd} (a server that listens on {@code port} of the loopback address) with its output in
   * {@code dir/out-PORT.txt}, and waits until the port accepts a connection, at most 10 s.
   *
   * @throws IllegalStateException if the process exits first, or the port does not accept within 10 s (the process
   *     is then killed)
   */
  public static Process launch(List<String> cmd, int port, Path dir) {
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out-" + port + ".txt").toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < end) {
      try {
        new Socket(InetAddress.getLoopbackAddress(), port).close();
        return p;
      } catch (IOException e) {
        if (!p.isAlive()) {
          throw new IllegalStateException("redis-server on port " + port + " exited; see " + dir);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("redis-server on port " + port + " did not start; see " + dir);
  }
}
