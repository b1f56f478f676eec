package org.ktl4j.dispatcher;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.ktl4j.ErrorCode;
import org.ktl4j.internal.protocol.BadRequest;
import org.ktl4j.internal.protocol.ModifyMessage;
import org.ktl4j.internal.protocol.ModifyRequest;
import org.ktl4j.internal.protocol.Names;
import org.ktl4j.internal.protocol.ProtocolJson;
import org.ktl4j.internal.protocol.Reply;
import org.ktl4j.internal.redis.PubSub;
import org.ktl4j.type.InvalidValueException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Serves MODIFY requests for one service. The pub/sub reader thread only checks the fence, decodes, admits and
 * queues: a request is queued on its keyword's bounded intake queue, or refused at once ({@code BUSY},
 * {@code BAD_REQUEST}, {@code NO_SUCH_KEYWORD}, {@code EXPIRED}) through {@link ImmediateReplies}. Validation,
 * {@code check} and {@code ack} run on the intake queue (even while an earlier write of the keyword is
 * running); {@code write} hooks and stores run on the keyword's write queue, in arrival order. A keyword
 * without a {@code write} hook is stored straight from its intake queue, its store publishing {@code done} (its only
 * reply); a keyword with no hooks at all, when nothing of it is queued, is stored from the reader thread itself
 * ({@link DirectStores}), sparing the hand-off.
 *
 * <p>Every stage first checks that the lease is still provably held and in the same term as when the request
 * arrived, and that the request's deadline has not passed. Nothing on the modify channel can stop it: every
 * malformed message is answered with {@code BAD_REQUEST} where a reply channel can be read, and logged at most
 * once per sender per burst. Thread-safe.
 */
final class ModifyHandler implements PubSub.BoundedListener {
  /** How a dispatcher's own fence marker starts (protocol: "Fencing"). */
  static final String FENCE_PREFIX = "{\"fence\":";
  private static final SecureRandom MARKERS = new SecureRandom();

  /** A new fence marker for lease term {@code term}: {@code {"fence":"<32 random hex digits>:<term>"}}. */
  static String fenceMarker(int term) {
    byte[] b = new byte[16];
    MARKERS.nextBytes(b);
    return FENCE_PREFIX + "\"" + HexFormat.of().formatHex(b) + ":" + term + "\"}";
  }

  private final DispatcherService service;
  private final LeaseKeeper lease;
  private final ValueStore stores;
  private final ImmediateReplies replies;
  private final DispatcherConfig config;
  private final RefusalLog refusals;
  private final DispatcherStatistics statistics;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong inFlightBytes = new AtomicLong();
  private final ModifyStores modifyStores;
  /** Stores sent from the reader thread; null when the configuration turns them off. */
  private final DirectStores direct;
  /** Set while messages that arrived during a lapse may still be in the socket: dropped until this arrives. */
  private final AtomicReference<String> awaitedMarker = new AtomicReference<>();

  ModifyHandler(DispatcherService service, LeaseKeeper lease, ValueStore stores, ImmediateReplies replies,
      RefusalLog refusals, DispatcherStatistics statistics, DispatcherConfig config, long settleNanos) {
    this.service = service;
    this.refusals = refusals;
    this.statistics = statistics;
    this.lease = lease;
    this.stores = stores;
    this.replies = replies;
    this.config = config;
    this.modifyStores = new ModifyStores(service, stores, this, settleNanos, config.durability());
    this.direct = config.directStores() && config.durability().replicas() == 0
        ? new DirectStores(service.name(), service.endpoint(), this, modifyStores, stores) : null;
  }

  /** Opens the direct store connection, if configured (before the modify subscription). */
  void start() {
    if (direct != null) {
      direct.start();
    }
  }

  /** Closes the direct store connection if its oldest answer is overdue (timer thread, every second). */
  void checkOverdue() {
    if (direct != null) {
      direct.checkOverdue();
    }
  }

  /** Stores sent from the reader thread whose answers were lost and were read back, since start. */
  long directSettled() {
    return direct == null ? 0 : direct.settled();
  }

  /** Stores sent from the reader thread and not yet answered. */
  int directInFlight() {
    return direct == null ? 0 : direct.inFlight();
  }

