package org.ktl4j.redis;

import java.io.IOException;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;

/**
 * A dedicated connection on which one thread sends commands without waiting for their answers and another
 * thread reads the answers, in the order the commands were sent. Reads have no timeout: the reading thread waits in
 * the socket for the next answer (so a send wakes nobody), and the caller bounds how late an answer may be by
 * closing the stream when the oldest command in flight is overdue. It lets a thread that must never block on Redis
 * (a pub/sub reader) start a command and go on; what the commands in flight may hold is for the caller to bound,
 * below the socket buffers, so that a send never waits either. Internal plumbing of ktl4j, not a supported API.
 *
 * <p>Not thread-safe beyond that split: exactly one thread calls {@link #send}, exactly one calls {@link #read};
 * {@link #close()} may be called from any thread. Cost: one TCP connection (with its {@code AUTH}, {@code SELECT}
 * and {@code CLIENT SETNAME} at open); a send is one socket write.
 */
public final class CommandStream implements AutoCloseable {
  private final Stream connection;
  private final String address;

  private static final class Stream extends Connection {
    Stream(RedisSettings settings, String clientName) {
      super(settings.hostAndPort(), settings.clientConfig(clientName, java.time.Duration.ofMillis(-1)));
    }

    void waitForever() {
      setTimeoutInfinite(); // the blocking timeout, which this stream's configuration leaves unbounded
    }

    void send(CommandArguments args) {
      sendCommand(args);
      flush();
    }

    Object readOne() {
      return getUnflushedObject();
    }
  }

  private CommandStream(RedisSettings settings, String clientName) {
    this.connection = new Stream(settings, clientName);
    this.connection.connect();
    this.connection.waitForever();
    this.address = settings.address();
  }

  /**
   * Opens and authenticates a connection now, named {@code clientName} on the server.
   *
   * @throws redis.clients.jedis.exceptions.JedisException if Redis cannot be reached or refuses the credentials
   */
  public static CommandStream open(RedisSettings settings, String clientName) {
    return new CommandStream(settings, clientName);
  }

  /**
   * Sends one command and flushes it; never reads. Sending thread only.
   *
   * @throws redis.clients.jedis.exceptions.JedisConnectionException if the connection is broken (it stays broken)
   */
  public void send(CommandArguments command) {
    connection.send(command);
  }

  /**
   * The next answer, in the order the commands were sent, waiting for it as long as it takes (until
   * {@link #close()}). An error reply is thrown as a {@code JedisDataException} and leaves the stream usable; a
   * socket failure or a close is a {@code JedisConnectionException} and leaves it broken. Reading thread only.
   */
  public Object read() {
    return connection.readOne();
  }

  /** Whether a failure has broken the connection (then every command in flight may or may not have run). */
  public boolean isBroken() {
    return connection.isBroken();
  }

  /** The server, for messages. */
  public String address() {
    return address;
  }

  /** Closes the socket without flushing; a thread blocked on it gets an exception. Idempotent. */
  @Override
  public void close() {
    try {
      connection.forceDisconnect();
    } catch (IOException | RuntimeException e) {
      // already closed: nothing to release
    }
  }
}
