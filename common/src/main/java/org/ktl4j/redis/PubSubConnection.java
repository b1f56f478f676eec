package org.ktl4j.redis;

import java.io.IOException;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;

/**
 * The dedicated socket of a {@link PubSubHub}: a Jedis {@link Connection} that one thread reads frame by frame
 * while another writes commands to it. We read it ourselves instead of through {@code JedisPubSub}, because
 * {@code JedisPubSub.proceed()} ends on the first error reply (a {@code -NOPERM} for one channel would drop the
 * connection of every subscriber), and because its writes come with no way to abort them without a flush.
 *
 * <p>Not thread-safe beyond that split: exactly one reader thread calls {@link #read()}, exactly one writer thread
 * calls {@link #write}; {@link #abort()} may be called from any thread. Cost: one TCP connection.
 */
final class PubSubConnection extends Connection {

  /** Connects and authenticates now; throws a {@code JedisException} when that fails. */
  PubSubConnection(HostAndPort address, JedisClientConfig config) {
    super(address, config);
  }

  /** Sends one command and flushes it; blocks while the socket's send buffer is full. Writer thread only. */
  void write(Protocol.Command command, String... args) {
    sendCommand(command, args);
    flush();
  }

  /**
   * The next frame from the server: a message, a subscription confirmation or a pong. An error reply is thrown as a
   * {@code JedisDataException} and leaves the connection usable (the error line has been consumed); a socket
   * failure or read timeout is thrown as a {@code JedisConnectionException} and leaves it broken. Reader thread only.
   */
  Object read() {
    return getUnflushedObject();
  }

  /**
   * Closes the socket without flushing (Jedis's {@code close()} flushes first, which blocks when the peer is not
   * reading); a reader or writer blocked on the socket gets an exception. Any thread, idempotent.
   */
  void abort() {
    try {
      forceDisconnect();
    } catch (IOException | RuntimeException e) {
      // already closed or never connected: nothing to release
    }
  }
}
