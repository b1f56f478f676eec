package org.ktl4j.dispatcher;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.ktl4j.internal.protocol.Names;
import org.ktl4j.internal.protocol.Reply;
import org.ktl4j.internal.redis.RedisConnections;
import redis.clients.jedis.AbstractPipeline;

/**
 * Sends the replies that need no work behind them ({@code BUSY}, {@code BAD_REQUEST}, {@code NO_SUCH_KEYWORD}):
 * the pub/sub reader thread hands them over without touching Redis, and one thread ({@code ktl-<svc>-replies})
 * publishes them in pipelined batches, so that answering a flood costs a fraction of a round trip per request.
 *
 * <p>The queue is bounded ({@link #CAPACITY}); when even it is full, which takes a flood faster than Redis can
 * take the answers, further refusals are counted and logged once per interval, not queued. Thread-safe.
 */
final class ImmediateReplies implements AutoCloseable {
  /** Most replies waiting to be sent. */
  static final int CAPACITY = 4096;
  private static final int BATCH = 512;

  private record Outgoing(String channel, Reply reply) {}

  /** Queued by {@link #close()} to wake the thread (it waits in {@code take()}, costing nothing while idle). */
  private static final Outgoing WAKE_UP = new Outgoing("", null);

  private final String service;
  private final RedisConnections endpoint;
  private final BlockingQueue<Outgoing> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final AtomicLong dropped = new AtomicLong();
  private final RefusalLog refusals;
  private final Thread thread;
  private volatile boolean closed;

  ImmediateReplies(String service, RedisConnections endpoint, RefusalLog refusals) {
    this.service = service;
    this.refusals = refusals;
    this.endpoint = endpoint;
    this.thread = new Thread(this::run, "ktl-" + service + "-replies");
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues a reply; never blocks. */
  void send(String channel, Reply reply) {
    if (closed || !queue.offer(new Outgoing(channel, reply))) { // encoded on the replies thread, if sent
      dropped.incrementAndGet();
      refusals.record(RefusalLog.Kind.REPLY_LOST, null, () -> "requests arrive faster than Redis takes their "
          + "refusals; refusals not sent (their writers time out; nothing of theirs was applied)");
    }
  }

  /** Replies that could not even be queued, since start. */
  long dropped() {
    return dropped.get();
  }

  private void run() {
    List<Outgoing> batch = new ArrayList<>(BATCH);
    while (!closed || !queue.isEmpty()) {
      try {
        Outgoing first = queue.take();
        if (first == WAKE_UP) {
          continue; // closing: the loop sends what is still queued, then ends
        }
        batch.add(first);
        queue.drainTo(batch, BATCH - 1);
        batch.remove(WAKE_UP);
        if (!batch.isEmpty()) {
          publish(batch);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        int n = batch.size();
        refusals.record(RefusalLog.Kind.REPLY_LOST, null, () -> "could not send " + n + " refusal(s): "
            + Names.printable(e.getMessage()));
      } finally {
        batch.clear();
      }
    }
  }

  private void publish(List<Outgoing> batch) {
    if (batch.size() == 1) {
      endpoint.publish(batch.get(0).channel(), batch.get(0).reply().toJson());
      return;
    }
    try (AbstractPipeline p = endpoint.commands().pipelined()) {
      for (Outgoing o : batch) {
        endpoint.publish(p, o.channel(), o.reply().toJson());
      }
      p.sync();
    }
  }

  /** Sends what is queued (bounded by the settings' timeout) and stops the thread. */
  @Override
  public void close() {
    closed = true;
    queue.offer(WAKE_UP); // when full, the thread is busy and sees closed once the queue is empty, or is interrupted
    try {
      thread.join(Math.max(1000, endpoint.settings().timeout().toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread.interrupt();
  }
}
