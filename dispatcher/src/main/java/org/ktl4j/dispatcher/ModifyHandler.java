package org.ktl4j.dispatcher;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.ktl4j.protocol.BadRequest;
import org.ktl4j.protocol.ErrorCode;
import org.ktl4j.protocol.Keys;
import org.ktl4j.protocol.ModifyMessage;
import org.ktl4j.protocol.ModifyRequest;
import org.ktl4j.protocol.Names;
import org.ktl4j.protocol.ProtocolJson;
import org.ktl4j.protocol.Reply;
import org.ktl4j.protocol.StoreScript;
import org.ktl4j.protocol.StoredValue;
import org.ktl4j.redis.PubSubHub;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.type.InvalidValueException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Serves MODIFY requests for one service. The pub/sub reader thread only decodes a request and queues it on
 * its keyword's intake queue; validation, {@code check} and {@code ack} run there on arrival (even while an
 * earlier write of the keyword is running); {@code write} hooks and stores run on the keyword's write queue,
 * in arrival order. A keyword without a {@code write} hook is stored straight from its intake queue, with the
 * {@code ack} and the store (which publishes {@code done}) pipelined into one round trip.
 *
 * <p>Nothing on the modify channel can stop it: every malformed message is answered with {@code BAD_REQUEST}
 * where a reply channel can be read, and logged at most once per sender per burst.
 */
final class ModifyHandler implements PubSubHub.Listener {
  private static final Logger log = LoggerFactory.getLogger(ModifyHandler.class);
  private static final String ANONYMOUS = "anonymous";

  private final DispatcherService service;
  private final RedisEndpoint endpoint;
  private final Keys keys;
  private final int maxValueBytes;
  private final SerialExecutor serviceQueue;
  private final WarnLimiter warnings = new WarnLimiter(TimeUnit.SECONDS.toNanos(10));

  ModifyHandler(DispatcherService service, RedisEndpoint endpoint, Keys keys, int maxValueBytes,
      SerialExecutor serviceQueue) {
    this.service = service;
    this.endpoint = endpoint;
    this.keys = keys;
    this.maxValueBytes = maxValueBytes;
    this.serviceQueue = serviceQueue;
  }

  /** Runs on the pub/sub reader thread: decode and hand off, nothing more. */
  @Override
  public void onMessage(String pattern, String channel, String message) {
    ModifyMessage m = ProtocolJson.decodeModify(message);
    if (m instanceof BadRequest bad) {
      serviceQueue.execute(() -> badRequest(bad, message.length()));
      return;
    }
    ModifyRequest req = ((ModifyMessage.Valid) m).request();
    DispatcherKeyword kw = service.lookup(req.keyword());
    if (kw == null) {
      serviceQueue.execute(() -> noSuchKeyword(req));
      return;
    }
    kw.intake.execute(() -> validate(kw, req));
  }

  private void validate(DispatcherKeyword kw, ModifyRequest req) {
    String value = req.value();
    if (!service.isServing()) {
      fail(req, kw.name(), ErrorCode.WRITE_FAILED, kw + ": value '" + Names.printable(value)
          + "' not written: this dispatcher has stopped serving the service");
      return;
    }
    if (kw.definition().readonly()) {
      fail(req, kw.name(), ErrorCode.READ_ONLY, kw + " is read-only: value '" + Names.printable(value) + "' refused");
      return;
    }
    if (tooLarge(value)) {
      fail(req, kw.name(), ErrorCode.BAD_REQUEST, kw + ": value of " + utf8Length(value)
          + " bytes refused: the limit is " + maxValueBytes + " bytes");
      return;
    }
    String canonical;
    try {
      canonical = kw.type().canonicalize(value);
    } catch (InvalidValueException e) {
      fail(req, kw.name(), e.code(), e.getMessage());
      return;
    }
    KeywordBehavior b = kw.behaviorOrNull();
    if (b == null) {
      storeWithAck(kw, req, canonical); // caching keyword: no hook needs the binary form
      return;
    }
    NewValue nv;
    try {
      nv = new NewValue(kw.name(), canonical, kw.type().toBinary(canonical), req.client());
    } catch (InvalidValueException e) {
      fail(req, kw.name(), e.code(), e.getMessage());
      return;
    }
    try {
      b.check(nv);
    } catch (Exception e) {
      fail(req, kw.name(), ErrorCode.REJECTED, kw + ": value '" + Names.printable(canonical) + "' rejected: "
          + reason(e));
      return;
    }
    if (!b.hasWrite()) {
      storeWithAck(kw, req, canonical);
      return;
    }
    if (req.reply().isPresent()) {
      try {
        endpoint.commands().publish(req.reply().get(), new Reply.Ack(req.id(), kw.name()).toJson());
      } catch (JedisException e) {
        log.warn("{}: could not send ack for request {}: {}", kw, req.id(), e.getMessage());
      }
    }
    kw.writes.execute(() -> write(kw, req, nv));
  }

