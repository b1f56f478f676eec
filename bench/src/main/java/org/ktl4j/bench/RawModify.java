package org.ktl4j.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Raw MODIFY requests, pipelined from one connection with at most {@link #WINDOW} unanswered: the JSON of
 * protocol section 4.1 with a reply channel, and a subscriber thread counting {@code done} replies. Works against
 * the ktl4j dispatcher and the floor responder alike. Owns its connections.
 */
final class RawModify implements AutoCloseable {
  static final int WINDOW = 1000;
  private static final int BATCH = 100;

  private final Jedis publisher;
  private final Subscriber replies;
  private final AtomicLong done = new AtomicLong();
  private final String channel;
  private final String reply;
  private final String keyword;
  private long sent;

  RawModify(Rig rig, String channel, String reply, String keyword) {
    this.channel = channel;
    this.reply = reply;
    this.keyword = keyword;
    this.replies = new Subscriber(rig.settings, "raw-replies", false, (c, m) -> {
      if (m.contains("\"done\"")) {
        done.incrementAndGet();
      }
    }, reply);
    this.publisher = Jedises.open(rig.settings, "bench-raw-modify");
  }

  /** Sends for {@code nanos}, then waits for the replies still due; returns the number of {@code done} replies. */
  long run(long nanos) throws Exception {
    long start = done.get();
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end) {
      if (sent - done.get() > WINDOW - BATCH) {
        LockSupport.parkNanos(20_000);
        continue;
      }
      Pipeline p = publisher.pipelined();
      for (int i = 0; i < BATCH; i++) {
        long id = ++sent;
        p.publish(channel, FloorResponder.request(id, keyword, Long.toString(id), reply));
      }
      p.sync();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (done.get() < sent) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException((sent - done.get()) + " raw MODIFY requests unanswered after 10 s");
      }
      LockSupport.parkNanos(100_000);
    }
    return done.get() - start;
  }

  @Override
  public void close() {
    replies.close();
    publisher.close();
  }
}
