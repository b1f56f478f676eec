package org.ktl4j.dispatcher;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.type.InvalidValueException;
import org.ktl4j.type.KeywordType;

/**
 * One keyword as its dispatcher owns it: its definition, its current value, and the behaviour attached to it.
 *
 * <p>Dispatcher code calls {@link #set(String)} to publish a new value (validated like a write; a bad value
 * is an {@link IllegalArgumentException} in the caller). Setting never blocks on Redis: the value becomes
 * current at once and is stored and broadcast in the background, in order with MODIFY writes of the same
 * keyword, with the time of its {@code set} as its timestamp. Values set while the keyword's previous store is in
 * flight coalesce: the next store writes the latest, and raises {@code seq} by the number of values it stands for, so
 * that a subscriber counts them as it counts coalesced broadcasts (a jump in {@code seq}). Values set while Redis is
 * unreachable are kept the same way and stored when it returns.
 *
 * <p>Thread-safe. Cost of {@code set}: one validation and one clock reading; one store round trip per keyword at a
 * time, whatever the rate of {@code set}.
 */
public final class DispatcherKeyword {
  private final DispatcherService service;
  private final KeywordDefinition definition;
  private final KeywordType type;
  private final String name;
  final SerialExecutor intake;
  final SerialExecutor writes;
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final AtomicBoolean retryScheduled = new AtomicBoolean();
  private static final long FIRST_RETRY_MS = 500;
  private static final long MAX_RETRY_MS = 5000;
  private volatile long retryMs = FIRST_RETRY_MS; // written on this keyword's write queue only
  /**
   * Held around every store of this keyword, so that Redis sees its values in the order they became current. A
   * permit, not a lock: a store sent from the pub/sub reader thread ({@link DirectStores}) holds it until its answer
   * is read on another thread, which releases it. Fair: a waiting store is never overtaken.
   */
  private final Semaphore storePermit = new Semaphore(1, true);
  private final AtomicLong seq = new AtomicLong();
  private final boolean builtIn;

  private volatile KeywordBehavior behavior;
  private volatile String current;
  private volatile Duration period;
  private ScheduledFuture<?> periodic;
  // guarded by this
  private long generation; // +1 for every value set from code
  private String pending;
  private boolean pendingForce;
  private long pendingMicros; // when pending was set
  private long pendingCount; // values set since the last store, pending the latest of them
  private boolean dirty;
  /**
   * MODIFY requests validated and waiting to be stored together (ModifyHandler): a store task is queued on the intake
   * queue whenever it stops being empty. Touched only from this keyword's intake queue, one task at a time; bounded
   * by admission (at most the per-keyword queue limit).
   */
  final ArrayDeque<ModifyStores.Ready> ready = new ArrayDeque<>();
  /** The size of {@link #ready}, readable from any thread (admission, shutdown). */
  final AtomicInteger readyCount = new AtomicInteger();

  DispatcherKeyword(DispatcherService service, KeywordDefinition definition, SerialExecutor intake,
      SerialExecutor writes, boolean builtIn) {
    this.service = service;
    this.definition = definition;
    this.type = KeywordType.of(service.name(), definition);
    this.name = definition.name();
    this.intake = intake;
    this.writes = writes;
    this.builtIn = builtIn;
  }

  /** The keyword name (uppercase). */
  public String name() {
    return name;
  }

  /** Its definition. */
  public KeywordDefinition definition() {
    return definition;
  }

  /** Its type, for conversions. */
  public KeywordType type() {
    return type;
  }

  /**
   * The current value in canonical ascii form, or empty if it has never been set. A value written by a client becomes
   * current here when the dispatcher reads its store's answer, which may be a moment after the writer was told
   * {@code done} (the store script publishes {@code done} itself, in the same step as the store): code that must see
   * a write the instant it is done keeps the value in its write hook, which runs before the store.
   */
  public Optional<String> value() {
    return Optional.ofNullable(current);
  }

  /** The current value in binary form, or empty if it has never been set. */
  public Optional<Object> binaryValue() {
    String c = current;
    if (c == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(type.toBinary(c));
    } catch (InvalidValueException e) {
      return Optional.empty();
    }
  }

  /** The sequence number of the last value stored in Redis (0 if none yet). */
  public long seq() {
    return seq.get();
  }

  /** Attaches behaviour (replacing any previous one). Returns this keyword. */
  public DispatcherKeyword behavior(KeywordBehavior b) {
    this.behavior = Objects.requireNonNull(b, "behavior");
    return this;
  }

