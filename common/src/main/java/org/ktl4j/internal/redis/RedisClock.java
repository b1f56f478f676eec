package org.ktl4j.internal.redis;

import java.util.List;
import redis.clients.jedis.Protocol;

/**
 * The Redis server's clock as seen from this process: the one clock that MODIFY deadlines are written in
 * (ktl protocol 1, "Deadlines"), so that writer, dispatcher and the store script agree on when a deadline
 * passed even when the hosts' clocks differ. It keeps the offset between this host's clock and the server's
 * {@code TIME}, measured from one round trip (accurate to half of it) and measured again every
 * {@link #RESAMPLE_MICROS} or whenever a caller offers a fresh sample. One per {@link RedisConnections}.
 *
 * <p>Thread-safe. Cost of {@link #nowMicros()}: a clock read; one {@code TIME} round trip on first use and then
 * once per {@link #RESAMPLE_MICROS}. If the server cannot be asked, the local clock is used until it can.
 */
public final class RedisClock {
  /** How long a measured offset is trusted before it is measured again: 5 minutes. */
  public static final long RESAMPLE_MICROS = 300_000_000L;

  private final RedisConnections endpoint;
  private volatile long offsetMicros;
  private volatile long sampledAtMicros; // 0: never sampled, so the first nowMicros() asks the server

  /** The clock of the server behind {@code endpoint}; {@link RedisConnections#clock()} holds the one to use. */
  RedisClock(RedisConnections endpoint) {
    this.endpoint = endpoint;
  }

  /** The server's time now, in microseconds since the epoch (estimated from this host's clock). */
  public long nowMicros() {
    long local = localMicros();
    if (local - sampledAtMicros > RESAMPLE_MICROS) {
      sample(local);
    }
    return local + offsetMicros;
  }

  /**
   * The server's time now as last measured, never asking the server (for threads that must not make a
   * round trip, such as the pub/sub reader). Before any measurement, this host's clock.
   */
  public long estimateMicros() {
    return localMicros() + offsetMicros;
  }

  /** Measures the offset now (one {@code TIME} round trip); on failure keeps the last one. */
  public void sampleNow() {
    sample(localMicros());
  }

  /** The offset last measured (server minus local), in microseconds. */
  public long offsetMicros() {
    return offsetMicros;
  }

  /**
   * Records a sample taken by the caller: the server answered {@code serverMicros} to a command sent at local
   * time {@code sentMicros} and answered at {@code receivedMicros}.
   */
  public void offer(long serverMicros, long sentMicros, long receivedMicros) {
    offsetMicros = serverMicros - (sentMicros + receivedMicros) / 2;
    sampledAtMicros = receivedMicros;
  }

  /** Decodes the reply of {@code TIME} (or a script's {@code {secs, usecs}}) into microseconds. */
  public static long micros(Object secs, Object usecs) {
    return Long.parseLong(text(secs)) * 1_000_000L + Long.parseLong(text(usecs));
  }

  /** This host's clock in microseconds since the epoch. */
  public static long localMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }

  private static String text(Object o) {
    return o instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.US_ASCII) : String.valueOf(o);
  }

  /**
   * The key whose server's clock is sampled: {@code ktl:services}. On one server or behind Sentinel any key would do;
   * on a cluster it picks one node, the same for every process, whose clock deadlines are measured against (the
   * nodes' clocks are expected to agree, e.g. by NTP, as they must for any deadline to mean the same everywhere).
   */
  static final String CLOCK_KEY = "ktl:services";

  private void sample(long local) {
    sampledAtMicros = local; // one attempt per period, even when it fails: the write path never retries it
    try {
      long sent = localMicros();
      // routed by a key: on a cluster TIME goes to the master of that key's slot (the same node for every process)
      List<?> t = (List<?>) endpoint.commandAt(CLOCK_KEY, Protocol.Command.TIME);
      long received = localMicros();
      offer(micros(text(t.get(0)), text(t.get(1))), sent, received);
    } catch (RuntimeException e) {
      // keep the last offset (or none): deadlines fall back to this host's clock
    }
  }
}
