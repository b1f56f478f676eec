package org.ktl4j.cli;

import java.util.OptionalInt;
import org.ktl4j.UnavailableException;
import org.ktl4j.embedded.EmbeddedRedis;
import org.ktl4j.embedded.RedisBinary;

/**
 * Starts the private {@code redis-server} of {@code ktl dispatcher --redis embedded[:PORT]}: a real server
 * ({@link RedisBinary#locate()}: {@code KTL_REDIS_SERVER}, else the binary in the embedded-redis jar) on
 * 127.0.0.1, with keyspace notifications {@code Kh} on, its work files and log in a temporary directory
 * deleted when it stops. Stateless.
 */
final class EmbeddedServer {
  private EmbeddedServer() {}

  /**
   * Starts the server and returns once it answers; the caller closes it.
   *
   * @param port the exact port ({@code 0} = any free port); empty = {@value RedisOption#EMBEDDED_PREFERRED_PORT}
   *     if free, else any free port
   * @throws UnavailableException if there is no usable binary or the server does not start
   */
  static EmbeddedRedis start(OptionalInt port) {
    // the daemon's own shutdown hook stops this server after the dispatcher, so it needs no exit hook of its own
    EmbeddedRedis.Builder builder = EmbeddedRedis.builder().name("ktl-embedded").notifyKeyspaceEvents("Kh")
        .killOnJvmExit(false);
    if (port.isPresent()) {
      builder.port(port.getAsInt());
    } else {
      builder.preferredPort(RedisOption.EMBEDDED_PREFERRED_PORT);
    }
    EmbeddedRedis redis;
    try {
      redis = builder.start();
    } catch (RuntimeException e) { // RedisBinaryException, RedisProcessException
      throw new UnavailableException("cannot start the embedded Redis: " + e.getMessage(), e);
    }
    return redis;
  }

}
