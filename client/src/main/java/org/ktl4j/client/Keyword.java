package org.ktl4j.client;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ktl4j.ErrorCode;
import org.ktl4j.KtlException;
import org.ktl4j.RefusedException;
import org.ktl4j.UnavailableException;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.internal.protocol.ModifyRequest;
import org.ktl4j.internal.protocol.Names;
import org.ktl4j.internal.protocol.StoredValue;
import org.ktl4j.type.InvalidValueException;
import org.ktl4j.type.KeywordType;
import org.ktl4j.type.KtlType;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.StreamEntry;

/**
 * One keyword of a {@link Service}, as a client sees it: its definition, and read, write, wait and subscribe.
 *
 * <p>Reads go straight to Redis (one {@code HMGET}). Writes go to the dispatcher (validated locally first, with
 * the same messages the dispatcher would give) and by default block until {@code done}. Thread-safe; cheap to
 * keep (it holds no connection).
 */
public final class Keyword {
  static final String[] FIELDS = {"ascii", "ts", "seq", "origin"};

  /** Most values one call of {@link #history(int)} returns: {@value}. */
  public static final int MAX_HISTORY = 10_000;

  private final Service service;
  private final KeywordDefinition definition;
  private final KeywordType type;
  private final String key;

  Keyword(Service service, KeywordDefinition definition) {
    this.service = service;
    this.definition = definition;
    this.type = KeywordType.of(service.name(), definition);
    this.key = service.keys().keyword(definition.name());
  }

  /** The service. */
  public Service service() {
    return service;
  }

  /** The keyword name (uppercase). */
  public String name() {
    return definition.name();
  }

  /** {@code service.KEYWORD}. */
  public String fullName() {
    return service.name() + "." + definition.name();
  }

  /** Its definition (type, units, help, range, enumerators, read-only …), as the dispatcher published it. */
  public KeywordDefinition definition() {
    return definition;
  }

  /** Its KTL type. */
  public KtlType type() {
    return definition.type();
  }

  /** Its type's converter, for ascii/binary conversions. */
  public KeywordType converter() {
    return type;
  }

  /** Its units (may be empty). */
  public String units() {
    return definition.units();
  }

  /** Whether writes are refused. */
  public boolean isReadOnly() {
    return definition.readonly();
  }

  /** Reads the current value; empty if the keyword has never been set. One round trip. */
  public Optional<KeywordValue> read() {
    List<String> fields = service.endpoint().call("read " + fullName(), c -> c.hmget(key, FIELDS));
    return Optional.ofNullable(valueOf(fields));
  }

  /**
   * The keyword's last {@code n} stored values, oldest first, from the history its dispatcher keeps in Redis (the
   * last 100 by default; see {@code docs/protocol.md} section 3.5): fewer if fewer were stored or are kept, and empty
   * if none are (a dispatcher started with no history keeps none). Values set by dispatcher code faster than they
   * could be stored appear once per store, so {@code seq} may jump. One round trip ({@code XREVRANGE}); its cost
   * grows with {@code n}.
   *
   * @param n how many, 1 to {@value #MAX_HISTORY}; the values are held in memory at once (a value is at most the
   *          dispatcher's value size limit, 64 KiB by default)
   * @throws IllegalArgumentException if {@code n} is out of range
   * @throws UnavailableException if Redis cannot be reached, or answers with an error (a history key that is not a
   *     stream)
   */
  public List<KeywordValue> history(int n) {
    return history(n, "-");
  }

  /**
   * Like {@link #history(int)}, but only the values stored at or after {@code since} (by the Redis server's clock,
   * to the millisecond).
   */
  public List<KeywordValue> history(int n, Instant since) {
    long ms = since.isBefore(Instant.EPOCH) ? 0
        : since.isAfter(Instant.ofEpochMilli(Long.MAX_VALUE)) ? Long.MAX_VALUE : since.toEpochMilli();
    return history(n, Long.toString(ms));
  }

