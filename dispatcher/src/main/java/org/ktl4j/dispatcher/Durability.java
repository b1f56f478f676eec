package org.ktl4j.dispatcher;

import java.time.Duration;
import java.util.Objects;

/**
 * When a dispatcher tells a writer {@code done}: once the master has the value ({@link Level#MASTER}, the default),
 * or once a replica has confirmed it too ({@link Level#REPLICA}: Redis replication is asynchronous, so a value only on
 * the master can be lost when it fails over). Immutable.
 *
 * @param level    what {@code done} waits for
 * @param replicaWait with {@link Level#REPLICA}, how long to wait for a replica ({@code WAIT 1 ms}); past it the writer is
 *                 told {@code WRITE_FAILED}, never a late {@code done}. Must be shorter than the Redis command timeout
 */
public record Durability(Level level, Duration replicaWait) {
  /** Default wait for a replica: 500 ms. */
  public static final Duration DEFAULT_WAIT = Duration.ofMillis(500);
  /** {@code done} once the master has stored the value. */
  public static final Durability MASTER = new Durability(Level.MASTER, DEFAULT_WAIT);
  /** {@code done} once a replica confirms the value, within {@link #DEFAULT_WAIT}. */
  public static final Durability REPLICA = new Durability(Level.REPLICA, DEFAULT_WAIT);

  /** What {@code done} waits for. */
  public enum Level {
    /** The master stored the value (one round trip). */
    MASTER,
    /** The master stored it and at least one replica confirmed it ({@code WAIT 1}, in the same round trip). */
    REPLICA
  }

  public Durability {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(replicaWait, "replicaWait");
    if (replicaWait.toMillis() < 1) {
      throw new IllegalArgumentException("the wait for a replica must be at least 1 ms, got " + replicaWait);
    }
  }

  /** Replicas {@code done} waits for: 0 or 1. */
  int replicas() {
    return level == Level.REPLICA ? 1 : 0;
  }

  /** Refuses a replica wait that is not at least 100 ms shorter than the Redis command timeout: WAIT runs within it. */
  void checkWithin(Duration timeout, String service) {
    if (replicas() > 0 && replicaWait.plusMillis(100).compareTo(timeout) >= 0) {
      throw new IllegalArgumentException("service " + service + ": the wait for a replica (" + replicaWait.toMillis()
          + " ms) must be at least 100 ms shorter than the Redis timeout (" + timeout.toMillis() + " ms): WAIT runs "
          + "within it");
    }
  }

  /** Parses {@code master} or {@code replica} (case-insensitive), as the {@code ktl dispatcher --durability} option. */
  public static Durability parse(String text, Duration wait) {
    return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "master", "local" -> new Durability(Level.MASTER, wait);
      case "replica" -> new Durability(Level.REPLICA, wait);
      default -> throw new IllegalArgumentException("durability '" + text + "' is not one of: master, replica");
    };
  }
}
