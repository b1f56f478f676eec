package org.ktl4j.dispatcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
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
import org.ktl4j.redis.PubSub;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.SharedPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

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
 * <p>It acts only while it provably holds its lease ({@link LeaseKeeper}); when another dispatcher is found
 * holding it, it stops serving for good, says why ({@link #stopReason()}, {@link #onStop}) and waits to be
 * closed: a stale dispatcher never becomes a standby by itself. This class is a facade over parts found by
 * name: {@link StartupSequence}, {@link ShutdownSequence}, {@link LeaseKeeper} (lease and fencing), {@link Recovery},
 * {@link DispatcherThreads}, {@link KeywordRegistry}, {@link ModifyHandler} and {@link ValueStore} (the MODIFY
 * and store paths), {@link BroadcastWatch}. Thread-safe.
 */
public final class DispatcherService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DispatcherService.class);
  static final String VERSION = "0.2.0";

  /** Lifecycle states. */
  public enum State { NEW, STARTING, READY, STOPPING, STOPPED, FAILED }

  final String name;
  final Keys keys;
  final DispatcherConfig config;
  final RedisEndpoint endpoint;
  final KeywordRegistry registry;
  final DispatcherThreads threads;
  final LeaseKeeper lease;
  final ValueStore stores;
  final ImmediateReplies replies;
  final RefusalLog refusals;
  final ModifyHandler handler;
  final RedisState redisState;
  final Recovery recovery;
  final BroadcastWatch broadcasts;
  private final List<Consumer<String>> stopListeners = new CopyOnWriteArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean renewalQueued = new AtomicBoolean();
  final List<ScheduledFuture<?>> timers = new ArrayList<>();
  final PubSub.ConnectionListener connectionListener = new PubSub.ConnectionListener() {
    @Override
    public void onConnected(boolean reconnect, Predicate<String> affects) {
      if (reconnect && affects.test(name)) { // on a cluster: this service's node, or its slot moved
        threads.onTimer(DispatcherService.this::publishFenceMarker);
        recovery.schedule();
      }
    }

    @Override
    public void onDisconnected(String reason, Predicate<String> affects) {
      if (affects.test(name)) { // the hub has logged the cause (one line per loss); this says what it means here
        log.debug("service {}: requests cannot arrive until the pub/sub connection is back ({})", name, reason);
      }
    }
  };

  private volatile State state = State.NEW;
  private final Object stateLock = new Object(); // guards the transitions to READY, FAILED and STOPPING
  private volatile String stopReason;
  PubSub.Registration modifySubscription;
  PubSub hub; // the pub/sub connection(s) subscribed on, once start() got that far

  private DispatcherService(Builder b) {
    this.name = Names.service(b.service);
    this.keys = Keys.of(name);
    this.config = b.config;
    this.endpoint = b.endpoint != null ? b.endpoint : SharedPool.endpoint();
    config.durability().checkWithin(endpoint.settings().timeout(), name);
    this.threads = new DispatcherThreads(name, config);
    this.registry = new KeywordRegistry(name, b.definitions, config, (d, builtIn) -> new DispatcherKeyword(this, d,
        new SerialExecutor(threads.checkers, name + "." + d.name() + " intake"),
        new SerialExecutor(threads.workers, name + "." + d.name() + " writes"), builtIn));
    DispatcherLease id = new DispatcherLease(ProcessIdentity.id() + "-" + name, ProcessIdentity.host(),
        ProcessIdentity.pid(), VERSION, StoredValue.now());
    this.lease = new LeaseKeeper(name, keys.lease(), id, config.leaseTtl(), endpoint);
    this.redisState = new RedisState(name, keys, endpoint);
    // a store may run late only within twice the command timeout; past it Redis refuses it, so it can be settled
    Duration window = endpoint.settings().timeout().multipliedBy(2);
    this.stores = new ValueStore(this, endpoint, keys, lease, window, config.historyLength());
    this.refusals = new RefusalLog(name);
    this.replies = new ImmediateReplies(name, endpoint, refusals);
    this.handler = new ModifyHandler(this, lease, stores, replies, refusals, config,
        window.plus(endpoint.settings().timeout()).plusSeconds(5).toNanos());
    this.recovery = new Recovery(this, redisState, registry, threads, endpoint, lease, config.checkNotifications());
    this.broadcasts = new BroadcastWatch(this, endpoint, keys, registry, config.checkNotifications());
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
    return registry.get(keyword);
  }

  /** Every keyword, built-ins included, in definition order. */
  public Collection<DispatcherKeyword> keywords() {
    return registry.all();
  }

  /** The heartbeat keyword. */
  public DispatcherKeyword heartbeatKeyword() {
    return registry.heartbeat();
  }

  /** The status keyword. */
  public DispatcherKeyword statusKeyword() {
    return registry.status();
  }

  /** Why the dispatcher stopped serving, once it has. */
  public Optional<String> stopReason() {
    return Optional.ofNullable(stopReason);
  }

  /** True while keyspace notifications are known to be off on the server (status {@code broadcasts-off}). */
  public boolean broadcastsOff() {
    return broadcasts.broadcastsOff();
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
      new StartupSequence(this).run();
      synchronized (stateLock) { // a lost lease (stopServing) between the check and the set would be overwritten
        if (state == State.FAILED) {
          throw new UnavailableException(stopReason);
        }
        state = State.READY;
      }
      registry.status().set("ready");
      registry.awaitQueues(kw -> kw.writes, config.leaseTtl());
      log.info("service {}: ready with {} keywords on {} (dispatcher {})", name, registry.size(),
          endpoint.settings().redactedUrl(), lease.value());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abortStart();
      throw new org.ktl4j.KtlException("service " + name + ": start-up interrupted");
    } catch (RuntimeException e) {
      abortStart();
      throw e;
    }
  }

  private void abortStart() {
    state = State.FAILED;
    unsubscribe();
    handler.closeDirect();
    threads.shutdown(config.shutdownWait());
    replies.close();
    refusals.summarize();
    SharedPool.forget(this);
    stopped.countDown();
  }

  /** Looks a keyword up by its name as received; null if there is none. */
  DispatcherKeyword lookup(String keyword) {
    return registry.lookup(keyword);
  }

  RedisEndpoint endpoint() {
    return endpoint;
  }

  boolean isRunning() {
    return state == State.READY || state == State.STARTING;
  }

  /** Whether this dispatcher serves requests (false once its lease was lost or it stopped). */
  boolean isServing() {
    State s = state;
    return s == State.STARTING || s == State.READY || s == State.STOPPING;
  }

  /** Whether it may write to Redis now: serving, and the lease provably held. */
  boolean mayStore() {
    return isServing() && lease.holds();
  }

  /** The lease is missing in Redis: renew (which takes it again) on the lease thread, once. */
  void leaseMissing() {
    if (renewalQueued.compareAndSet(false, true)) {
      threads.onLeaseThread(() -> {
        renewalQueued.set(false);
        lease.renewQuietly();
      });
    }
  }

  /** Another dispatcher holds the lease: stop serving for good. */
  void leaseTaken(String how) {
    lease.markLost();
    if (isServing()) {
      stopServing("service " + name + ": the lease was taken by " + lease.holderQuietly() + " (" + how
          + "; this dispatcher was paused or cut off for longer than the lease TTL); it stopped serving and "
          + "waits to be closed");
    }
  }

  /** The lease thread's view of the lease: fence the handler, heal, or stop. */
  LeaseKeeper.Events leaseEvents() {
    return new LeaseKeeper.Events() {
      @Override
      public void beforeRegain(int newTerm) {
        // random: anyone may read the lease, and a marker someone could predict and publish early would reopen
        // the fence before the messages of the lapse are through
        handler.awaitMarker(ModifyHandler.fenceMarker(newTerm));
      }

      @Override
      public void regained(boolean retaken) {
        log.warn("service {}: lease {} after a lapse; serving again", name, retaken ? "taken again" : "renewed");
        publishFenceMarker();
        recovery.schedule();
      }

      @Override
      public void lost(String holder) {
        leaseTaken("found at lease renewal");
      }
    };
  }

  /**
   * Publishes the fence marker the handler still waits for, if any. Called when the lease is regained, when
   * the pub/sub connection is back, and every heartbeat until the marker has come back: a publish that reached
   * nobody (our own subscription not yet restored) must be repeated, or the dispatcher would stay deaf.
   */
  void publishFenceMarker() {
    handler.awaitedMarker().ifPresent(m -> {
      try {
        endpoint.publish(keys.modifyChannel(), m);
      } catch (JedisException | IllegalStateException e) {
        log.debug("service {}: could not publish the fence marker ({}); retried at the next heartbeat", name,
            e.getMessage());
      }
    });
  }

  void stopServing(String reason) {
    synchronized (stateLock) { // once: several workers may learn of a taken lease at the same moment
      if (state == State.FAILED || state == State.STOPPED) {
        return;
      }
      stopReason = reason;
      state = State.FAILED;
    }
    log.error(reason);
    unsubscribe();
    for (DispatcherKeyword kw : registry.all()) {
      kw.stopPeriodic();
    }
    timers.forEach(t -> t.cancel(false));
    refusals.summarize(); // what was only counted is still told
    notifyStopped(reason);
  }

  private void unsubscribe() {
    if (modifySubscription != null) {
      modifySubscription.close();
    }
    broadcasts.stop();
    if (hub != null) {
      hub.removeConnectionListener(connectionListener);
    }
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

  /**
   * Stops serving: stops accepting requests, finishes running writes (bounded by the configured wait), sets
   * the status keyword to {@code stopping}, releases the lease and stops every thread it started. The last
   * values stay in Redis. Idempotent.
   */
  @Override
  public synchronized void close() {
    boolean wasServing;
    synchronized (stateLock) {
      wasServing = state == State.READY;
      if (state != State.STOPPED && state != State.NEW && state != State.FAILED) {
        state = State.STOPPING;
      }
    }
    if (state != State.STOPPING) {
      // never started, failed to start, or stopped serving (lease lost): only threads are left to stop
      unsubscribe();
      state = State.STOPPED;
      handler.closeDirect();
      threads.shutdown(config.shutdownWait());
      replies.close();
      SharedPool.forget(this);
      stopped.countDown();
      return;
    }
    log.info("service {}: stopping", name);
    unsubscribe(); // nothing new arrives; what arrived is still served by the shutdown sequence
    new ShutdownSequence(this).run(wasServing);
    timers.forEach(t -> t.cancel(false));
    handler.closeDirect();
    threads.shutdown(config.shutdownWait());
    replies.close();
    refusals.summarize();
    SharedPool.forget(this);
    state = State.STOPPED;
    if (stopReason == null) {
      stopReason = "closed";
      notifyStopped("closed");
    }
    log.info("service {}: stopped", name);
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
          s.handler.closeDirect();
          s.threads.shutdown(Duration.ZERO);
          s.replies.close();
          throw new IllegalArgumentException("service " + s.name + ": setup " + setup.getClass().getName()
              + " failed: " + ModifyHandler.reason(e), e);
        }
      }
      return s;
    }
  }
}
