package org.ktl4j.cli;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.ktl4j.client.KeywordUpdate;
import org.ktl4j.internal.protocol.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser's server-sent event stream ({@code GET /api/services/SVC/events}): a bounded queue that the
 * service's subscription {@linkplain #offer fills} without ever blocking, and a {@linkplain #run write loop} that
 * drains it to the socket on a thread of its own ({@code ktl-web-events-N}).
 *
 * <p>The queue holds {@value #MIN_CAPACITY} updates, or twice the service's keywords if that is more. When it is
 * full (the browser reads slower than values change), it is coalesced to the latest update per keyword, the skipped
 * ones counted in the event's {@code coalesced}, as the client library does; if it is still full (keywords were
 * added since the stream began), the stream is closed with a logged reason and the page reconnects. So memory never
 * grows with a slow reader. Every
 * {@value #KEEPALIVE_SECONDS} s without updates a comment line is written, which finds a browser that went away.
 * A browser that stops reading (without closing) blocks the write loop in a socket write, which has no timeout of
 * its own: {@link #closeIfStalled} (called by {@link WebServer}'s watchdog) ends a stream whose write made no
 * progress for {@value #STALL_SECONDS} s by interrupting its thread, which closes the socket.
 *
 * <p>Each event is {@code event: value} with one JSON object as its data: {@code keyword}, the value fields of
 * {@link JsonLines#value}, {@code coalesced}, {@code resync}. Thread-safe: {@link #offer} and {@link #close} from
 * any thread; {@link #run} once. Cost: at most its capacity in queued updates.
 */
final class EventStream implements Runnable {
  /** Fewest updates queued for one browser before they are coalesced. */
  static final int MIN_CAPACITY = 256;
  /** Seconds between keepalive comments on a quiet stream. */
  static final int KEEPALIVE_SECONDS = 15;
  /** Seconds one socket write may make no progress before the stream is ended. */
  static final int STALL_SECONDS = 30;

  private static final Logger log = LoggerFactory.getLogger(EventStream.class);
  private static final RateLimitedLog ended = new RateLimitedLog(log, Duration.ofMinutes(1));

  private final String service;
  private final int capacity;
  private final HttpExchange exchange;
  private final Consumer<EventStream> onEnd;
  // guarded by this; never more than capacity: offer() coalesces it per keyword, then closes the stream
  private final ArrayDeque<Queued> queue = new ArrayDeque<>();
  private String closedBecause; // guarded by this; null while open
  private Thread writer; // guarded by this; the thread in run(), null when none
  private long writeSince; // guarded by this; System.nanoTime() when the current write began, if writing
  private boolean writing; // guarded by this
  private boolean interrupted; // guarded by this; the watchdog interrupted the writer

  /** An update not yet written, and how many updates of its keyword were dropped for it here. */
  private record Queued(KeywordUpdate update, long dropped) {}

  /**
   * @param keywords how many keywords the service has
   * @param exchange whose response headers are sent already
   * @param onEnd    run once when the stream ends (releases its slot)
   */
  EventStream(String service, int keywords, HttpExchange exchange, Consumer<EventStream> onEnd) {
    this.service = service;
    this.capacity = Math.max(MIN_CAPACITY, 2 * keywords);
    this.exchange = exchange;
    this.onEnd = onEnd;
  }

  /** Queues an update; never blocks. Called on the client library's callback threads. */
  synchronized void offer(KeywordUpdate u) {
    if (closedBecause != null) {
      return;
    }
    if (queue.size() >= capacity) {
      coalesce();
      if (queue.size() >= capacity) {
        close("more than " + capacity + " keywords changed faster than the browser reads");
        return;
      }
    }
    queue.add(new Queued(u, 0));
    notifyAll();
  }

  /** Ends the stream; the write loop stops and closes the connection. Idempotent. */
  synchronized void close(String reason) {
    if (closedBecause == null) {
      closedBecause = reason;
      notifyAll();
    }
  }

  /**
   * Ends the stream if its thread is in a write that began {@value #STALL_SECONDS} s or more before {@code now}
   * ({@link System#nanoTime()}): interrupting the thread closes the socket it is blocked on. Never blocks.
   *
   * @return whether it ended the stream
   */
  synchronized boolean closeIfStalled(long now) {
    if (writer == null || !writing || interrupted || now - writeSince < TimeUnit.SECONDS.toNanos(STALL_SECONDS)) {
      return false;
    }
    close("a write made no progress for " + STALL_SECONDS + " s: the browser stopped reading");
    interrupted = true;
    writer.interrupt();
    return true;
  }

  private synchronized void writing(boolean now) {
    writing = now;
    writeSince = System.nanoTime();
  }

  /** Keeps the latest update per keyword, in the order of their latest updates. */
  private void coalesce() {
    Map<String, Queued> latest = new LinkedHashMap<>();
    for (Queued q : queue) {
      Queued before = latest.remove(q.update().keyword());
      long dropped = q.dropped() + (before == null ? 0 : before.dropped() + 1 + before.update().coalesced());
      latest.put(q.update().keyword(), new Queued(q.update(), dropped));
    }
    queue.clear();
    queue.addAll(latest.values());
  }

  /** Writes queued updates until the stream is closed or the browser goes away. */
  @Override
  public void run() {
    String reason = "the browser went away";
    synchronized (this) {
      writer = Thread.currentThread();
    }
    try (OutputStream out = exchange.getResponseBody()) {
      write(out, ": ktl web events of " + service + "\n\n");
      while (true) {
        Queued next;
        synchronized (this) {
          if (queue.isEmpty() && closedBecause == null) {
            TimeUnit.SECONDS.timedWait(this, KEEPALIVE_SECONDS);
          }
          if (closedBecause != null) {
            reason = closedBecause;
            break;
          }
          next = queue.poll();
        }
        write(out, next == null ? ": keepalive\n\n" : "event: value\ndata: " + json(next) + "\n\n");
      }
    } catch (IOException e) {
      // the browser closed the connection (the usual end of a stream), or the watchdog closed it
      reason = closedReason(reason);
    } catch (InterruptedException e) {
      reason = closedReason("the server is stopping");
      Thread.currentThread().interrupt(); // so that closing the exchange below cannot block on the socket
    } finally {
      close(reason);
      try {
        writing(true); // closing writes the last chunk: the watchdog watches it too
        exchange.close();
      } finally {
        synchronized (this) {
          writing = false;
          writer = null;
          if (interrupted) {
            Thread.interrupted(); // the watchdog's, for this stream only: the pool thread serves on
          }
        }
        onEnd.accept(this);
      }
      String why = reason;
      if (why.startsWith("more than") || why.startsWith("a write made no progress")) {
        ended.warn(() -> "ktl web: closed an event stream of service " + service + " for "
            + exchange.getRemoteAddress() + ": " + why);
      } else {
        log.debug("ktl web: event stream of service {} for {} ended: {}", service, exchange.getRemoteAddress(), why);
      }
    }
  }

  private synchronized String closedReason(String otherwise) {
    return closedBecause != null ? closedBecause : otherwise;
  }

  private void write(OutputStream out, String text) throws IOException {
    writing(true);
    try {
      out.write(text.getBytes(StandardCharsets.US_ASCII)); // JsonLines writes ASCII only
      out.flush();
    } finally {
      writing(false);
    }
  }

  /** One event's data: one line of JSON. */
  static String json(KeywordUpdate u, long dropped) {
    return JsonLines.line(w -> {
      w.name("keyword").value(u.keyword());
      JsonLines.value(w, Optional.of(u.value()));
      w.name("coalesced").value(u.coalesced() + dropped);
      w.name("resync").value(u.resync());
    });
  }

  private static String json(Queued q) {
    return json(q.update(), q.dropped());
  }
}
