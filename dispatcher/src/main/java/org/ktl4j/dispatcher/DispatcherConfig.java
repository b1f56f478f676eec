package org.ktl4j.dispatcher;

import java.time.Duration;
import java.util.Objects;

/**
 * How a dispatcher runs: pool sizes, lease timing, limits, history and the names of its built-in keywords. Built
 * with {@link #builder()} (or {@link #toBuilder()} from another one); {@link #defaults()} gives the documented
 * {@code DEFAULT_*} values. Immutable and thread-safe. Its settings, each read by the accessor of its name:
 *
 * <ul>
 *   <li>{@code workers}: threads that run {@code write} hooks, stores and periodic updates</li>
 *   <li>{@code checkers}: threads that validate requests and send {@code ack} (kept apart from {@code workers} so
 *     that slow hardware never delays an {@code ack})</li>
 *   <li>{@code leaseTtl}: time-to-live of the {@code ktl:{svc}:dispatcher} lease; renewed every third of it</li>
 *   <li>{@code maxValueBytes}: largest accepted ascii value, in UTF-8 bytes; larger requests are {@code
 *     BAD_REQUEST}</li>
 *   <li>{@code shutdownWait}: how long {@code close()} waits for running writes to finish</li>
 *   <li>{@code heartbeatKeyword}: name of the built-in heartbeat keyword (epoch seconds)</li>
 *   <li>{@code heartbeatPeriod}: how often the heartbeat is updated</li>
 *   <li>{@code statusKeyword}: name of the built-in status keyword ({@code starting}, {@code ready}, {@code
 *     stopping})</li>
 *   <li>{@code checkNotifications}: whether to make sure {@code notify-keyspace-events} includes {@code K} and {@code
 *     h}; turn off only where the server is known to be configured and {@code CONFIG} is blocked</li>
 *   <li>{@code maxQueuedRequests}: most MODIFY requests of the service admitted and not yet answered; beyond it
 *     requests are answered {@code BUSY} at once</li>
 *   <li>{@code maxQueuedPerKeyword}: most requests waiting for one keyword (validation and writes); beyond it that
 *     keyword's requests are answered {@code BUSY} while other keywords are served</li>
 *   <li>{@code maxQueuedBytes}: most bytes of values admitted and not yet answered (bounds memory under a flood)</li>
 *   <li>{@code directStores}: whether the pub/sub reader thread itself sends the stores of caching keywords (no
 *     hooks) on a connection of its own, sparing each write a thread hand-off; off, every request goes through the
 *     intake queues (one more connection when on)</li>
 *   <li>{@code durability}: when a writer is told {@code done}: once the master has the value (the default), or once
 *     a replica confirms it ({@link Durability})</li>
 *   <li>{@code historyLength}: how many of each keyword's last stored values Redis keeps in its history stream (at
 *     least that many: Redis trims the stream in whole nodes of 100); 0 keeps none</li>
 *   <li>{@code statisticsPeriod}: how often the statistics keywords ({@code DISPREQS}, {@code DISPRATE}, {@code
 *     DISPREFUSED}, {@code DISPP99}, {@code DISPQUEUE}) are updated; zero: no statistics, and no such keywords</li>
 * </ul>
 */
public final class DispatcherConfig {
  /** Default number of worker threads: {@value}. */
  public static final int DEFAULT_WORKERS = 8;
  /** Default number of validation threads (they also send acks and store caching keywords): {@value}. */
  public static final int DEFAULT_CHECKERS = 4;
  /** Default lease time-to-live: 5 seconds. */
  public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(5);
  /** Default largest value: 64 KiB. */
  public static final int DEFAULT_MAX_VALUE_BYTES = 64 * 1024;
  /** Default wait for running writes at shutdown: 10 seconds. */
  public static final Duration DEFAULT_SHUTDOWN_WAIT = Duration.ofSeconds(10);
  /** Default heartbeat keyword: {@value}. */
  public static final String DEFAULT_HEARTBEAT_KEYWORD = "DISPCLK";
  /** Default heartbeat period: 1 second. */
  public static final Duration DEFAULT_HEARTBEAT_PERIOD = Duration.ofSeconds(1);
  /** Default status keyword: {@value}. */
  public static final String DEFAULT_STATUS_KEYWORD = "DISPSTA";

  /** Default most requests admitted and not yet answered, per service: {@value}. */
  public static final int DEFAULT_MAX_QUEUED_REQUESTS = 20_000;
  /** Default most requests waiting for one keyword: {@value}. */
  public static final int DEFAULT_MAX_QUEUED_PER_KEYWORD = 5_000;
  /** Default most bytes of admitted values: 64 MiB. */
  public static final long DEFAULT_MAX_QUEUED_BYTES = 64L * 1024 * 1024;

