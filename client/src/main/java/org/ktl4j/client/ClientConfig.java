package org.ktl4j.client;

import java.time.Duration;
import org.ktl4j.internal.protocol.ModifyRequest;
import org.ktl4j.internal.protocol.Names;
import org.ktl4j.internal.redis.ProcessIdentity;

/**
 * How a client behaves: write deadlines, callback threads and the name it writes under. Immutable and
 * thread-safe.
 *
 * @param ackTimeout      how long a write waits for the dispatcher's {@code ack}; a live dispatcher acknowledges
 *                        within milliseconds, so a missing ack means a dead or wedged dispatcher
 * @param writeTimeout    how long a write waits for {@code done} (hardware may take a while)
 * @param callbackThreads most threads that run subscription callbacks at once; a slow callback holds one, so
 *                        other keywords are delayed only when this many callbacks are blocked at the same time
 * @param clientName      who is writing, stored as each value's {@code origin}: at most 128 characters, no control
 *                        characters (protocol section 4.1)
 */
public record ClientConfig(Duration ackTimeout, Duration writeTimeout, int callbackThreads, String clientName) {
  /** Default ack deadline: 2 seconds. */
  public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(2);
  /** Default done deadline: 60 seconds. */
  public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(60);
  /** Default largest number of callback threads (created on demand, retired when idle): {@value}. */
  public static final int DEFAULT_CALLBACK_THREADS = 32;

  public ClientConfig {
    if (ackTimeout.isNegative() || ackTimeout.isZero() || writeTimeout.isNegative() || writeTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
    if (callbackThreads < 1) {
      throw new IllegalArgumentException("callbackThreads must be at least 1");
    }
    String problem = ModifyRequest.clientProblem(clientName);
    if (problem != null) {
      throw new IllegalArgumentException("invalid client name: " + problem);
    }
  }

  /** The defaults; the client name is {@code user@host:pid}. */
  public static ClientConfig defaults() {
    String name = System.getProperty("user.name", "unknown") + "@" + ProcessIdentity.host() + ":" + ProcessIdentity.pid();
    StringBuilder b = new StringBuilder(name.length());
    int[] codePoints = name.codePoints().limit(ModifyRequest.MAX_CLIENT_LENGTH).toArray();
    for (int cp : codePoints) { // whole characters: never half of a surrogate pair
      b.appendCodePoint(Character.isBmpCodePoint(cp) && Names.isControl((char) cp) ? '?' : cp); // nor the environment
    }
    return new ClientConfig(DEFAULT_ACK_TIMEOUT, DEFAULT_WRITE_TIMEOUT, DEFAULT_CALLBACK_THREADS, b.toString());
  }

  /** Same, with another write timeout. */
  public ClientConfig withWriteTimeout(Duration t) {
    return new ClientConfig(ackTimeout, t, callbackThreads, clientName);
  }

  /** Same, with another ack timeout. */
  public ClientConfig withAckTimeout(Duration t) {
    return new ClientConfig(t, writeTimeout, callbackThreads, clientName);
  }

  /** Same, with another client name. */
  public ClientConfig withClientName(String name) {
    return new ClientConfig(ackTimeout, writeTimeout, callbackThreads, name);
  }

  /** Same, with another number of callback threads. */
  public ClientConfig withCallbackThreads(int n) {
    return new ClientConfig(ackTimeout, writeTimeout, n, clientName);
  }
}
