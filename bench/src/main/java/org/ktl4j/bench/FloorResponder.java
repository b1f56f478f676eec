package org.ktl4j.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.Map;
import org.ktl4j.redis.RedisSettings;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * The hand-rolled dispatcher of the floors: a Jedis subscriber thread on {@link #MODIFY} that, for each JSON
 * request {@code {"id","keyword","value","reply"}}, pipelines {@code HSET} of the value hash and (when the
 * request names a reply channel) {@code PUBLISH} of a {@code done} reply, on a command connection of its own.
 * No validation, no lease, no script: what any Java program would write in an afternoon, so the ratio to it is
 * ktl4j's overhead. Owns its two connections and thread.
 */
final class FloorResponder implements AutoCloseable {
  static final String MODIFY = "bench:floor:modify";

  private final Jedis commands;
  private final Subscriber subscriber;
  private long seq;

  FloorResponder(RedisSettings settings) {
    this.commands = Jedises.open(settings, "bench-floor-responder");
    this.subscriber = new Subscriber(settings, "responder", false, (c, m) -> respond(m), MODIFY);
  }

  static String key(String keyword) {
    return "bench:floor:kw:" + keyword;
  }

  /** A request as a floor writer sends it. */
  static String request(long id, String keyword, String value, String reply) {
    return "{\"id\":\"" + id + "\",\"keyword\":\"" + keyword + "\",\"value\":\"" + value + "\",\"reply\":\""
        + reply + "\"}";
  }

  private void respond(String message) {
    JsonObject r = JsonParser.parseString(message).getAsJsonObject();
    String id = r.get("id").getAsString();
    String keyword = r.get("keyword").getAsString();
    String value = r.get("value").getAsString();
    JsonElement reply = r.get("reply");
    long s = ++seq;
    Pipeline p = commands.pipelined();
    p.hset(key(keyword), Map.of("ascii", value, "ts", Stamp.now(), "seq", Long.toString(s), "origin", "floor"));
    if (reply != null && !reply.getAsString().isEmpty()) {
      p.publish(reply.getAsString(), "{\"id\":\"" + id + "\",\"keyword\":\"" + keyword
          + "\",\"stage\":\"done\",\"ok\":true,\"ascii\":\"" + value + "\",\"seq\":" + s + "}");
    }
    p.sync();
  }

  @Override
  public void close() {
    subscriber.close();
    commands.close();
  }
}