  private void write(DispatcherKeyword kw, ModifyRequest req, NewValue nv) {
    if (!service.isServing()) {
      fail(req, kw.name(), ErrorCode.WRITE_FAILED, kw + ": write of '" + Names.printable(nv.ascii())
          + "' not done: this dispatcher has stopped serving the service");
      return;
    }
    KeywordBehavior b = kw.behaviorOrNull();
    try {
      if (b != null) {
        b.write(nv);
      }
    } catch (Exception e) {
      log.info("{}: write of '{}' failed: {}", kw, Names.printable(nv.ascii()), reason(e));
      fail(req, kw.name(), ErrorCode.WRITE_FAILED, kw + ": write of '" + Names.printable(nv.ascii()) + "' failed: "
          + reason(e));
      return;
    }
    String reply = req.reply().orElse("");
    String prefix = reply.isEmpty() ? "" : ProtocolJson.storedPrefix(req.id(), kw.name(), nv.ascii());
    kw.lockStores();
    try {
      kw.modifying(nv.ascii());
      StoreScript.Result r = StoreScript.store(endpoint.commands(), keys.keyword(kw.name()), nv.ascii(),
          StoredValue.now(), req.client().orElse(ANONYMOUS), kw.seq(), false, reply, prefix);
      kw.stored(r.seq());
    } catch (JedisException e) {
      storeFailed(kw, req, nv.ascii(), e);
    } finally {
      kw.unlockStores();
    }
  }

  /** Caching keyword: ack and store (which publishes done) in one pipelined round trip. */
  private void storeWithAck(DispatcherKeyword kw, ModifyRequest req, String canonical) {
    String reply = req.reply().orElse("");
    String prefix = reply.isEmpty() ? "" : ProtocolJson.storedPrefix(req.id(), kw.name(), canonical);
    kw.lockStores();
    try {
      kw.modifying(canonical);
      List<String> args = List.of(canonical, StoredValue.now(), req.client().orElse(ANONYMOUS),
          Long.toString(kw.seq()), "0", reply, prefix);
      Object result;
      try (AbstractPipeline p = endpoint.commands().pipelined()) {
        if (!reply.isEmpty()) {
          p.publish(reply, new Reply.Ack(req.id(), kw.name()).toJson());
        }
        Response<Object> stored = p.evalsha(StoreScript.sha(), List.of(keys.keyword(kw.name())), args);
        p.sync();
        result = stored.get();
      } catch (JedisException e) {
        if (e.getMessage() == null || !e.getMessage().startsWith("NOSCRIPT")) {
          throw e;
        }
        // script cache was flushed (Redis restarted): store the slow way; ack was already sent
        result = List.of(1L, StoreScript.store(endpoint.commands(), keys.keyword(kw.name()), canonical,
            StoredValue.now(), req.client().orElse(ANONYMOUS), kw.seq(), false, reply, prefix).seq());
      }
      kw.stored((Long) ((List<?>) result).get(1));
    } catch (JedisException e) {
      storeFailed(kw, req, canonical, e);
    } finally {
      kw.unlockStores();
    }
  }

  private void storeFailed(DispatcherKeyword kw, ModifyRequest req, String ascii, JedisException e) {
    kw.markDirty();
    if (outcomeUnknown(e)) {
      // the script may have run (and published done) before the answer was lost: a second done would break
      // "exactly one done", so the writer gets that done or times out waiting for it
      log.warn("{}: no answer from Redis while storing '{}' ({}); it is stored again when Redis answers", kw,
          Names.printable(ascii), e.getMessage());
      return;
    }
    log.warn("{}: value '{}' applied but not stored in Redis ({}); it will be stored when Redis is back", kw,
        Names.printable(ascii), e.getMessage());
    fail(req, kw.name(), ErrorCode.WRITE_FAILED, kw + ": value '" + Names.printable(ascii)
        + "' was applied but could not be stored in Redis: " + e.getMessage());
  }

  /** A read timeout after the command was sent: it may or may not have run. */
  private static boolean outcomeUnknown(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  private void badRequest(BadRequest bad, int length) {
    String sender = bad.reply().orElse("unknown sender");
    int suppressed = warnings.admit(sender);
    if (suppressed >= 0) {
      log.warn("service {}: bad request from {} ({} chars): {}{}", service.name(), sender, length, bad.reason(),
          suppressed > 0 ? " (" + suppressed + " more from this sender suppressed)" : "");
    }
    if (bad.reply().isPresent()) {
      String kw = bad.keyword().orElse("");
      publishQuietly(bad.reply().get(), new Reply.Failed(bad.id().orElse(""), kw, ErrorCode.BAD_REQUEST,
          "service " + service.name() + ": bad request: " + bad.reason()));
    }
  }

  private void noSuchKeyword(ModifyRequest req) {
    String name = req.keyword();
    String shown = Names.printable(name);
    fail(req, name, ErrorCode.NO_SUCH_KEYWORD, "service " + service.name() + " has no keyword '" + shown + "'");
  }

  private void fail(ModifyRequest req, String keyword, ErrorCode code, String message) {
    if (req.reply().isEmpty()) {
      String sender = req.client().orElse(ANONYMOUS);
      if (warnings.admit(sender + "/" + code) >= 0) {
        log.info("{} (fire-and-forget request {} from {})", message, req.id(), sender);
      }
      return;
    }
    publishQuietly(req.reply().get(), new Reply.Failed(req.id(), keyword, code, message));
  }

  private void publishQuietly(String channel, Reply reply) {
    try {
      endpoint.commands().publish(channel, reply.toJson());
    } catch (JedisException e) {
      log.warn("service {}: could not send reply to {}: {}", service.name(), channel, e.getMessage());
    }
  }

  private boolean tooLarge(String value) {
    // a char is at most 3 UTF-8 bytes (surrogate pairs: 4 per 2 chars), so only count when it could matter
    return value.length() > maxValueBytes || (value.length() * 3L > maxValueBytes && utf8Length(value) > maxValueBytes);
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  static String reason(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

}
