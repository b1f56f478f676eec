package org.ktl4j.internal.redis;

import java.io.IOException;
import java.net.Socket;
import org.ktl4j.redis.RedisSettings;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.util.RedisInputStream;
import redis.clients.jedis.util.RedisOutputStream;

/**
 * A dedicated connection on which one thread sends commands without waiting for their answers and another thread
 * reads the answers, in the order the commands were sent. It lets a thread that must never block on Redis (a pub/sub
 * reader) start a command and go on; what the commands in flight may hold is for the caller to bound, well below the
 * socket buffers, so that a send never waits either. Reads have no timeout: the reading thread waits in the socket
 * for the next answer (so a send wakes nobody), and the caller bounds how late an answer may be by closing the
 * stream when the oldest command is overdue. Internal plumbing of ktl4j, not a supported API.
 *
 * <p>Unlike a Jedis {@code Connection}, a stream never reconnects by itself and never reads on the sending thread: a
 * closed or failed stream stays dead, and every later send or read fails. The socket, {@code AUTH}, {@code SELECT}
 * and {@code CLIENT SETNAME} are done once, by {@link #open}, on the calling thread.
 *
 * <p>Not thread-safe beyond that split: exactly one thread calls {@link #send}, exactly one calls {@link #read};
 * {@link #close()} and {@link #isDead()} from any thread. Cost: one TCP connection; a send is one socket write.
 */
public final class CommandStream implements AutoCloseable {
  private final Socket socket;
  private final RedisOutputStream out;
  private final RedisInputStream in;
  private final String address;
  private volatile boolean dead;

  private CommandStream(RedisSettings settings, HostAndPort at, String clientName) throws IOException {
    this.address = at.toString();
    this.socket = new DefaultJedisSocketFactory(at, JedisSettings.clientConfig(settings, clientName,
        java.time.Duration.ZERO)).createSocket(); // connect and TLS handshake bounded by the timeout
    try {
      this.out = new RedisOutputStream(socket.getOutputStream());
      this.in = new RedisInputStream(socket.getInputStream());
      if (settings.password().isPresent()) {
        CommandArguments auth = new CommandArguments(Protocol.Command.AUTH);
        settings.user().ifPresent(auth::add);
        handshake(auth.add(settings.password().get()));
      }
      if (settings.db() != 0) {
        handshake(new CommandArguments(Protocol.Command.SELECT).add(settings.db()));
      }
      handshake(new CommandArguments(Protocol.Command.CLIENT).add("SETNAME").add(clientName));
      socket.setSoTimeout(0); // from now on the caller bounds waiting (see the class comment)
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private void handshake(CommandArguments command) throws IOException {
    Protocol.sendCommand(out, command);
    out.flush();
    Protocol.read(in); // an error reply is thrown as a JedisDataException
  }

  /**
   * Opens and authenticates a connection now, named {@code clientName} on the server.
   *
   * @throws redis.clients.jedis.exceptions.JedisException if Redis cannot be reached or refuses the credentials
   */
  public static CommandStream open(RedisSettings settings, String clientName) {
    if (settings.sentinel().isPresent()) {
      throw new IllegalArgumentException("a stream behind Sentinel goes to the current master: use "
          + "RedisConnections.openStream");
    }
    return open(settings, JedisSettings.hostAndPort(settings), clientName);
  }

  static CommandStream open(RedisSettings settings, HostAndPort at, String clientName) {
    try {
      return new CommandStream(settings, at, clientName);
    } catch (IOException e) {
      throw new JedisConnectionException("cannot open a connection to " + settings.address() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Sends one command and flushes it; never reads. Sending thread only.
   *
   * @throws JedisConnectionException if the stream is dead or the write fails (then it is dead)
   */
  public void send(CommandArguments command) {
    if (dead) {
      throw new JedisConnectionException("the connection to " + address + " is closed");
    }
    try {
      Protocol.sendCommand(out, command);
      out.flush();
    } catch (IOException | RuntimeException e) {
      close();
      throw e instanceof JedisConnectionException jce ? jce : new JedisConnectionException(e);
    }
  }

  /**
   * The next answer, in the order the commands were sent, waiting for it as long as it takes (until
   * {@link #close()}). An error reply is thrown as a {@code JedisDataException} and leaves the stream usable; a
   * socket failure or a close is a {@link JedisConnectionException} and leaves it dead. Reading thread only.
   */
  public Object read() {
    if (dead) {
      throw new JedisConnectionException("the connection to " + address + " is closed");
    }
    try {
      return Protocol.read(in);
    } catch (JedisConnectionException e) {
      close();
      throw e;
    }
  }

  /** Whether the stream was closed or failed (then every command in flight may or may not have run). */
  public boolean isDead() {
    return dead;
  }

  /** The server, for messages. */
  public String address() {
    return address;
  }

  /** Closes the socket; a thread blocked on it gets an exception, and the stream stays dead. Idempotent. */
  @Override
  public void close() {
    dead = true;
    try {
      socket.close();
    } catch (IOException e) {
      // already closed: nothing to release
    }
  }
}
