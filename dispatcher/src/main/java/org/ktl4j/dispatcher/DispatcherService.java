package org.ktl4j.dispatcher;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.ktl4j.KtlException;
import org.ktl4j.UnavailableException;
import org.ktl4j.definition.Bundle;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.definition.KtlXmlBundle;
import org.ktl4j.definition.KtlXmlException;
import org.ktl4j.protocol.DispatcherLease;
import org.ktl4j.protocol.Keys;
import org.ktl4j.protocol.Names;
import org.ktl4j.protocol.StoredValue;
import org.ktl4j.redis.ProcessIdentity;
import org.ktl4j.redis.PubSubHub;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.SharedPool;
import org.ktl4j.type.KtlType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dispatcher: the owner of one service's keywords. It serves MODIFY requests (validate, {@code check},
 * {@code ack}, {@code write}, store, {@code done}), stores values set by its own code, runs periodic updates,
 * keeps the service's lease, and heals itself when Redis goes away and comes back (possibly empty).
 *
 * <pre>{@code
 * DispatcherService svc = DispatcherService.builder("telescope")
 *     .bundle(Path.of("telescope.xml"))
 *     .setup(s -> s.keyword("AZ").onWrite(v -> mount.moveAz(v.asDouble())))
 *     .build();
 * svc.start();          // returns once DISPSTA is ready
 * ...
 * svc.close();          // finishes running writes, DISPSTA=stopping, releases the lease
 * }</pre>
 *
 * <p>Threads, all named {@code ktl-<service>-…} and stopped by {@link #close()}: a bounded pool of workers
 * ({@code write} hooks, stores, periodic updates), a small pool of checkers (validation and {@code ack}), and
 * one timer (heartbeat, lease renewal, periods). Requests arrive on the process's shared pub/sub connection.
 * Thread-safe.
 */
public final class DispatcherService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DispatcherService.class);
  private static final String VERSION = "0.1.0";

  /** Lifecycle states. */
  public enum State { NEW, STARTING, READY, STOPPING, STOPPED, FAILED }

  private final String name;
  private final Keys keys;
  private final DispatcherConfig config;
  private final RedisEndpoint endpoint;
  private final Map<String, DispatcherKeyword> keywords;
  private final ThreadPoolExecutor workers;
  private final ThreadPoolExecutor checkers;
  private final ScheduledExecutorService timer;
  private final DispatcherLease lease;
  private final LeaseKeeper leaseKeeper;
  private final ModifyHandler handler;
  private final RedisState redisState;
  private final DispatcherKeyword heartbeat;
  private final DispatcherKeyword status;
  private final List<Consumer<String>> stopListeners = new CopyOnWriteArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final PubSubHub.ConnectionListener connectionListener = new PubSubHub.ConnectionListener() {
    @Override
    public void onConnected(boolean reconnect) {
      if (reconnect) {
        runOnTimer(DispatcherService.this::recover);
      }
    }

    @Override
    public void onDisconnected(String reason) {
      log.warn("service {}: lost the connection to Redis at {} ({}); requests cannot arrive until it is back",
          name, endpoint.settings().address(), reason);
    }
  };

  private volatile State state = State.NEW;
  private volatile String stopReason;
  private volatile String serverRunId;
  private PubSubHub.Registration modifySubscription;
  private PubSubHub hub; // the pub/sub connection subscribed on, once start() got that far
  private final List<ScheduledFuture<?>> timers = new ArrayList<>();

  private DispatcherService(Builder b) {
    this.name = Names.service(b.service);
    this.keys = Keys.of(name);
    this.config = b.config;
    this.endpoint = b.endpoint != null ? b.endpoint : SharedPool.endpoint();
    this.workers = pool(config.workers(), "worker");
    this.checkers = pool(config.checkers(), "check");
    this.timer = Executors.newSingleThreadScheduledExecutor(factory("timer", new AtomicInteger()));
    Map<String, DispatcherKeyword> map = new LinkedHashMap<>();
    for (KeywordDefinition d : b.definitions) {
      if (map.put(d.name(), newKeyword(d, false)) != null) {
        throw new IllegalArgumentException("service " + name + ": keyword " + d.name() + " is defined twice");
      }
    }
    String hb = Names.keyword(config.heartbeatKeyword());
    String st = Names.keyword(config.statusKeyword());
    for (String builtIn : List.of(hb, st)) {
      if (map.containsKey(builtIn)) {
        throw new IllegalArgumentException("service " + name + ": keyword " + builtIn
            + " is a built-in keyword of the dispatcher; rename it or choose other built-in names");
      }
    }
    this.heartbeat = newKeyword(KeywordDefinition.builder(hb, KtlType.INT64).units("s")
        .help("Dispatcher heartbeat: epoch seconds, updated every " + config.heartbeatPeriod().toMillis() + " ms")
        .readonly(true).build(), true);
    this.status = newKeyword(KeywordDefinition.builder(st, KtlType.ENUMERATED)
        .labels("starting", "ready", "stopping").help("Dispatcher status").readonly(true).build(), true);
    map.put(hb, heartbeat);
    map.put(st, status);
    this.keywords = Collections.unmodifiableMap(map);
    this.lease = new DispatcherLease(ProcessIdentity.id() + "-" + name, ProcessIdentity.host(), ProcessIdentity.pid(),
        VERSION, StoredValue.now());
    this.redisState = new RedisState(name, keys, endpoint);
    this.leaseKeeper = new LeaseKeeper(name, keys.lease(), lease, config.leaseTtl());
    this.handler = new ModifyHandler(this, endpoint, keys, config.maxValueBytes(),
        new SerialExecutor(checkers, name + " requests"));
  }

  /** Starts building a dispatcher for {@code service}. */
  public static Builder builder(String service) {
    return new Builder(service);
  }

  /** The service name (lowercase). */
  public String name() {
    return name;
  }

  /** The configuration in force. */
  public DispatcherConfig config() {
    return config;
  }

  /** The current lifecycle state. */
  public State state() {
    return state;
  }

  /**
   * A keyword of this service (case-insensitive).
   *
   * @throws IllegalArgumentException naming the service and its keywords if there is none
   */
  public DispatcherKeyword keyword(String keyword) {
    DispatcherKeyword kw = lookup(keyword);
    if (kw == null) {
      throw new IllegalArgumentException("service " + name + " has no keyword '" + Names.printable(keyword)
          + "'; it has: " + String.join(", ", keywords.keySet()));
    }
    return kw;
  }

  /** Every keyword, built-ins included, in definition order. */
  public Collection<DispatcherKeyword> keywords() {
    return keywords.values();
  }

  /** The heartbeat keyword. */
  public DispatcherKeyword heartbeatKeyword() {
    return heartbeat;
  }

  /** The status keyword. */
  public DispatcherKeyword statusKeyword() {
    return status;
  }

  /** Why the dispatcher stopped serving, once it has. */
  public Optional<String> stopReason() {
    return Optional.ofNullable(stopReason);
  }

  /** Registers a listener told (once, with the reason) when the dispatcher stops serving for any reason. */
  public void onStop(Consumer<String> listener) {
    stopListeners.add(listener);
  }

  /** Waits until the dispatcher has stopped serving; false on timeout. */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Starts serving: connects, ensures keyspace notifications, takes the lease (waiting out a stale one),
   * publishes definitions and initial values, subscribes to MODIFY requests, and sets the status keyword to
   * {@code ready}. Returns once ready.
   *
   * @throws UnavailableException if Redis cannot be reached, {@code CONFIG} is refused, or another dispatcher
   *     holds the lease; the message says which and what to do
   */
  public synchronized void start() {
    if (state != State.NEW) {
      throw new IllegalStateException("service " + name + " dispatcher was already started (state " + state + ")");
    }
    state = State.STARTING;
    try {
      String address = endpoint.settings().address();
      endpoint.call("start dispatcher for service " + name, c -> c.ping());
      if (config.checkNotifications()) {
        endpoint.call("check keyspace notifications", c -> {
          KeyspaceNotifications.ensure(c, name, address);
          return null;
        });
      }
      endpoint.call("take the lease of service " + name, c -> {
        leaseKeeper.acquire(c, () -> pause(100));
        return null;
      });
      startLeaseRenewal(); // from now on: start-up may take longer than the lease lives
      if (endpoint == SharedPool.endpointIfCreated()) {
        SharedPool.closeBeforePool(this); // at JVM exit the pool closes only after this dispatcher
      }
      serverRunId = redisState.runId();
      redisState.loadStoredValues(keywords.values());
      redisState.publishDefinitions(keywords.values());
      status.set("starting", true);
      for (DispatcherKeyword kw : keywords.values()) {
        applyInitialValue(kw);
      }
      heartbeat.setBinary(Instant.now().getEpochSecond());
      awaitFlushed(config.leaseTtl());
      hub = endpoint.pubSub();
      hub.addConnectionListener(connectionListener);
      modifySubscription = hub.subscribe(keys.modifyChannel(), handler);
      try {
        modifySubscription.active().get(endpoint.settings().timeout().toMillis() * 3, TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        throw new UnavailableException("service " + name + ": could not subscribe to " + keys.modifyChannel()
            + " on Redis at " + address + " (" + hub.lastError() + ")");
      }
      firstUpdates();
      if (state == State.FAILED) {
        throw new UnavailableException(stopReason);
      }
      startTimers();
      state = State.READY;
      status.set("ready");
      awaitFlushed(config.leaseTtl());
      log.info("service {}: ready with {} keywords on {} (dispatcher {})", name, keywords.size(),
          endpoint.settings().redactedUrl(), lease.id());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abortStart();
      throw new KtlException("service " + name + ": start-up interrupted");
    } catch (RuntimeException e) {
      abortStart();
      throw e;
    }
  }

  private void abortStart() {
    state = State.FAILED;
    shutdownThreads();
    if (modifySubscription != null) {
      modifySubscription.close();
    }
    if (hub != null) {
      hub.removeConnectionListener(connectionListener);
    }
    SharedPool.forget(this);
    stopped.countDown();
  }

  /** Looks a keyword up by its name as received; null if there is none. */
  DispatcherKeyword lookup(String keyword) {
    if (keyword == null) {
      return null;
    }
    DispatcherKeyword kw = keywords.get(keyword);
    return kw != null ? kw : keywords.get(keyword.toUpperCase(Locale.ROOT));
  }

  boolean isRunning() {
    return state == State.READY || state == State.STARTING;
  }

  /** Whether this dispatcher may still write to Redis and drive hardware (false once its lease was lost). */
  boolean isServing() {
    State s = state;
    return s == State.STARTING || s == State.READY || s == State.STOPPING;
  }

  /** Stores a value set from code; false if Redis could not be reached (the caller keeps it for later). */
  boolean storeFromCode(DispatcherKeyword kw, String ascii, boolean force) {
    return redisState.store(kw, ascii, force);
  }

  ScheduledFuture<?> schedulePeriodic(DispatcherKeyword kw, Duration every) {
    long ms = Math.max(1, every.toMillis());
    return timer.scheduleAtFixedRate(() -> {
      if (kw.writes.pending() > 0) {
        return; // the previous update (or a write) is still running: skip rather than pile up
      }
      kw.writes.execute(() -> {
        try {
          kw.runRead();
        } catch (Exception e) {
          log.warn("{}: periodic update failed: {}", kw, ModifyHandler.reason(e));
        }
      });
    }, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** Polls every periodic keyword once, so that at {@code ready} every polled keyword has a value. */
  private void firstUpdates() throws InterruptedException {
    List<CompletableFuture<Void>> polls = new ArrayList<>();
    for (DispatcherKeyword kw : keywords.values()) {
      if (kw.period().isPresent()) {
        polls.add(kw.update().exceptionally(e -> {
          log.warn("{}: first update failed: {}", kw, ModifyHandler.reason(e.getCause() != null ? e.getCause() : e));
          return null;
        }));
      }
    }
    try {
      CompletableFuture.allOf(polls.toArray(new CompletableFuture[0])).get(config.leaseTtl().toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      log.warn("service {}: first periodic updates still running after {} ms; starting anyway", name,
          config.leaseTtl().toMillis());
    }
  }

  private void startLeaseRenewal() {
    long renew = Math.max(100, config.leaseTtl().toMillis() / 3);
    timers.add(timer.scheduleWithFixedDelay(this::renewLease, renew, renew, TimeUnit.MILLISECONDS));
  }

  private void startTimers() {
    long hb = config.heartbeatPeriod().toMillis();
    timers.add(timer.scheduleAtFixedRate(() -> heartbeat.setBinary(Instant.now().getEpochSecond()), hb, hb,
        TimeUnit.MILLISECONDS));
    for (DispatcherKeyword kw : keywords.values()) {
      kw.startPeriodic();
    }
  }

  private void renewLease() {
    if (state != State.READY && state != State.STARTING) {
      return;
    }
    LeaseKeeper.Renewal r;
    try {
      r = leaseKeeper.renew(endpoint.commands());
    } catch (RuntimeException e) {
      log.debug("service {}: lease renewal failed ({}); retrying", name, e.getMessage());
      return;
    }
    switch (r) {
      case LOST -> {
        String holder;
        try {
          holder = leaseKeeper.holder(endpoint.commands());
        } catch (RuntimeException e) {
          holder = "another dispatcher";
        }
        stopServing("service " + name + ": the lease was taken by " + holder
            + " (this dispatcher was paused or cut off for longer than the lease TTL); stopping");
      }
      case RETAKEN -> {
        log.warn("service {}: lease had expired or vanished; taken again", name);
        recover();
      }
      case RENEWED -> republishDirty();
    }
  }

  /** After a reconnection: if Redis came back empty (or restarted), publish everything again. */
  private void recover() {
    if (state != State.READY) {
      return;
    }
    try {
      String runId = redisState.runId();
      boolean empty = redisState.definitionsMissing();
      boolean restarted = runId != null && serverRunId != null && !runId.equals(serverRunId);
      if (runId != null) {
        serverRunId = runId;
      }
      if (empty || restarted) {
        log.warn("service {}: Redis at {} {}; publishing definitions and all {} values again", name,
            endpoint.settings().address(), empty ? "came back empty" : "restarted", keywords.size());
        if (config.checkNotifications()) {
          KeyspaceNotifications.ensure(endpoint.commands(), name, endpoint.settings().address());
        }
        if (leaseKeeper.renew(endpoint.commands()) == LeaseKeeper.Renewal.LOST) {
          stopServing("service " + name + ": after Redis came back, the lease is held by "
              + leaseKeeper.holder(endpoint.commands()) + "; stopping");
          return;
        }
        redisState.publishDefinitions(keywords.values());
        for (DispatcherKeyword kw : keywords.values()) {
          kw.republish(true); // empty, or restarted from an older snapshot: every current value goes again
        }
        log.info("service {}: state published again after Redis recovery", name);
      } else {
        republishDirty();
        log.info("service {}: reconnected to Redis at {}; serving again", name, endpoint.settings().address());
      }
    } catch (RuntimeException e) {
      log.warn("service {}: recovery after reconnect failed ({}); will retry", name, e.getMessage());
      runOnTimerLater(this::recover, 500);
    }
  }

  private void republishDirty() {
    for (DispatcherKeyword kw : keywords.values()) {
      kw.republish(false);
    }
  }

  private void stopServing(String reason) {
    log.error(reason);
    stopReason = reason;
    state = State.FAILED;
    if (modifySubscription != null) {
      modifySubscription.close();
    }
    for (DispatcherKeyword kw : keywords.values()) {
      kw.stopPeriodic();
    }
    timers.forEach(t -> t.cancel(false));
    notifyStopped(reason);
  }

  private void notifyStopped(String reason) {
    for (Consumer<String> l : stopListeners) {
      try {
        l.accept(reason);
      } catch (RuntimeException e) {
        log.warn("stop listener failed: {}", e.toString());
      }
    }
    stopped.countDown();
  }

  private void applyInitialValue(DispatcherKeyword kw) {
    if (kw.isBuiltIn()) {
      return;
    }
    KeywordDefinition d = kw.definition();
    if (d.useCache() && kw.value().isPresent()) {
      return; // the value already in Redis wins: a restart resumes where it stopped
    }
    if (d.initialValue().isPresent()) {
      kw.set(d.initialValue().get());
    }
  }

  /** Waits until every keyword's queued stores have run. */
  private void awaitFlushed(Duration timeout) throws InterruptedException {
    awaitQueues(kw -> kw.writes, timeout);
  }

  /** Waits (bounded) until every task queued now on each keyword's chosen queue has run. */
  private void awaitQueues(java.util.function.Function<DispatcherKeyword, SerialExecutor> queue, Duration timeout)
      throws InterruptedException {
    if (workers.isShutdown()) {
      return;
    }
    List<CompletableFuture<Void>> barriers = new ArrayList<>();
    for (DispatcherKeyword kw : keywords.values()) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      queue.apply(kw).execute(() -> f.complete(null));
      barriers.add(f);
    }
    try {
      CompletableFuture.allOf(barriers.toArray(new CompletableFuture[0])).get(Math.max(1, timeout.toMillis()),
          TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      log.warn("service {}: requests or stores still pending after {} ms", name, timeout.toMillis());
    }
  }

  /**
   * Stops serving: stops accepting requests, finishes running writes (bounded by the configured wait), sets
   * the status keyword to {@code stopping}, releases the lease and stops every thread it started. The last
   * values stay in Redis. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (state == State.STOPPED || state == State.NEW || state == State.FAILED) {
      // never started, failed to start, or stopped serving (lease lost): only threads are left to stop
      if (modifySubscription != null) {
        modifySubscription.close();
      }
      if (hub != null) {
        hub.removeConnectionListener(connectionListener);
      }
      state = State.STOPPED;
      shutdownThreads();
      SharedPool.forget(this);
      stopped.countDown();
      return;
    }
    boolean wasServing = state == State.READY;
    state = State.STOPPING;
    log.info("service {}: stopping", name);
    if (modifySubscription != null) {
      modifySubscription.close(); // nothing new arrives; what arrived is still served below
    }
    if (hub != null) {
      hub.removeConnectionListener(connectionListener);
    }
    for (DispatcherKeyword kw : keywords.values()) {
      kw.stopPeriodic();
    }
    long deadline = System.nanoTime() + config.shutdownWait().toNanos();
    try {
      // in order: requests being validated hand their writes to the write queues, then the writes finish
      awaitQueues(kw -> kw.intake, remaining(deadline));
      awaitQueues(kw -> kw.writes, remaining(deadline));
      timers.forEach(t -> t.cancel(false));
      if (wasServing) {
        status.set("stopping");
        awaitQueues(kw -> kw.writes, Duration.ofMillis(Math.max(remaining(deadline).toMillis(), 1000)));
        leaseKeeper.release(endpoint.commands());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("service {}: could not finish cleanly with Redis ({}); the lease will expire by itself", name,
          e.getMessage());
    }
    timers.forEach(t -> t.cancel(false));
    shutdownThreads();
    SharedPool.forget(this);
    state = State.STOPPED;
    if (stopReason == null) {
      stopReason = "closed";
      notifyStopped("closed");
    }
    log.info("service {}: stopped", name);
  }

  private static Duration remaining(long deadlineNanos) {
    return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
  }

  private void shutdownThreads() {
    timer.shutdownNow();
    checkers.shutdown();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(config.shutdownWait().toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("service {}: writes still running after {} ms; interrupting them", name,
            config.shutdownWait().toMillis());
        workers.shutdownNow();
      }
      checkers.awaitTermination(1, TimeUnit.SECONDS);
      timer.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    checkers.shutdownNow();
    workers.shutdownNow();
  }

  private void runOnTimer(Runnable r) {
    try {
      timer.execute(r);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // stopping
    }
  }

  private void runOnTimerLater(Runnable r, long ms) {
    try {
      timer.schedule(r, ms, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // stopping
    }
  }

  private DispatcherKeyword newKeyword(KeywordDefinition d, boolean builtIn) {
    return new DispatcherKeyword(this, d, new SerialExecutor(checkers, name + "." + d.name() + " intake"),
        new SerialExecutor(workers, name + "." + d.name() + " writes"), builtIn);
  }

  private ThreadPoolExecutor pool(int size, String role) {
    ThreadPoolExecutor p = new ThreadPoolExecutor(size, size, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        factory(role, new AtomicInteger()));
    p.allowCoreThreadTimeOut(true);
    return p;
  }

  private ThreadFactory factory(String role, AtomicInteger n) {
    String base = "ktl-" + name + "-" + role;
    return r -> {
      Thread t = new Thread(r, role.equals("timer") ? base : base + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KtlException("interrupted while waiting for the lease");
    }
  }

  @Override
  public String toString() {
    return "DispatcherService[" + name + ", " + state + "]";
  }

  /** Builds a {@link DispatcherService}. Not thread-safe; use from one thread. */
  public static final class Builder {
    private final String service;
    private final List<KeywordDefinition> definitions = new ArrayList<>();
    private final List<ServiceSetup> setups = new ArrayList<>();
    private DispatcherConfig config = DispatcherConfig.defaults();
    private RedisEndpoint endpoint;

    private Builder(String service) {
      this.service = Names.service(service);
    }

    /**
     * Adds the keywords of a KTL XML bundle.
     *
     * @throws KtlXmlException naming file, line, keyword and problem
     * @throws java.io.IOException if the file cannot be read
     */
    public Builder bundle(Path xml) throws KtlXmlException, java.io.IOException {
      Bundle b = KtlXmlBundle.load(xml);
      definitions.addAll(b.keywords());
      return this;
    }

    /** Adds the keywords of an already loaded bundle (for example one read from a classpath resource). */
    public Builder bundle(Bundle b) {
      definitions.addAll(b.keywords());
      return this;
    }

    /** Adds keyword definitions. */
    public Builder definitions(Collection<KeywordDefinition> defs) {
      definitions.addAll(defs);
      return this;
    }

    /** Adds one keyword definition. */
    public Builder keyword(KeywordDefinition def) {
      definitions.add(Objects.requireNonNull(def));
      return this;
    }

    /** Adds a setup callback, run by {@link #build()} to attach behaviour. */
    public Builder setup(ServiceSetup setup) {
      setups.add(Objects.requireNonNull(setup));
      return this;
    }

    /** Sets the configuration (default {@link DispatcherConfig#defaults()}). */
    public Builder config(DispatcherConfig c) {
      this.config = Objects.requireNonNull(c);
      return this;
    }

    /** Uses this Redis endpoint instead of the process's shared pool. The caller keeps ownership. */
    public Builder endpoint(RedisEndpoint e) {
      this.endpoint = Objects.requireNonNull(e);
      return this;
    }

    /**
     * Builds the service and runs the setup callbacks. Nothing touches Redis until
     * {@link DispatcherService#start()}.
     *
     * @throws IllegalArgumentException for a duplicate or conflicting keyword, or a failing setup
     */
    public DispatcherService build() {
      DispatcherService s = new DispatcherService(this);
      for (ServiceSetup setup : setups) {
        try {
          setup.setup(s);
        } catch (Exception e) {
          s.shutdownThreads();
          throw new IllegalArgumentException("service " + s.name + ": setup " + setup.getClass().getName()
              + " failed: " + ModifyHandler.reason(e), e);
        }
      }
      return s;
    }
  }
}
