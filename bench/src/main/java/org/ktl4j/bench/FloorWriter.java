package org.ktl4j.bench;

import com.google.gson.JsonParser;
import java.time.Duration;
import java.util.UUID;
import org.ktl4j.redis.RedisSettings;
import redis.clients.jedis.Jedis;

/**
 * A hand-rolled writer for the floors: {@code PUBLISH} of a JSON request on a command connection, and a
 * subscriber thread of its own on a private reply channel that completes the wait when the {@code done}
 * arrives. One thread writes at a time. Owns its connections.
 */
final class FloorWriter implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Jedis publisher;
  private final Subscriber replies;
  private final Arrival arrival = new Arrival();
  private final String reply;
  private long id;

  FloorWriter(RedisSettings settings, String name) {
    this.reply = "bench:floor:reply:" + UUID.randomUUID();
    this.replies = new Subscriber(settings, name + "-replies", false,
        (c, m) -> arrival.arrived(Long.parseLong(JsonParser.parseString(m).getAsJsonObject().get("id").getAsString())),
        reply);
    this.publisher = Jedises.open(settings, "bench-floor-" + name);
  }

  /** Writes and waits for the responder's {@code done}. */
  void write(String keyword, String value) throws Exception {
    long n = ++id;
    publisher.publish(FloorResponder.MODIFY, FloorResponder.request(n, keyword, value, reply));
    arrival.await(n, TIMEOUT);
  }

  /** Sends a request that asks for no reply. */
  void writeNoWait(String keyword, String value) {
    publisher.publish(FloorResponder.MODIFY, FloorResponder.request(++id, keyword, value, ""));
  }

  @Override
  public void close() {
    replies.close();
    publisher.close();
  }
}