  private List<KeywordValue> history(int n, String start) {
    if (n < 1 || n > MAX_HISTORY) {
      throw new IllegalArgumentException("cannot read the history of " + fullName() + ": asked for " + n
          + " values; ask for 1 to " + MAX_HISTORY);
    }
    String stream = service.keys().history(name());
    List<StreamEntry> newestFirst = service.endpoint().call("read the history of " + fullName(),
        c -> c.xrevrange(stream, "+", start, n));
    List<KeywordValue> values = new ArrayList<>(newestFirst.size());
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      Map<String, String> f = newestFirst.get(i).getFields();
      KeywordValue v = f == null ? null : valueOf(Arrays.asList(f.get("ascii"), f.get("ts"), f.get("seq"),
          f.get("origin")));
      if (v != null) { // an entry without a value was not written by a dispatcher: not part of the history
        values.add(v);
      }
    }
    return values;
  }

  /**
   * Reads the current ascii value.
   *
   * @throws NeverSetException if it has never been set
   */
  public String readAscii() {
    return read().orElseThrow(this::neverSet).ascii();
  }

  /**
   * Reads the current binary value ({@code Boolean}, {@code Integer}, {@code Long}, {@code Float},
   * {@code Double}, {@code String} or a primitive array).
   *
   * @throws NeverSetException if it has never been set
   */
  public Object readBinary() {
    return read().orElseThrow(this::neverSet).binary();
  }

  /**
   * Writes an ascii value and waits until it is stored, with the default write timeout.
   *
   * @return the stored canonical value and its {@code seq}
   * @throws RefusedException with the dispatcher's (or the local validator's) code and message
   * @throws org.ktl4j.KtlTimeoutException naming the missing stage ({@code ack} or {@code done})
   * @throws UnavailableException if no dispatcher serves the service or Redis cannot be reached
   */
  public WriteResult write(String ascii) {
    return write(ascii, service.config().writeTimeout());
  }

  /** Writes an ascii value and waits at most {@code timeout} for it to be stored; see {@link #write(String)}. */
  public WriteResult write(String ascii, Duration timeout) {
    long start = System.nanoTime(); // the timeout covers everything, the send included
    String canonical = validate(ascii);
    long left = timeout.toNanos() - (System.nanoTime() - start);
    PendingWrite p = send(canonical, true, left, Math.min(service.config().ackTimeout().toNanos(), left));
    Duration ackWait = min(service.config().ackTimeout(), timeout.minusNanos(System.nanoTime() - start));
    try {
      // one wait for done, bounded by the ack deadline first: the writer wakes once, when done arrives (a caching
      // keyword's ack and done come together), and only past the ack deadline does it look whether an ack came
      try {
        return p.done.get(Math.max(1, ackWait.toNanos()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        if (!p.ack.isDone()) {
          service.engine().replies.forget(p);
          throw p.timeout("ack", ackWait);
        }
      }
      left = timeout.toNanos() - (System.nanoTime() - start);
      try {
        return p.done.get(Math.max(1, left), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        service.engine().replies.forget(p);
        throw p.timeout("done", timeout);
      }
    } catch (ExecutionException e) {
      throw PendingWrite.unwrap(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KtlException("interrupted while writing " + fullName());
    }
  }

  /** Writes a binary value and waits until it is stored; see {@link #write(String)}. */
  public WriteResult writeBinary(Object binary) {
    return write(fromBinary(binary));
  }

  /** Writes a binary value and waits at most {@code timeout}; see {@link #write(String)}. */
  public WriteResult writeBinary(Object binary, Duration timeout) {
    return write(fromBinary(binary), timeout);
  }

  /**
   * Sends an ascii write and returns at once with its {@code ack} and {@code done} stages as futures, which
   * time out after the configured ack and write timeouts.
   *
   * @throws RefusedException at once if the value is invalid locally
   * @throws UnavailableException at once if no dispatcher serves the service
   */
  public WriteHandle writeAsync(String ascii) {
    PendingWrite p = send(validate(ascii), true, service.config().writeTimeout().toNanos(),
        service.config().ackTimeout().toNanos());
    service.engine().scheduleTimeouts(p, service.config());
    return new WriteHandle(p, service.engine().completions);
  }

  /** Sends a binary write asynchronously; see {@link #writeAsync(String)}. */
  public WriteHandle writeBinaryAsync(Object binary) {
    return writeAsync(fromBinary(binary));
  }

  /**
   * Sends a write without asking for any reply (fire and forget). Still validated locally, and still fails at
   * once if no dispatcher serves the service.
   */
  public void writeNoWait(String ascii) {
    send(validate(ascii), false, service.config().writeTimeout().toNanos(), 0);
  }

  /**
   * Subscribes with a priming read: the listener first receives the current value (if set), then every update.
   *
   * <p>A subscription never goes deaf. If the keyword's hash is deleted by hand, the listener is not called and
   * {@link Subscription#latest()} becomes empty ("never set") — as soon as Redis reports the deletion, which it
   * does when {@code notify-keyspace-events} includes {@code g}, else with the next value stored. A value whose
   * {@code seq} went backwards (the hash was deleted, or Redis lost its data, and a fresh dispatcher numbers from 1
   * again) is delivered with {@link KeywordUpdate#resync()} true, and later values count from it.
   */
  public Subscription subscribe(KeywordListener listener) {
    return subscribe(listener, true);
  }

  /** Subscribes; with {@code prime}, the current value is delivered first. */
  public Subscription subscribe(KeywordListener listener, boolean prime) {
    Monitors monitors = service.engine().monitors;
    return service.track(monitors.subscribe(this, listener, prime, monitors.defaultActivation()));
  }

  /** Subscribes, waiting at most {@code activation} for the server to confirm the subscription. */
  Subscription subscribe(KeywordListener listener, boolean prime, Duration activation) {
    return service.track(service.engine().monitors.subscribe(this, listener, prime, activation));
  }

  /**
   * Waits until a condition on this keyword holds, e.g. {@code "== ready"}, {@code ">= 45.0"}, {@code "!= 0"}
   * (ascii or binary terms; enumerator labels allowed; see {@link Expression} for the grammar).
   *
   * <p>The current value is evaluated first: a condition that already holds returns true at once, even if no
   * value is ever stored again.
   *
   * @return true if it held within {@code timeout}, false otherwise; never waits longer
   */
  public boolean waitFor(String condition, Duration timeout) {
    return Expression.condition(this, condition).waitFor(timeout);
  }

  /** Canonical ascii form of a value for this keyword, validated as the dispatcher would. */
  String validate(String ascii) {
    if (definition.readonly()) {
      throw new RefusedException(ErrorCode.READ_ONLY, fullName() + " is read-only: value '" + Names.printable(ascii)
          + "' refused", "read-only");
    }
    try {
      return type.canonicalize(ascii);
    } catch (InvalidValueException e) {
      throw new RefusedException(e.code(), e.getMessage(), e.reason());
    }
  }

  private String fromBinary(Object binary) {
    try {
      return type.fromBinary(binary);
    } catch (InvalidValueException e) {
      throw new RefusedException(e.code(), e.getMessage(), e.reason());
    }
  }

  /**
   * Publishes the MODIFY. Its deadline is when this writer stops waiting ({@code waitNanos} from now), and its
   * ack deadline when it stops waiting for the {@code ack} ({@code ackWaitNanos}; 0: none), both on the Redis
   * server's clock: the dispatcher accepts nothing after the one and applies nothing after the other, so a write
   * reported as timed out, at either stage, is never applied later.
   */
  private PendingWrite send(String canonical, boolean withReply, long waitNanos, long ackWaitNanos) {
    ClientEngine engine = service.engine();
    String reply = withReply ? engine.replies.channel(service.keys()) : null;
    PendingWrite p = withReply ? engine.replies.register(service.name(), name(), canonical) : null;
    String id = p != null ? p.id : "nowait-" + System.nanoTime();
    long now = service.endpoint().clock().nowMicros();
    String json = new ModifyRequest(id, name(), canonical, Optional.ofNullable(reply),
        Optional.of(service.config().clientName()),
        OptionalLong.of(now + Math.max(0, waitNanos) / 1000),
        ackWaitNanos > 0 ? OptionalLong.of(now + ackWaitNanos / 1000) : OptionalLong.empty()).toJson();
    if (json.length() > ModifyRequest.MAX_MESSAGE_BYTES / 3
        && json.getBytes(StandardCharsets.UTF_8).length > ModifyRequest.MAX_MESSAGE_BYTES) {
      if (p != null) {
        engine.replies.forget(p);
      }
      throw new RefusedException(ErrorCode.BAD_REQUEST, "cannot write " + fullName() + ": the request would be "
          + json.getBytes(StandardCharsets.UTF_8).length + " bytes, more than a dispatcher reads ("
          + ModifyRequest.MAX_MESSAGE_BYTES + "); nothing was sent", "request too large");
    }
    long receivers;
    try {
      receivers = service.endpoint().publish(service.keys().modifyChannel(), json);
    } catch (JedisException e) {
      if (p != null) {
        engine.replies.forget(p);
      }
      throw service.endpoint().translate("write " + fullName(), e);
    }
    if (receivers == 0) {
      if (p != null) {
        engine.replies.forget(p);
      }
      throw new UnavailableException("cannot write " + fullName() + ": no dispatcher is serving service "
          + service.name() + " (nobody is subscribed to " + service.keys().modifyChannel() + ")");
    }
    return p;
  }

  /** Builds a value from {@code HMGET ascii ts seq origin}; null if never set. */
  KeywordValue valueOf(List<String> f) {
    String ascii = f.get(0);
    if (ascii == null) {
      return null;
    }
    Object binary;
    try {
      binary = type.toBinary(ascii);
    } catch (InvalidValueException e) {
      binary = ascii; // a value the definition does not accept (hand-written?): show it as text
    }
    long seq;
    try {
      seq = f.get(2) == null ? 0 : Long.parseLong(f.get(2));
    } catch (NumberFormatException e) {
      seq = 0;
    }
    Instant ts;
    try {
      ts = StoredValue.parseTimestamp(f.get(1));
    } catch (NumberFormatException | DateTimeException e) {
      ts = Instant.EPOCH; // not a protocol timestamp (hand-written?): the value is still worth showing
    }
    return new KeywordValue(service.name(), name(), ascii, binary, ts, seq, f.get(3) == null ? "" : f.get(3));
  }

  private NeverSetException neverSet() {
    return new NeverSetException(fullName() + " has never been set");
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  @Override
  public String toString() {
    return fullName();
  }
}
