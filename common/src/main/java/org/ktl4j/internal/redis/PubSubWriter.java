package org.ktl4j.internal.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only thread that writes to a {@link PubSubHub}'s connection ({@code ktl-pubsub-writer-HOST:PORT}). It sends the
 * current session's commands in the order they were queued, merging neighbours of the same kind into commands of at
 * most {@value #BATCH} names, and a PING whenever a ping interval has passed, so that a live server is never silent
 * for longer than that. A write that blocks (the peer is not reading) blocks only this thread; the session's end
 * closes the socket and frees it.
 *
 * <p>Thread-safe: the reader hands sessions over with {@link #serve}; {@link #close} from any thread. Cost: one
 * thread, idle between pings.
 */
final class PubSubWriter {
  /** Most names in one SUBSCRIBE or UNSUBSCRIBE: 10,000 channels are ten commands, not 10,000. */
  static final int BATCH = 1000;
  private static final Logger log = LoggerFactory.getLogger(PubSubWriter.class);

  private final String address;
  private final long pingNanos;
  // one session per (re)connection, handed over by the reader, which makes one at a time: never more than a few
  private final BlockingQueue<PubSubSession> sessions = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closed;

  PubSubWriter(String address, Duration pingInterval) {
    this.address = address;
    this.pingNanos = pingInterval.toNanos();
    this.thread = new Thread(this::run, "ktl-pubsub-writer-" + address);
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts writing for {@code s}, the new current session (the previous one has ended). */
  void serve(PubSubSession s) {
    sessions.add(s);
  }

  /** Stops the thread; the caller has ended the current session first, so no write is blocking. */
  void close(long waitMillis) throws InterruptedException {
    closed = true;
    thread.interrupt();
    thread.join(waitMillis);
  }

  private void run() {
    while (!closed) {
      PubSubSession s;
      try {
        s = sessions.take();
        writeFor(s);
      } catch (InterruptedException e) {
        return; // only close() interrupts
      }
    }
  }

  private void writeFor(PubSubSession s) throws InterruptedException {
    try {
      long nextPing = System.nanoTime() + pingNanos;
      while (s.isOpen() && !closed) {
        if (s.inFlightFull()) { // Redis has not answered that many commands: write no more (the keep-alive judges it)
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
          continue;
        }
        PubSubCommand c = s.poll(nextPing - System.nanoTime());
        if (c != null && c != PubSubSession.WAKE_UP) {
          write(s, withNeighbours(s, c));
        }
        if (System.nanoTime() - nextPing >= 0) { // also between commands: a long burst must not starve the keep-alive
          write(s, PubSubCommand.ping(null));
          nextPing = System.nanoTime() + pingNanos;
        }
      }
    } catch (RuntimeException e) { // JedisConnectionException mostly; whatever it is, this connection is done
      if (s.isOpen()) {
        log.debug("writing to the pub/sub connection to {} failed: {}", address, e.toString());
      }
      if (String.valueOf(e.getMessage()).startsWith("Attempting to write to a broken connection")) {
        return; // the reader broke it (e.g. the keep-alive bound passed): it ends the session, with the real cause
      }
      s.end("cannot write to Redis at " + address + ": " + PubSubHub.describe(e));
    }
  }

  /** {@code first} merged with the queued commands right behind it that can share its command. */
  private static PubSubCommand withNeighbours(PubSubSession s, PubSubCommand first) {
    int names = first.topics.size();
    List<PubSubCommand> more = null;
    for (PubSubCommand next = s.peek(); next != null && first.mergesWith(next)
        && names + next.topics.size() <= BATCH; next = s.peek()) {
      s.pollNow(); // the one just peeked: this thread is the only taker
      names += next.topics.size();
      if (more == null) {
        more = new ArrayList<>();
      }
      more.add(next);
    }
    return more == null ? first : first.merge(more);
  }

  private static void write(PubSubSession s, PubSubCommand c) {
    s.sent(c);
    s.connection.write(c.kind.command, c.args());
  }
}