  /** Attaches a {@code check} hook, keeping any other hooks. */
  public DispatcherKeyword onCheck(KeywordBehavior.Hook check) {
    return behavior(compose(check, null, null));
  }

  /** Attaches a {@code write} hook, keeping any other hooks. */
  public DispatcherKeyword onWrite(KeywordBehavior.Hook write) {
    return behavior(compose(null, write, null));
  }

  /** Attaches a {@code read} hook (used by {@link #update()} and periodic updates), keeping any other hooks. */
  public DispatcherKeyword onRead(KeywordBehavior.Reader read) {
    return behavior(compose(null, null, read));
  }

  /**
   * Calls the {@code read} hook every {@code every} (null or zero stops it), storing the value it returns when
   * it changed. At start-up every periodic keyword is updated once before the dispatcher reports {@code ready};
   * set on a running dispatcher, the first update comes after one period. Periodic updates run in order with
   * writes of this keyword, and one that finds the previous still running is skipped.
   */
  public synchronized DispatcherKeyword period(Duration every) {
    this.period = every == null || every.isZero() || every.isNegative() ? null : every;
    if (periodic != null) {
      periodic.cancel(false);
      periodic = null;
    }
    if (every != null && !every.isZero() && !every.isNegative() && service.isRunning()) {
      periodic = service.threads.schedulePeriodic(this, every);
    }
    return this;
  }

  /** The update period, if any. */
  public Optional<Duration> period() {
    return Optional.ofNullable(period);
  }

