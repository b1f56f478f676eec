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
import java.util.ArrayList;
import java.util.List;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.protocol.StoreScript;
import org.ktl4j.type.InvalidValueException;
import org.ktl4j.type.KeywordType;

/**
 * One keyword as its dispatcher owns it: its definition, its current value, and the behaviour attached to it.
 *
 * <p>Dispatcher code calls {@link #set(String)} to publish a new value (validated like a write; a bad value
 * is an {@link IllegalArgumentException} in the caller). Setting never blocks on Redis: the value becomes
 * current at once and is stored and broadcast in the background, in order with MODIFY writes of the same
 * keyword. Every value is stored, each with its own {@code seq} and timestamp (the time of the {@code set}):
 * values set while a store is in flight wait, and are then stored together in one round trip. At most
 * {@value #MAX_WAITING} values (and about {@value #MAX_WAITING_CHARS} characters) wait; beyond that the oldest
 * waiting value is dropped (counted by {@link #valuesDropped()}), so the newest is always stored. While Redis is
 * unreachable only the latest value is kept, and stored when it returns.
 *
 * <p>Thread-safe. Cost of {@code set}: one validation and one clock reading; one store round trip per keyword at a
 * time, whatever the rate of {@code set}.
 */
public final class DispatcherKeyword {
  /** How many values set from code may wait for their store; beyond it the oldest waiting one is dropped. */
  public static final int MAX_WAITING = 512;
  /** How many characters of values set from code may wait; beyond it the oldest waiting ones are dropped. */
  public static final int MAX_WAITING_CHARS = 1 << 20;
  /** Values stored in one script call (a flush of many values makes several calls, in order). */
  private static final int SERIES_CHUNK = 256;
  private static final int SERIES_CHUNK_CHARS = 256 * 1024;

  private final DispatcherService service;
  private final KeywordDefinition definition;
  private final KeywordType type;
  private final String name;
  final SerialExecutor intake;
  final SerialExecutor writes;
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  /**
   * Held around every store of this keyword, so that Redis sees its values in the order they became current. A
   * permit, not a lock: a store sent from the pub/sub reader thread ({@link DirectStores}) holds it until its answer
   * is read on another thread, which releases it.
   */
  private final Semaphore storePermit = new Semaphore(1);
  private final AtomicLong seq = new AtomicLong();
  private final boolean builtIn;

  private volatile KeywordBehavior behavior;
  private volatile String current;
  private volatile Duration period;
  private ScheduledFuture<?> periodic;
  // guarded by this
  private long generation; // +1 for every value set from code
  /** Values set from code and not yet stored, oldest first (at most MAX_WAITING / MAX_WAITING_CHARS). */
  private final ArrayDeque<StoreScript.SeriesValue> waiting = new ArrayDeque<>();
  private long waitingChars;
  private long dropped;
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

  /** The current value in canonical ascii form, or empty if it has never been set. */
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

  /**
   * How many values set from code were never stored because newer ones were set faster than Redis took them
   * ({@value #MAX_WAITING} already waiting), while Redis was unreachable, or because a MODIFY stored a newer value
   * first. The newest value is never dropped.
   */
  public synchronized long valuesDropped() {
    return dropped;
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
      enqueue(new StoreScript.SeriesValue(canonical, nowMicros(), force));
      generation++;
    }
    scheduleFlush();
  }

  private static long nowMicros() {
    java.time.Instant t = java.time.Instant.now();
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }

  // guarded by this
  private void enqueue(StoreScript.SeriesValue v) {
    waiting.addLast(v);
    waitingChars += v.ascii().length();
    while (waiting.size() > MAX_WAITING || (waitingChars > MAX_WAITING_CHARS && waiting.size() > 1)) {
      waitingChars -= waiting.removeFirst().ascii().length();
      dropped++;
    }
  }

  // guarded by this
  private void clearWaiting() {
    waiting.clear();
    waitingChars = 0;
  }

  void scheduleFlush() {
    if (flushScheduled.compareAndSet(false, true)) {
      writes.execute(this::flush);
    }
  }

  /** Stores the values set from code that wait, in order (runs on this keyword's write queue). */
  void flush() {
    flushScheduled.set(false);
    if (!service.mayStore()) {
      synchronized (this) {
        dirty = !waiting.isEmpty() || dirty; // kept: stored once the lease is held again (or never, if lost)
        keepOnlyLatest();
      }
      return; // the value stays current (and waiting) in memory; this dispatcher does not write to Redis now
    }
    storePermit.acquireUninterruptibly();
    try {
      List<StoreScript.SeriesValue> values;
      synchronized (this) {
        if (waiting.isEmpty()) {
          return;
        }
        values = new ArrayList<>(waiting);
        clearWaiting();
      }
      int from = 0;
      while (from < values.size()) {
        int to = chunkEnd(values, from);
        if (!service.stores.storeFromCode(this, values.subList(from, to))) {
          StoreScript.SeriesValue last = values.get(values.size() - 1);
          synchronized (this) {
            int kept = 0;
            if (waiting.isEmpty() && last.ascii().equals(current)) {
              waiting.add(last); // still the latest: keep it for when Redis is back
              waitingChars = last.ascii().length();
              kept = 1;
            }
            dropped += values.size() - from - kept;
            dirty = true;
          }
          return;
        }
        from = to;
      }
    } finally {
      storePermit.release();
    }
  }

  private static int chunkEnd(List<StoreScript.SeriesValue> values, int from) {
    int to = from;
    long chars = 0;
    while (to < values.size() && to - from < SERIES_CHUNK && (to == from || chars < SERIES_CHUNK_CHARS)) {
      chars += values.get(to).ascii().length();
      to++;
    }
    return to;
  }

  // guarded by this: while nothing is stored, only the latest value is worth keeping
  private void keepOnlyLatest() {
    while (waiting.size() > 1) {
      waitingChars -= waiting.removeFirst().ascii().length();
      dropped++;
    }
  }

  /** Locks this keyword's stores (a MODIFY store makes its value current and stores it under this lock). */
  void lockStores() {
    storePermit.acquireUninterruptibly();
  }

  /** Locks this keyword's stores if no store holds them now; never waits. */
  boolean tryLockStores() {
    return storePermit.tryAcquire();
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
        dropped += waiting.size(); // set before this MODIFY's store began: it supersedes them
        clearWaiting();
      }
    }
    stored(newSeq);
  }

  /** After Redis came back: store the current value again if it may be missing or stale there. */
  void republish(boolean everything) {
    synchronized (this) {
      if (current == null || (!everything && !dirty && waiting.isEmpty())) {
        return;
      }
      dirty = false;
      if (waiting.isEmpty()) {
        enqueue(new StoreScript.SeriesValue(current, nowMicros(), everything));
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