  /** Default history length, values per keyword: {@value}. */
  public static final int DEFAULT_HISTORY_LENGTH = 100;
  /** Default statistics period: 1 second. */
  public static final Duration DEFAULT_STATISTICS_PERIOD = Duration.ofSeconds(1);
  /** Largest history length: {@value} values per keyword. */
  public static final int MAX_HISTORY_LENGTH = 100_000;

  private static final DispatcherConfig DEFAULTS = new Builder().build();

  private final int workers;
  private final int checkers;
  private final Duration leaseTtl;
  private final int maxValueBytes;
  private final Duration shutdownWait;
  private final String heartbeatKeyword;
  private final Duration heartbeatPeriod;
  private final String statusKeyword;
  private final boolean checkNotifications;
  private final int maxQueuedRequests;
  private final int maxQueuedPerKeyword;
  private final long maxQueuedBytes;
  private final boolean directStores;
  private final Durability durability;
  private final int historyLength;
  private final Duration statisticsPeriod;

  private DispatcherConfig(Builder b) {
    if (b.workers < 1 || b.checkers < 1) {
      throw new IllegalArgumentException("workers and checkers must be at least 1");
    }
    if (b.leaseTtl.toMillis() < 300) {
      throw new IllegalArgumentException("lease TTL must be at least 300 ms, got " + b.leaseTtl);
    }
    if (b.heartbeatPeriod.toMillis() < 1 || b.shutdownWait.isNegative()) {
      throw new IllegalArgumentException("heartbeat period must be at least 1 ms and shutdown wait not negative, got "
          + b.heartbeatPeriod + " and " + b.shutdownWait);
    }
    if (b.heartbeatKeyword.equalsIgnoreCase(b.statusKeyword)) {
      throw new IllegalArgumentException("the heartbeat and status keywords need two names, got " + b.heartbeatKeyword
          + " for both");
    }
    if (b.maxValueBytes < 1) {
      throw new IllegalArgumentException("maxValueBytes must be positive");
    }
    if (b.maxQueuedRequests < 1 || b.maxQueuedPerKeyword < 1 || b.maxQueuedBytes < b.maxValueBytes) {
      throw new IllegalArgumentException("queue limits must be positive, and maxQueuedBytes at least maxValueBytes");
    }
    if (b.historyLength < 0 || b.historyLength > MAX_HISTORY_LENGTH) {
      throw new IllegalArgumentException("history length must be 0 (none) to " + MAX_HISTORY_LENGTH + ", got "
          + b.historyLength);
    }
    if (b.statisticsPeriod.isNegative() || (!b.statisticsPeriod.isZero() && b.statisticsPeriod.toMillis() < 10)) {
      throw new IllegalArgumentException("statistics period must be zero (off) or at least 10 ms, got "
          + b.statisticsPeriod);
    }
    this.workers = b.workers;
    this.checkers = b.checkers;
    this.leaseTtl = b.leaseTtl;
    this.maxValueBytes = b.maxValueBytes;
    this.shutdownWait = b.shutdownWait;
    this.heartbeatKeyword = b.heartbeatKeyword;
    this.heartbeatPeriod = b.heartbeatPeriod;
    this.statusKeyword = b.statusKeyword;
    this.checkNotifications = b.checkNotifications;
    this.maxQueuedRequests = b.maxQueuedRequests;
    this.maxQueuedPerKeyword = b.maxQueuedPerKeyword;
    this.maxQueuedBytes = b.maxQueuedBytes;
    this.directStores = b.directStores;
    this.durability = b.durability;
    this.historyLength = b.historyLength;
    this.statisticsPeriod = b.statisticsPeriod;
  }

