package org.ktl4j.cli;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.ktl4j.internal.protocol.ModifyRequest;
import org.ktl4j.internal.protocol.ProtocolJson;
import org.ktl4j.internal.protocol.Reply;
import org.ktl4j.redis.RedisSettings;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

/**
 * A writer that speaks the wire contract with raw Jedis calls, as a client in another language would: it
 * subscribes to its reply channel, PUBLISHes JSON on the modify channel and collects the {@code done} replies.
 * Also reads the keys a daemon leaves in Redis.
 */
final class RawWriter implements AutoCloseable {
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(20);

  private final String service;
  private final String replyChannel;
  private final RedisClient redis;
  private final Connection subscriberConnection;
  private final JedisPubSub subscriber;
  private final AtomicLong ids = new AtomicLong();
  private final Map<String, Reply> done = new ConcurrentHashMap<>();

  RawWriter(String url, String service) {
    this.service = service;
    this.replyChannel = "ktl:{" + service + "}:reply:" + UUID.randomUUID();
    RedisSettings settings = RedisSettings.fromUri(url);
    HostAndPort address = new HostAndPort(settings.host(), settings.port());
    this.redis = RedisClient.builder().hostAndPort(address).clientConfig(config(settings, 5000)).build();
    this.subscriberConnection = new Connection(address, config(settings, 0)); // 0: wait for replies forever
    this.subscriber = new JedisPubSub() {
      @Override
      public void onMessage(String channel, String message) {
        Reply reply = ProtocolJson.decodeReply(message);
        if (!(reply instanceof Reply.Ack)) {
          done.put(reply.id(), reply);
        }
      }
    };
    Thread reader = new Thread(() -> {
      try {
        subscriber.proceed(subscriberConnection, replyChannel);
      } catch (RuntimeException e) {
        // closed
      }
    }, "raw-writer-" + service);
    reader.setDaemon(true);
    reader.start();
    await().atMost(REPLY_TIMEOUT).until(() -> numSub(replyChannel) > 0);
  }

  /** Publishes a MODIFY request with a reply channel and waits for its {@code done}. */
  Reply write(String keyword, String value) {
    String id = "r" + ids.incrementAndGet();
    String request = new ModifyRequest(id, keyword, value, Optional.of(replyChannel), Optional.of("raw-writer"))
        .toJson();
    redis.publish("ktl:{" + service + "}:modify", request);
    await().atMost(REPLY_TIMEOUT).until(() -> done.containsKey(id));
    return done.get(id);
  }

  /** A keyword's hash, as a client reads it. */
  Map<String, String> stored(String keyword) {
    return redis.hgetAll("ktl:{" + service + "}:kw:" + keyword);
  }

  /** The stored ascii value of a keyword, or null if never set. */
  String ascii(String keyword) {
    return redis.hget("ktl:{" + service + "}:kw:" + keyword, "ascii");
  }

  /** Whether the service's dispatcher lease exists. */
  boolean leaseExists() {
    return redis.exists("ktl:{" + service + "}:dispatcher");
  }

  /** Overwrites the service's lease as another dispatcher would that took over. */
  void takeLease(String host, long pid) {
    redis.set("ktl:{" + service + "}:dispatcher", "{\"id\":\"intruder\",\"host\":\"" + host + "\",\"pid\":" + pid
        + ",\"version\":\"x\",\"started\":\"1.000000\"}");
  }

  private static JedisClientConfig config(RedisSettings settings, int socketTimeoutMillis) {
    DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder().database(settings.db())
        .connectionTimeoutMillis(5000).socketTimeoutMillis(socketTimeoutMillis);
    settings.user().ifPresent(config::user);
    settings.password().ifPresent(config::password);
    return config.build();
  }

  private long numSub(String channel) {
    java.util.List<?> r = (java.util.List<?>) redis.sendCommand(Protocol.Command.PUBSUB, "NUMSUB", channel);
    return (Long) r.get(1);
  }

  @Override
  public void close() {
    try {
      subscriber.unsubscribe();
    } catch (RuntimeException e) {
      // already gone
    }
    subscriberConnection.close();
    redis.close();
  }
}