  /** Closes the direct store connection and its thread (after the modify subscription and the shutdown wait). */
  void closeDirect() {
    if (direct != null) {
      direct.close();
    }
  }

  /** After a lapse, before the fence opens again: drop everything received before {@code marker} comes back. */
  void awaitMarker(String marker) {
    awaitedMarker.set(marker);
  }

  /** The marker still awaited, if any (to publish it again when the first publish failed). */
  Optional<String> awaitedMarker() {
    return Optional.ofNullable(awaitedMarker.get());
  }

  /** Requests admitted and not yet answered. */
  int inFlight() {
    return inFlight.get();
  }

  @Override
  public int maxMessageBytes() {
    return ModifyRequest.MAX_MESSAGE_BYTES;
  }

  /** Runs on the pub/sub reader thread: a message too large to be a request is discarded before it is decoded. */
  @Override
  public void onOversized(String pattern, String channel, int bytes) {
    statistics.request();
    statistics.refused(ErrorCode.BAD_REQUEST);
    refusals.record(RefusalLog.Kind.OVERSIZED, null, () -> "discarded a message of " + String.format("%,d", bytes)
        + " bytes unread: the limit is " + String.format("%,d", ModifyRequest.MAX_MESSAGE_BYTES) + " bytes (not answered)");
  }

  /** Runs on the pub/sub reader thread: fence, decode, admit and hand off, nothing more. */
  @Override
  public void onMessage(String pattern, String channel, String message) {
    long arrived = System.nanoTime(); // the request's time is measured from here to its answer
    if (message.startsWith(FENCE_PREFIX)) {
      // everything before it was received during the lapse, and was dropped; only this marker clears only itself
      // (a newer lapse may have set a newer one meanwhile)
      String awaited = awaitedMarker.get();
      if (message.equals(awaited)) {
        awaitedMarker.compareAndSet(awaited, null); // by reference: fails if a newer marker replaced it meanwhile
      }
      return; // a marker (ours, stale, or another dispatcher's): never a request
    }
    statistics.request();
    int term = lease.term(); // before the fence checks: the lease thread raises the term before it reopens them
    if (!lease.holds() || awaitedMarker.get() != null || !service.isServing()) {
      dropFenced();
      return;
    }
    ModifyMessage m = ProtocolJson.decodeModify(message, service.keys);
    if (m instanceof BadRequest bad) {
      badRequest(bad, message.length());
      return;
    }
    ModifyRequest req = ((ModifyMessage.Valid) m).request();
    DispatcherKeyword kw = service.lookup(req.keyword());
    if (kw == null) {
      refuse(req, null, req.keyword(), ErrorCode.NO_SUCH_KEYWORD, () -> "service " + service.name() + " has no keyword '"
          + Names.printable(req.keyword()) + "'");
      return;
    }
    String value = req.value();
    if (tooLarge(value)) {
      refuse(req, kw, kw.name(), ErrorCode.BAD_REQUEST, () -> kw + ": value of " + utf8Length(value)
          + " bytes refused: the limit is " + config.maxValueBytes() + " bytes");
      return;
    }
    if (expired(req.acceptBy())) {
      refuse(req, kw, kw.name(), ErrorCode.EXPIRED, () -> expiredMessage(kw, value, "before it reached the dispatcher"));
      return;
    }
    int bytes = value.length();
    if (!admit(bytes)) {
      refuse(req, kw, kw.name(), ErrorCode.BUSY, () -> kw + ": value '" + Names.printable(value) + "' refused: the "
          + "dispatcher of " + service.name() + " has too many requests waiting (the limit is "
          + config.maxQueuedRequests() + " requests or " + config.maxQueuedBytes() + " bytes); nothing applied, retry later");
      return;
    }
    if (kw.intake.pending() + kw.writes.pending() + kw.readyCount.get() >= config.maxQueuedPerKeyword()) {
      release(bytes);
      refuse(req, kw, kw.name(), ErrorCode.BUSY, () -> kw + ": value '" + Names.printable(value) + "' refused: "
          + config.maxQueuedPerKeyword() + " requests for this keyword are waiting; nothing applied, retry later");
      return;
    }
    if (direct != null && direct.tryStore(kw, req, term, bytes, arrived)) {
      return; // sent: the script publishes its done; the store thread reads its answer
    }
    kw.intake.execute(() -> validate(kw, req, term, bytes, arrived));
  }

