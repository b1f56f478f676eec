package org.ktl4j.internal.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

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

  /**
   * Behind Sentinel, makes sure the connection reached a master: just after a failover the Sentinels may still name
   * the old master, back as a replica. A user not allowed {@code ROLE} is not checked (replicas pass on notifications
   * and messages too, only later). Reader thread, before the session starts (no writer yet).
   */
  void requireMaster(HostAndPort at) {
    Object role;
    try {
      write(Protocol.Command.ROLE);
      role = read();
    } catch (JedisDataException e) {
      return; // NOPERM: cannot check
    }
    if (role instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof byte[] b
        && !"master".equals(new String(b, StandardCharsets.US_ASCII))) {
      abort();
      throw new JedisConnectionException("Redis at " + at + " is a " + new String(b,
          StandardCharsets.US_ASCII) + " now; waiting for the Sentinels to name the master");
    }
  }
}
