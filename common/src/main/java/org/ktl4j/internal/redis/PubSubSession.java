package org.ktl4j.internal.redis;

import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One life of a {@link PubSubHub}'s connection: the socket, the bounded queue of commands waiting for the writer, and
 * the commands written but not yet fully answered, oldest first. A new session starts on every (re)connection and
 * subscribes everything registered, so commands queued for a dead session are simply dropped.
 *
 * <p>Thread-safe: any thread queues commands and may {@link #end} it; the writer thread takes and records commands;
 * the reader thread matches replies and owns the fields marked as its own. Cost: the queue's array
 * ({@code capacity} references) and one socket.
 */
final class PubSubSession {
  /** Queued by {@link #end} so that a writer waiting for commands notices at once; never written. */
  static final PubSubCommand WAKE_UP = PubSubCommand.ping("ktl-wake-up");

  final PubSubConnection connection;
  private final BlockingQueue<PubSubCommand> queue;
  // written and not yet answered: at most `capacity` (the writer writes no more until Redis answers), and a session
  // whose peer stops answering is closed by the keep-alive
  private final Queue<PubSubCommand> inFlight = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlightCount = new AtomicInteger();
  private final int capacity;
  private final AtomicReference<String> endReason = new AtomicReference<>();

  /** Resync pings not answered yet; reader thread only. */
  int resyncsPending;
  /** Whether an earlier session of the hub was established (listeners are told "reconnect"); reader thread only. */
  boolean reconnect;
    /** Whether listeners were told this connection is up; reader thread only. */
  boolean announced;

  PubSubSession(PubSubConnection connection, int capacity) {
    this.connection = connection;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.capacity = capacity;
  }

  /** Whether as many commands are written and unanswered as the queue holds: write no more until Redis answers. */
  boolean inFlightFull() {
    return inFlightCount.get() >= capacity;
  }

  /**
   * Queues a command without ever blocking. False if the queue is full: the peer has stopped reading, and the caller
   * must {@link #end} the session (outside any lock) rather than drop the command.
   */
  boolean offer(PubSubCommand c) {
    return !isOpen() || queue.offer(c); // a dead session's commands are moot: the next one resubscribes everything
  }

  /** The next queued command, waiting at most {@code nanos}; writer thread only. */
  PubSubCommand poll(long nanos) throws InterruptedException {
    return nanos <= 0 ? queue.poll() : queue.poll(nanos, TimeUnit.NANOSECONDS);
  }

  /** The next queued command if any, without waiting; writer thread only. */
  PubSubCommand pollNow() {
    return queue.poll();
  }

  /** The next queued command if any, without taking it; writer thread only. */
  PubSubCommand peek() {
    return queue.peek();
  }

  /** Records {@code c} as written (just before writing it, so that no reply can arrive first); writer thread only. */
  void sent(PubSubCommand c) {
    inFlightCount.incrementAndGet();
    inFlight.add(c);
  }

  /** The oldest command whose replies are not all in, or null; reader thread only. */
  PubSubCommand oldest() {
    return inFlight.peek();
  }

  /** Drops the oldest command: it is fully answered (or refused); reader thread only. */
  void answered() {
    if (inFlight.poll() != null) {
      inFlightCount.decrementAndGet();
    }
  }

  boolean isOpen() {
    return endReason.get() == null;
  }

  /** Why it ended, or null while open. */
  String endReason() {
    return endReason.get();
  }

  /** Ends the session: closes the socket (unblocking its reader and writer). The first reason given wins. */
  void end(String reason) {
    if (endReason.compareAndSet(null, reason)) {
      connection.abort();
      queue.offer(WAKE_UP);
    }
  }
}