  private void validate(DispatcherKeyword kw, ModifyRequest req, int term, int bytes, long arrived) {
    boolean handedOff = false;
    try {
      handedOff = validateAndHandOff(kw, req, term, bytes, arrived);
    } finally {
      if (!handedOff) {
        answered(bytes, arrived);
      }
    }
  }

  /** Validates; true if the request was handed on (to be stored, or to its write hook), false if answered. */
  private boolean validateAndHandOff(DispatcherKeyword kw, ModifyRequest req, int term, int bytes, long arrived) {
    String value = req.value();
    if (!current(kw, req, term, value, true)) {
      return false;
    }
    if (kw.definition().readonly()) {
      fail(req, kw.name(), ErrorCode.READ_ONLY, kw + " is read-only: value '" + Names.printable(value) + "' refused");
      return false;
    }
    String canonical;
    try {
      canonical = kw.type().canonicalize(value);
    } catch (InvalidValueException e) {
      fail(req, kw.name(), e.code(), e.getMessage());
      return false;
    }
    KeywordBehavior b = kw.behaviorOrNull();
    if (b == null) { // caching keyword: no hook needs the binary form
      return ready(kw, new ModifyStores.Ready(req, canonical, term, bytes, arrived));
    }
    NewValue nv;
    try {
      nv = new NewValue(kw.name(), canonical, kw.type().toBinary(canonical), req.client(), deadlineOf(req));
    } catch (InvalidValueException e) {
      fail(req, kw.name(), e.code(), e.getMessage());
      return false;
    }
    try {
      b.check(nv);
    } catch (Exception e) {
      fail(req, kw.name(), ErrorCode.REJECTED, kw + ": value '" + Names.printable(canonical) + "' rejected: "
          + reason(e));
      return false;
    }
    if (!current(kw, req, term, canonical, true)) { // the check hook may have taken long: look again
      return false;
    }
    if (!b.hasWrite()) { // stored now, as before its check: a check hook sees every earlier request stored
      storeReady(kw);
      try {
        modifyStores.storeTogether(kw, List.of(new ModifyStores.Ready(req, canonical, term, bytes, arrived)));
      } finally {
        answered(bytes, arrived);
      }
      return true;
    }
    if (req.reply().isPresent()) {
      try {
        service.endpoint().publish(req.reply().get(), new Reply.Ack(req.id(), kw.name()).toJson());
      } catch (JedisException e) {
        refusals.record(RefusalLog.Kind.REPLY_LOST, kw.name(), () -> kw + ": could not send the ack of request "
            + Names.printable(req.id()) + ": " + Names.printable(e.getMessage()));
      }
    }
    kw.writes.execute(() -> write(kw, req, nv, term, bytes, arrived)); // bounded: only admitted requests get here
    return true;
  }

  /**
   * Puts a validated request among those waiting to be stored; the first to wait queues the store, behind the
   * requests already queued for validation, so that they are stored together with it.
   */
  private boolean ready(DispatcherKeyword kw, ModifyStores.Ready r) {
    kw.ready.add(r);
    if (kw.readyCount.incrementAndGet() == 1) {
      kw.intake.execute(() -> storeReady(kw));
    }
    return true;
  }

