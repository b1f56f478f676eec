package org.ktl4j.dispatcher;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.ktl4j.internal.protocol.ModifyRequest;
import org.ktl4j.internal.protocol.ProtocolJson;
import org.ktl4j.internal.protocol.Reply;
import org.ktl4j.testkit.RedisServer;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

/**
 * A writer that speaks the contract with raw Jedis calls, as a client in another language would: subscribe to
 * a reply channel, PUBLISH JSON on the modify channel, collect {@code ack}/{@code done}.
 */
final class RawWriter implements AutoCloseable {
  final String service;
  final String replyChannel;
  final RedisClient redis;
  private final Connection subConnection;
  private final JedisPubSub sub;
  private final Thread reader;
  private final AtomicLong ids = new AtomicLong();
  final Map<String, List<Reply>> replies = new ConcurrentHashMap<>();
  final List<String> raw = new CopyOnWriteArrayList<>();

  RawWriter(RedisServer server, String service) {
    this.service = service;
    this.replyChannel = "ktl:{" + service + "}:reply:" + UUID.randomUUID();
    this.redis = server.newClient();
    this.subConnection = new Connection(new HostAndPort(server.host(), server.port()), server.clientConfig().build());
    this.sub = new JedisPubSub() {
      @Override
      public void onMessage(String channel, String message) {
        raw.add(message);
        Reply r = ProtocolJson.decodeReply(message);
        replies.computeIfAbsent(r.id(), k -> new CopyOnWriteArrayList<>()).add(r);
      }
    };
    this.reader = new Thread(() -> {
      try {
        sub.proceed(subConnection, replyChannel);
      } catch (RuntimeException e) {
        // closed
      }
    }, "raw-writer-" + service);
    reader.setDaemon(true);
    reader.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> numSub(redis, replyChannel) > 0);
  }

  /** PUBSUB NUMSUB for one channel. */
  static long numSub(RedisClient redis, String channel) {
    java.util.List<?> r = (java.util.List<?>) redis.sendCommand(Protocol.Command.PUBSUB, "NUMSUB", channel);
    return (Long) r.get(1);
  }

  String modifyChannel() {
    return "ktl:{" + service + "}:modify";
  }

  /** Publishes a request with a reply channel; returns its id. */
  String send(String keyword, String value) {
    String id = "r" + ids.incrementAndGet();
    redis.publish(modifyChannel(),
        new ModifyRequest(id, keyword, value, java.util.Optional.of(replyChannel), java.util.Optional.of("raw-writer")).toJson());
    return id;
  }

  /** Publishes a request and waits for its done. */
  Reply write(String keyword, String value) {
    return awaitDone(send(keyword, value));
  }

  Reply awaitDone(String id) {
    await().atMost(Duration.ofSeconds(20)).until(() -> done(id) != null);
    return done(id);
  }

  Reply done(String id) {
    List<Reply> list = replies.get(id);
    if (list == null) {
      return null;
    }
    for (Reply r : list) {
      if (!(r instanceof Reply.Ack)) {
        return r;
      }
    }
    return null;
  }

  List<Reply> all(String id) {
    return new ArrayList<>(replies.getOrDefault(id, List.of()));
  }

  /** The keyword hash, as a client would read it. */
  Map<String, String> stored(String keyword) {
    return redis.hgetAll("ktl:{" + service + "}:kw:" + keyword);
  }

  long publishRaw(String payload) {
    return redis.publish(modifyChannel(), payload);
  }

  @Override
  public void close() {
    try {
      sub.unsubscribe();
    } catch (RuntimeException e) {
      // already gone
    }
    subConnection.close();
    redis.close();
  }
}