  /** The defaults. */
  public static DispatcherConfig defaults() {
    return DEFAULTS;
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's settings, to change some of them. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Threads that run {@code write} hooks, stores and periodic updates. */
  public int workers() {
    return workers;
  }

  /** Threads that validate requests and send {@code ack}. */
  public int checkers() {
    return checkers;
  }

  /** Time-to-live of the lease; renewed every third of it. */
  public Duration leaseTtl() {
    return leaseTtl;
  }

  /** Largest accepted ascii value, in UTF-8 bytes. */
  public int maxValueBytes() {
    return maxValueBytes;
  }

  /** How long {@code close()} waits for running writes to finish. */
  public Duration shutdownWait() {
    return shutdownWait;
  }

  /** Name of the built-in heartbeat keyword. */
  public String heartbeatKeyword() {
    return heartbeatKeyword;
  }

  /** How often the heartbeat is updated. */
  public Duration heartbeatPeriod() {
    return heartbeatPeriod;
  }

  /** Name of the built-in status keyword. */
  public String statusKeyword() {
    return statusKeyword;
  }

  /** Whether the dispatcher makes sure {@code notify-keyspace-events} includes {@code K} and {@code h}. */
  public boolean checkNotifications() {
    return checkNotifications;
  }

  /** Most requests of the service admitted and not yet answered. */
  public int maxQueuedRequests() {
    return maxQueuedRequests;
  }

  /** Most requests waiting for one keyword. */
  public int maxQueuedPerKeyword() {
    return maxQueuedPerKeyword;
  }

  /** Most bytes of values admitted and not yet answered. */
  public long maxQueuedBytes() {
    return maxQueuedBytes;
  }

  /** Whether the pub/sub reader thread sends the stores of keywords without hooks itself. */
  public boolean directStores() {
    return directStores;
  }

  /** When a writer is told {@code done}. */
  public Durability durability() {
    return durability;
  }

  /** How many last values of each keyword the history stream keeps (0: none). */
  public int historyLength() {
    return historyLength;
  }

  /** How often the statistics keywords are updated; zero: no statistics keywords. */
  public Duration statisticsPeriod() {
    return statisticsPeriod;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DispatcherConfig c && Objects.equals(values(), c.values());
  }

  @Override
  public int hashCode() {
    return values().hashCode();
  }

  private java.util.List<Object> values() {
    return java.util.List.of(workers, checkers, leaseTtl, maxValueBytes, shutdownWait, heartbeatKeyword, heartbeatPeriod, statusKeyword, checkNotifications, maxQueuedRequests, maxQueuedPerKeyword, maxQueuedBytes, directStores, durability, historyLength, statisticsPeriod);
  }

  @Override
  public String toString() {
    return "DispatcherConfig[" 
        + "workers=" + workers + ", "
        + "checkers=" + checkers + ", "
        + "leaseTtl=" + leaseTtl + ", "
        + "maxValueBytes=" + maxValueBytes + ", "
        + "shutdownWait=" + shutdownWait + ", "
        + "heartbeatKeyword=" + heartbeatKeyword + ", "
        + "heartbeatPeriod=" + heartbeatPeriod + ", "
        + "statusKeyword=" + statusKeyword + ", "
        + "checkNotifications=" + checkNotifications + ", "
        + "maxQueuedRequests=" + maxQueuedRequests + ", "
        + "maxQueuedPerKeyword=" + maxQueuedPerKeyword + ", "
        + "maxQueuedBytes=" + maxQueuedBytes + ", "
        + "directStores=" + directStores + ", "
        + "durability=" + durability + ", "
        + "historyLength=" + historyLength + ", "
        + "statisticsPeriod=" + statisticsPeriod + "]";
  }

  /**
   * Builds a {@link DispatcherConfig}; starts from the defaults (or from the configuration it was made from). Not
   * thread-safe; {@link #build()} checks the settings together.
   */
  public static final class Builder {
    private int workers = DEFAULT_WORKERS;
    private int checkers = DEFAULT_CHECKERS;
    private Duration leaseTtl = DEFAULT_LEASE_TTL;
    private int maxValueBytes = DEFAULT_MAX_VALUE_BYTES;
    private Duration shutdownWait = DEFAULT_SHUTDOWN_WAIT;
    private String heartbeatKeyword = DEFAULT_HEARTBEAT_KEYWORD;
    private Duration heartbeatPeriod = DEFAULT_HEARTBEAT_PERIOD;
    private String statusKeyword = DEFAULT_STATUS_KEYWORD;
    private boolean checkNotifications = true;
    private int maxQueuedRequests = DEFAULT_MAX_QUEUED_REQUESTS;
    private int maxQueuedPerKeyword = DEFAULT_MAX_QUEUED_PER_KEYWORD;
    private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
    private boolean directStores = true;
    private Durability durability = Durability.MASTER;
    private int historyLength = DEFAULT_HISTORY_LENGTH;
    private Duration statisticsPeriod = DEFAULT_STATISTICS_PERIOD;

    private Builder() {}

    private Builder(DispatcherConfig c) {
      workers = c.workers;
      checkers = c.checkers;
      leaseTtl = c.leaseTtl;
      maxValueBytes = c.maxValueBytes;
      shutdownWait = c.shutdownWait;
      heartbeatKeyword = c.heartbeatKeyword;
      heartbeatPeriod = c.heartbeatPeriod;
      statusKeyword = c.statusKeyword;
      checkNotifications = c.checkNotifications;
      maxQueuedRequests = c.maxQueuedRequests;
      maxQueuedPerKeyword = c.maxQueuedPerKeyword;
      maxQueuedBytes = c.maxQueuedBytes;
      directStores = c.directStores;
      durability = c.durability;
      historyLength = c.historyLength;
      statisticsPeriod = c.statisticsPeriod;
    }

    /** Threads that run {@code write} hooks, stores and periodic updates (default {@value #DEFAULT_WORKERS}). */
    public Builder workers(int n) {
      workers = n;
      return this;
    }

    /**
     * Threads that validate requests and send {@code ack}, kept apart from the workers so that slow hardware never
     * delays an {@code ack} (default {@value #DEFAULT_CHECKERS}).
     */
    public Builder checkers(int n) {
      checkers = n;
      return this;
    }

    /** Time-to-live of the {@code ktl:{svc}:dispatcher} lease, at least 300 ms (default 5 s). */
    public Builder leaseTtl(Duration ttl) {
      leaseTtl = Objects.requireNonNull(ttl, "leaseTtl");
      return this;
    }

    /** Largest accepted ascii value in UTF-8 bytes; larger requests are {@code BAD_REQUEST} (default 64 KiB). */
    public Builder maxValueBytes(int bytes) {
      maxValueBytes = bytes;
      return this;
    }

    /** How long {@code close()} waits for running writes to finish (default 10 s). */
    public Builder shutdownWait(Duration d) {
      shutdownWait = Objects.requireNonNull(d, "shutdownWait");
      return this;
    }

    /** Names of the built-in heartbeat and status keywords (defaults {@code DISPCLK}, {@code DISPSTA}). */
    public Builder builtIns(String heartbeat, String status) {
      heartbeatKeyword = Objects.requireNonNull(heartbeat, "heartbeat");
      statusKeyword = Objects.requireNonNull(status, "status");
      return this;
    }

    /** How often the heartbeat keyword is updated (default 1 s). */
    public Builder heartbeatPeriod(Duration p) {
      heartbeatPeriod = Objects.requireNonNull(p, "heartbeatPeriod");
      return this;
    }

    /**
     * Whether to make sure {@code notify-keyspace-events} includes {@code K} and {@code h} (default on); turn off only
     * where the server is known to be configured and {@code CONFIG} is blocked.
     */
    public Builder checkNotifications(boolean check) {
      checkNotifications = check;
      return this;
    }

    /**
     * Queue limits: most requests admitted and not yet answered per service, most waiting for one keyword, and most
     * bytes of admitted values; beyond them requests are answered {@code BUSY} at once.
     */
    public Builder queueLimits(int requests, int perKeyword, long bytes) {
      maxQueuedRequests = requests;
      maxQueuedPerKeyword = perKeyword;
      maxQueuedBytes = bytes;
      return this;
    }

    /**
     * Whether the pub/sub reader thread itself sends the stores of keywords without hooks, on a connection of its own
     * (default on), sparing each write a thread hand-off; off, every request goes through the intake queues.
     */
    public Builder directStores(boolean on) {
      directStores = on;
      return this;
    }

    /**
     * When a writer is told {@code done}: once the master has the value (default), or once a replica confirms it;
     * with {@link Durability#REPLICA} stores go through the intake queues (no direct stores).
     */
    public Builder durability(Durability d) {
      durability = Objects.requireNonNull(d, "durability");
      return this;
    }

    /**
     * How many of each keyword's last stored values Redis keeps in the keyword's history stream, 0 (none) to
     * {@value #MAX_HISTORY_LENGTH} (default {@value #DEFAULT_HISTORY_LENGTH}). The stream is appended in the same
     * atomic step that stores the value, and trimmed in whole nodes, so it may hold up to about 100 more.
     */
    public Builder historyLength(int n) {
      historyLength = n;
      return this;
    }

    /**
     * How often the statistics keywords ({@code DISPREQS}, {@code DISPRATE}, {@code DISPREFUSED}, {@code DISPP99},
     * {@code DISPQUEUE}) are updated, at least 10 ms (default 1 s); {@link Duration#ZERO} turns statistics off, and
     * the keywords then do not exist.
     */
    public Builder statisticsPeriod(Duration p) {
      statisticsPeriod = Objects.requireNonNull(p, "statisticsPeriod");
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException if a setting is out of its range
     */
    public DispatcherConfig build() {
      return new DispatcherConfig(this);
    }
  }
}