  /**
   * Stores the requests validated and waiting, up to {@link ModifyStores#MAX_BATCH} per round trip. Runs on the
   * keyword's intake queue: a lone request is stored right after its validation, and the requests validated while a
   * store was in flight are stored together by the next.
   */
  private void storeReady(DispatcherKeyword kw) {
    try {
      while (!kw.ready.isEmpty()) {
        List<ModifyStores.Ready> batch = new ArrayList<>(Math.min(kw.ready.size(), ModifyStores.MAX_BATCH));
        try {
          while (batch.size() < ModifyStores.MAX_BATCH && !kw.ready.isEmpty()) {
            ModifyStores.Ready r = kw.ready.poll();
            kw.readyCount.decrementAndGet();
            batch.add(r); // released below, whatever happens
          }
          List<ModifyStores.Ready> current = new ArrayList<>(batch.size());
          for (ModifyStores.Ready r : batch) {
            if (current(kw, r.req(), r.term(), r.ascii(), true)) { // answered if not
              current.add(r);
            }
          }
          if (!current.isEmpty()) {
            modifyStores.storeTogether(kw, current);
          }
        } finally {
          for (ModifyStores.Ready r : batch) {
            answered(r.bytes(), r.arrived());
          }
        }
      }
    } finally {
      if (!kw.ready.isEmpty()) { // a failure above: the requests still waiting must not be stranded
        kw.intake.execute(() -> storeReady(kw));
      }
    }
  }

  private void write(DispatcherKeyword kw, ModifyRequest req, NewValue nv, int term, int bytes, long arrived) {
    try {
      if (!current(kw, req, term, nv.ascii(), false)) {
        return;
      }
      try {
        KeywordBehavior b = kw.behaviorOrNull();
        if (b != null) {
          b.write(nv);
        }
      } catch (Exception e) {
        refusals.record(RefusalLog.Kind.WRITE_FAILED, kw.name(), () -> kw + ": write of '"
            + Names.printable(nv.ascii()) + "' failed: " + Names.printable(reason(e)));
        fail(req, kw.name(), ErrorCode.WRITE_FAILED, kw + ": write of '" + Names.printable(nv.ascii()) + "' failed: "
            + reason(e));
        return;
      }
      modifyStores.storeAfterWrite(kw, req, nv.ascii());
    } finally {
      answered(bytes, arrived);
    }
  }

  /**
   * Whether the request may still be served: the lease is held, in the term it arrived in, and its deadline
   * (before it is accepted: also its ack deadline) has not passed. Answers it when not (except when this
   * dispatcher may no longer be the owner: then the owner answers, or the writer times out).
   */
  private boolean current(DispatcherKeyword kw, ModifyRequest req, int term, String value, boolean accepting) {
    if (!lease.holds() || !service.isServing()) {
      dropFenced();
      return false;
    }
    if (lease.term() != term) {
      fail(req, kw.name(), ErrorCode.EXPIRED, kw + ": value '" + Names.printable(value) + "' not applied: it arrived "
          + "before this dispatcher's lease lapsed (it was paused or cut off from Redis); retry");
      return false;
    }
    if (expired(accepting ? req.acceptBy() : req.deadline())) {
      fail(req, kw.name(), ErrorCode.EXPIRED, expiredMessage(kw, value, "before the dispatcher could apply it"));
      return false;
    }
    return true;
  }

  boolean expired(OptionalLong deadline) {
    return deadline.isPresent() && lease.clock().estimateMicros() > deadline.getAsLong();
  }

  static String expiredMessage(DispatcherKeyword kw, String value, String when) {
    return kw + ": value '" + Names.printable(value) + "' not applied: its deadline passed " + when
        + "; nothing was applied and nothing will be";
  }

  private static Optional<Instant> deadlineOf(ModifyRequest req) {
    if (req.deadline().isEmpty()) {
      return Optional.empty();
    }
    long us = req.deadline().getAsLong();
    return Optional.of(Instant.ofEpochSecond(us / 1_000_000L, (us % 1_000_000L) * 1000));
  }

  private boolean admit(int bytes) {
    int n = inFlight.incrementAndGet();
    if (n > config.maxQueuedRequests() || inFlightBytes.addAndGet(bytes) > config.maxQueuedBytes()) {
      release(bytes);
      return false;
    }
    statistics.queued(n);
    return true;
  }

  /** Releases a request's admission: exactly once per admitted request, by whoever answered it last. */
  void release(int bytes) {
    inFlight.decrementAndGet();
    inFlightBytes.addAndGet(-bytes);
  }

  /**
   * Releases the admission of a request that has been answered (or given up on), and counts its time from
   * {@code arrivedNanos} ({@link System#nanoTime()} on arrival) in the statistics.
   */
  void answered(int bytes, long arrivedNanos) {
    release(bytes);
    statistics.answered(arrivedNanos);
  }