  /** Runs the {@code read} hook now (in order with writes of this keyword); completes when done. */
  public CompletableFuture<Void> update() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    writes.execute(() -> {
      try {
        runRead();
        f.complete(null);
      } catch (Exception e) {
        f.completeExceptionally(e);
      }
    });
    return f;
  }

  /**
   * Sets the value from dispatcher code, in ascii form. Stored and broadcast unless it equals the current
   * value.
   *
   * @throws IllegalArgumentException naming service, keyword, value and reason if the value is invalid
   */
  public void set(String ascii) {
    set(ascii, false);
  }

  /**
   * Sets the value from dispatcher code; with {@code force}, it is stored and broadcast even when unchanged.
   *
   * @throws IllegalArgumentException naming service, keyword, value and reason if the value is invalid
   */
  public void set(String ascii, boolean force) {
    String canonical;
    try {
      canonical = type.canonicalize(ascii);
    } catch (InvalidValueException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    accept(canonical, force);
  }

  /**
   * Sets the value from dispatcher code, in binary form ({@code Boolean}, a {@code Number}, {@code String},
   * or a primitive array, as the type allows).
   *
   * @throws IllegalArgumentException naming service, keyword, value and reason if the value is invalid
   */
  public void setBinary(Object binary) {
    String canonical;
    try {
      canonical = type.fromBinary(binary);
    } catch (InvalidValueException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    accept(canonical, false);
  }

  private void accept(String canonical, boolean force) {
    synchronized (this) {
      if (!force && canonical.equals(current)) {
        return;
      }
      current = canonical;
      pending = canonical;
      pendingForce |= force;
      pendingMicros = nowMicros();
      pendingCount++;
      generation++;
    }
    scheduleFlush();
  }

  private static long nowMicros() {
    java.time.Instant t = java.time.Instant.now();
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }

  /**
   * Tries the pending value's store again after a pause that doubles up to {@value #MAX_RETRY_MS} ms while stores of
   * this keyword keep failing (Redis slow or unreachable while the lease is still held); one retry at a time.
   */
  private void retryLater() {
    if (!retryScheduled.compareAndSet(false, true)) {
      return;
    }
    long wait = retryMs;
    retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
    service.threads.onTimerLater(() -> {
      retryScheduled.set(false);
      scheduleFlush();
    }, wait);
  }

  void scheduleFlush() {
    if (flushScheduled.compareAndSet(false, true)) {
      writes.execute(this::flush);
    }
  }

  /** Stores the latest value set from code, if any (runs on this keyword's write queue). */
  void flush() {
    flushScheduled.set(false);
    if (!service.mayStore()) {
      synchronized (this) {
        dirty = pending != null || dirty; // kept: stored once the lease is held again (or never, if lost)
      }
      return; // the value stays current (and pending) in memory; this dispatcher does not write to Redis now
    }
    storePermit.acquireUninterruptibly();
    try {
      String v;
      boolean force;
      long micros;
      long count;
      synchronized (this) {
        v = pending;
        force = pendingForce;
        micros = pendingMicros;
        count = pendingCount;
        pending = null;
        pendingForce = false;
        pendingCount = 0;
      }
      if (v == null) {
        return;
      }
      if (!service.stores.storeFromCode(this, v, micros, Math.max(1, count), force)) {
        synchronized (this) {
          if (pending == null && v.equals(current)) {
            pending = v; // still the latest: keep it for when Redis is back
            pendingForce = force;
            pendingMicros = micros;
          }
          pendingCount += count; // still to be counted by the next store
          dirty = true;
        }
        retryLater(); // not only at the next set() or reconnection: a value set once must reach Redis
      } else {
        retryMs = FIRST_RETRY_MS;
      }
    } finally {
      storePermit.release();
    }
  }

  /** Locks this keyword's stores (a MODIFY store makes its value current and stores it under this lock). */
  void lockStores() {
    storePermit.acquireUninterruptibly();
  }

  /** Locks this keyword's stores if no store holds them now and none waits for them; never waits. */
  boolean tryLockStores() {
    try {
      return storePermit.tryAcquire(0, TimeUnit.NANOSECONDS); // unlike tryAcquire(), honours the waiters' turn
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Releases this keyword's stores: exactly once per {@link #lockStores()} or successful {@link #tryLockStores()}. */
  void unlockStores() {
    storePermit.release();
  }

  /** The number of values set from code so far; a MODIFY store notes it before it starts. */
  synchronized long generation() {
    return generation;
  }

  /**
   * A MODIFY stored {@code ascii} as {@code newSeq}: it becomes current and supersedes a value set from code
   * before the store began; a value set from code while it was being stored is newer and stays current (and is
   * stored next). Until a store succeeds, the current value stays the last stored one.
   */
  void storedModify(String ascii, long newSeq, long generationAtStart) {
    synchronized (this) {
      if (generation == generationAtStart) {
        current = ascii;
        pending = null; // set before this MODIFY's store began: superseded
        pendingForce = false;
        pendingCount = 0;
      }
    }
    stored(newSeq);
  }

  /** After Redis came back: store the current value again if it may be missing or stale there. */
  void republish(boolean everything) {
    synchronized (this) {
      if (current == null || (!everything && !dirty && pending == null)) {
        return;
      }
      dirty = false;
      if (pending == null) {
        pending = current;
        pendingForce = everything;
        pendingMicros = nowMicros();
      }
    }
    scheduleFlush();
  }

  synchronized void markDirty() {
    dirty = true;
  }

  void stored(long newSeq) {
    seq.accumulateAndGet(newSeq, Math::max);
  }

  /** Initial state from Redis and the definition (start-up, before serving). */
  synchronized void initialise(String storedAscii, long storedSeq) {
    seq.accumulateAndGet(storedSeq, Math::max);
    if (storedAscii != null) {
      current = storedAscii;
    }
  }

  void runRead() throws Exception {
    KeywordBehavior b = behavior;
    if (b == null) {
      return;
    }
    Object v = b.read();
    if (v == null) {
      return;
    }
    if (v instanceof String s) {
      set(s);
    } else {
      setBinary(v);
    }
  }

  KeywordBehavior behaviorOrNull() {
    return behavior;
  }

  boolean isBuiltIn() {
    return builtIn;
  }

  synchronized void startPeriodic() {
    if (period != null && periodic == null && !period.isZero() && !period.isNegative()) {
      periodic = service.threads.schedulePeriodic(this, period);
    }
  }

  synchronized void stopPeriodic() {
    if (periodic != null) {
      periodic.cancel(false);
      periodic = null;
    }
  }

  private KeywordBehavior compose(KeywordBehavior.Hook check, KeywordBehavior.Hook write, KeywordBehavior.Reader read) {
    KeywordBehavior old = behavior;
    KeywordBehavior.Hook c = check != null ? check : old == null ? null : old::check;
    KeywordBehavior.Hook w = write != null ? write : old == null || !old.hasWrite() ? null : old::write;
    KeywordBehavior.Reader r = read != null ? read : old == null ? null : old::read;
    return new KeywordBehavior() {
      @Override
      public void check(NewValue value) throws Exception {
        if (c != null) {
          c.run(value);
        }
      }

      @Override
      public void write(NewValue value) throws Exception {
        if (w != null) {
          w.run(value);
        }
      }

      @Override
      public Object read() throws Exception {
        return r == null ? null : r.read();
      }

      @Override
      public boolean hasWrite() {
        return w != null;
      }
    };
  }

  @Override
  public String toString() {
    return service.name() + "." + name;
  }
}
