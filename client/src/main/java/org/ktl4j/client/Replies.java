package org.ktl4j.client;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.ktl4j.RefusedException;
import org.ktl4j.UnavailableException;
import org.ktl4j.internal.protocol.Keys;
import org.ktl4j.internal.protocol.Names;
import org.ktl4j.internal.protocol.ProtocolJson;
import org.ktl4j.internal.protocol.RateLimitedLog;
import org.ktl4j.internal.protocol.Reply;
import org.ktl4j.internal.redis.PubSub;
import org.ktl4j.internal.redis.RedisConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes {@code ack}/{@code done} replies to pending writes. One reply channel per service per client engine
 * ({@code ktl:{svc}:reply:<token>}), subscribed once on first use, on the shared pub/sub connection.
 *
 * <p>Replies cannot be forged by someone who cannot read this process's requests (protocol section 4.1, "Reply
 * channels and ids"): the token is 128 random bits, and each request id carries another 64 random bits before its
 * sequence number, so neither can be guessed; a reply is taken only if its id and keyword match a pending write.
 *
 * <p>Thread-safe; the reply listener runs on the reader thread and only completes futures.
 */
final class Replies {
  private static final Logger log = LoggerFactory.getLogger(Replies.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private final RedisConnections endpoint;
  private final Map<String, PubSub.Registration> channels = new ConcurrentHashMap<>();
  private final Map<String, PendingWrite> pending = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final String token = randomToken(16);
  private final String idPrefix = randomToken(8) + ".";
  private final RateLimitedLog ignored = new RateLimitedLog(log, Duration.ofMinutes(1));

  Replies(RedisConnections endpoint) {
    this.endpoint = endpoint;
  }

  /** The reply channel of a service, subscribed and confirmed. */
  String channel(Keys keys) {
    String channel = keys.replyChannel(token);
    PubSub.Registration r = channels.computeIfAbsent(keys.service(),
        s -> endpoint.pubSub().subscribeServiceChannel(channel, this::onReply));
    if (r.active().isDone() && !endpoint.pubSub().isConnected(channel)) {
      // the answer could not reach us: fail now rather than blame the dispatcher after the ack deadline
      throw new UnavailableException("cannot write to service " + keys.service() + ": the pub/sub connection to "
          + "Redis at " + endpoint.currentServer(channel) + " is down (" + endpoint.pubSub().lastError(channel)
          + "); it is being restored");
    }
    if (!r.active().isDone() || r.active().isCompletedExceptionally()) {
      try {
        r.active().get(endpoint.settings().timeout().toMillis() * 3, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        // refused by the server (an ACL without this reply channel): say so, and ask again next time
        channels.remove(keys.service(), r);
        throw new UnavailableException("cannot write to service " + keys.service() + ": cannot receive its replies: "
            + e.getCause().getMessage(), e.getCause());
      } catch (TimeoutException e) {
        throw new UnavailableException("cannot write to service " + keys.service() + ": no pub/sub connection to Redis at "
            + endpoint.currentServer(channel) + " (" + endpoint.pubSub().lastError(channel) + ")");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UnavailableException("interrupted while subscribing to " + channel);
      }
    }
    return channel;
  }

  PendingWrite register(String service, String keyword, String value) {
    PendingWrite p = new PendingWrite(idPrefix + Long.toString(ids.incrementAndGet(), 36), service, keyword, value);
    pending.put(p.id, p);
    p.done.whenComplete((v, e) -> pending.remove(p.id));
    return p;
  }

  void forget(PendingWrite p) {
    pending.remove(p.id);
  }

  /** Fails every write still waiting: the connection they depend on is gone. */
  void connectionLost(String reason) {
    connectionLost(reason, PubSub.ALL_SERVICES);
  }

  /** Fails every write to a service {@code affects} accepts still waiting: the connection it depends on is gone. */
  void connectionLost(String reason, Predicate<String> affects) {
    for (PendingWrite p : pending.values()) {
      if (!affects.test(p.service)) {
        continue;
      }
      p.fail(new UnavailableException("connection to Redis at " + endpoint.settings().address()
          + " lost while writing " + p.fullName() + " (" + reason + "); the write may or may not have happened"));
    }
  }

  /** Unsubscribes every reply channel. */
  void close() {
    channels.values().forEach(PubSub.Registration::close);
    channels.clear();
  }

  /** {@code bytes} random bytes from a {@link SecureRandom}, base64url without padding. */
  private static String randomToken(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private void onReply(String pattern, String channel, String message) {
    Reply r;
    try {
      r = ProtocolJson.decodeReply(message);
    } catch (IllegalArgumentException e) {
      ignored.warn(() -> "ignoring malformed replies on " + Names.printable(channel) + ", e.g. " + e.getMessage());
      return;
    }
    PendingWrite p = pending.get(r.id());
    if (p == null) {
      return; // timed out or fire-and-forget
    }
    if (!p.keyword.equals(r.keyword())) { // the dispatcher echoes the name as sent, the stored form
      ignored.warn(() -> "ignoring replies for request " + Names.printable(r.id()) + " that name keyword '"
          + Names.printable(r.keyword()) + "' instead of " + p.fullName());
      return;
    }
    if (r instanceof Reply.Ack) {
      p.ack.complete(null);
    } else if (r instanceof Reply.Stored s) {
      p.ack.complete(null);
      p.done.complete(new WriteResult(p.service, p.keyword, s.ascii(), s.seq()));
    } else if (r instanceof Reply.Failed f) {
      p.fail(new RefusedException(f.code(), f.error(), f.error()));
    }
  }

}
