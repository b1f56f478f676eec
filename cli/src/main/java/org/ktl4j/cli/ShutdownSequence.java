package org.ktl4j.cli;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;

/**
 * What a daemon must close when it stops, closed newest first, exactly once: the dispatcher (which finishes
 * running writes, sets its status to {@code stopping} and releases its lease), then the Redis connections, then
 * an embedded Redis.
 *
 * <p>It runs either from the JVM shutdown hook it installs (thread {@code ktl-shutdown}: SIGTERM, SIGINT), which
 * ends the process with {@link Runtime#halt(int) halt(0)} after a clean close (the JVM's default after SIGTERM
 * would be 143), or from the main thread when the daemon stops for another reason, which first
 * {@linkplain #uninstall() uninstalls} the hook. Thread-safe.
 */
final class ShutdownSequence {
  private final Logger log;
  private final Thread hook = new Thread(this::runHook, "ktl-shutdown");
  private final Deque<Step> steps = new ArrayDeque<>(); // guarded by this
  private boolean closing; // guarded by this

  private record Step(String what, AutoCloseable resource) {}

  ShutdownSequence(Logger log) {
    this.log = log;
  }

  /** Installs the JVM shutdown hook. */
  void install() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Removes the hook before the main thread closes and exits by itself.
   *
   * @return false if the JVM is already shutting down: the hook runs (or has run) and will end the process,
   *     so the caller must not exit by itself; see {@link #awaitHalt()}
   */
  boolean uninstall() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
      return true;
    } catch (IllegalStateException shutdownInProgress) {
      return false;
    }
  }

  /** Adds a resource to close; if closing has begun, closes it at once. */
  void add(String what, AutoCloseable resource) {
    synchronized (this) {
      if (!closing) {
        steps.push(new Step(what, resource));
        return;
      }
    }
    close(new Step(what, resource));
  }

  /** Closes everything added, newest first; later calls find nothing left. Returns whether every close succeeded. */
  synchronized boolean closeAll() {
    closing = true;
    boolean clean = true;
    while (!steps.isEmpty()) {
      clean &= close(steps.pop());
    }
    return clean;
  }

  /** Blocks the calling thread until the shutdown hook halts the JVM. */
  void awaitHalt() {
    CountDownLatch never = new CountDownLatch(1);
    while (true) {
      try {
        never.await();
      } catch (InterruptedException e) {
        // keep waiting: the hook ends the process
      }
    }
  }

  private boolean close(Step step) {
    try {
      step.resource().close();
      return true;
    } catch (Exception e) {
      log.warn("could not close the {} cleanly: {}", step.what(), e.toString());
      return false;
    }
  }

  private void runHook() {
    int code = ExitCodes.USAGE;
    try {
      log.info("shutdown requested (SIGTERM or SIGINT); stopping");
      if (closeAll()) {
        code = ExitCodes.OK;
        log.info("stopped cleanly");
      }
    } catch (RuntimeException | Error e) {
      log.error("shutdown failed: {}", e.toString());
    } finally {
      System.out.flush();
      System.err.flush();
      Runtime.getRuntime().halt(code);
    }
  }
}