  private void dropFenced() {
    refusals.record(RefusalLog.Kind.FENCED, null, () -> "request(s) not served: this dispatcher does not provably "
        + "hold its lease now");
  }

  /**
   * A message that is no valid request: answered with {@code BAD_REQUEST} if it named a valid reply channel of this
   * service, otherwise only counted (a message that is not well-formed JSON, or whose {@code reply} is not one of our
   * reply channels, is never answered: nothing is published where it asked).
   */
  private void badRequest(BadRequest bad, int length) {
    statistics.refused(ErrorCode.BAD_REQUEST);
    if (bad.reply().isEmpty()) {
      RefusalLog.Kind kind = switch (bad.problem()) {
        case MALFORMED -> RefusalLog.Kind.MALFORMED;
        case BAD_REPLY -> RefusalLog.Kind.BAD_REPLY_CHANNEL;
        case BAD_FIELD -> RefusalLog.Kind.UNANSWERED; // well-formed, fire-and-forget: refused, nobody to tell
      };
      refusals.record(kind, null, () -> "ignored a message of " + length + " chars: " + bad.reason());
      return;
    }
    refusals.record(RefusalLog.Kind.BAD_REQUEST, null, () -> "bad request of " + length + " chars (id '"
        + Names.printable(bad.id().orElse("")) + "'): " + bad.reason());
    String kw = bad.keyword().orElse("");
    replies.send(bad.reply().get(), new Reply.Failed(bad.id().orElse(""), kw, ErrorCode.BAD_REQUEST,
        "service " + service.name() + ": bad request: " + bad.reason()));
  }

  /**
   * A refusal decided on the reader thread: sent by {@link ImmediateReplies}, never from here. The message is
   * only built when it is sent or logged (a flood of fire-and-forget requests mostly is neither).
   *
   * @param kw the keyword if it is one of ours, else null (its name came from the request: not a log key)
   */
  private void refuse(ModifyRequest req, DispatcherKeyword kw, String keyword, ErrorCode code,
      Supplier<String> message) {
    statistics.refused(code);
    RefusalLog.Kind kind = switch (code) {
      case BUSY -> RefusalLog.Kind.BUSY;
      case EXPIRED -> RefusalLog.Kind.EXPIRED;
      case NO_SUCH_KEYWORD -> RefusalLog.Kind.NO_SUCH_KEYWORD;
      default -> RefusalLog.Kind.BAD_REQUEST;
    };
    refusals.record(kind, kw == null ? null : kw.name(), () -> message.get() + describe(req));
    if (req.reply().isPresent()) {
      replies.send(req.reply().get(), new Reply.Failed(req.id(), keyword, code, message.get()));
    }
  }

  void fail(ModifyRequest req, String keyword, ErrorCode code, String message) {
    statistics.refused(code);
    if (req.reply().isEmpty()) {
      refusals.record(RefusalLog.Kind.UNANSWERED, keyword, () -> message + describe(req));
      return;
    }
    try {
      service.endpoint().publish(req.reply().get(), new Reply.Failed(req.id(), keyword, code, message).toJson());
    } catch (JedisException e) {
      refusals.record(RefusalLog.Kind.REPLY_LOST, keyword, () -> "could not send the reply to request "
          + Names.printable(req.id()) + ": " + Names.printable(e.getMessage()));
    }
  }

  /** Who sent a request, for the log: every field escaped. */
  private static String describe(ModifyRequest req) {
    return " (request '" + Names.printable(req.id()) + "' from " + Names.printable(req.client().orElse(ModifyRequest.ANONYMOUS))
        + (req.reply().isEmpty() ? ", fire-and-forget" : "") + ")";
  }

  private boolean tooLarge(String value) {
    // a char is at most 3 UTF-8 bytes (surrogate pairs: 4 per 2 chars), so only count when it could matter
    int max = config.maxValueBytes();
    return value.length() > max || (value.length() * 3L > max && utf8Length(value) > max);
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Why a hook or Redis failed, escaped (it may quote the value) but whole. */
  static String reason(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : Names.escaped(m);
  }
}
