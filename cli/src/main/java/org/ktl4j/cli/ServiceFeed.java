package org.ktl4j.cli;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.ktl4j.client.KeywordUpdate;
import org.ktl4j.client.Service;
import org.ktl4j.client.Subscription;

/**
 * One service's updates for every browser watching it in {@code ktl web}: a single whole-service subscription of
 * the client library, opened with the first {@link EventStream} and closed when the last one ends (or at
 * {@link #close()}), whose callback remembers each keyword's latest update, for the snapshot a new stream starts
 * with, and hands the update to every stream's non-blocking {@link EventStream#offer}. No thread of its own: the
 * callback runs on the client library's callback threads and never blocks.
 *
 * <p>Thread-safe. Cost while watched: one pattern subscription, one retained update per keyword; none after.
 */
final class ServiceFeed implements AutoCloseable {
  private final Service service;
  private final Set<EventStream> streams = new CopyOnWriteArraySet<>();
  private volatile Live live; // written under this; null while no stream watches
  private boolean closed; // guarded by this

  /** One opening of the subscription, and the latest updates it delivered. */
  private static final class Live {
    final Map<String, KeywordUpdate> latest = new ConcurrentHashMap<>();
    volatile Subscription subscription;
  }

  ServiceFeed(Service service) {
    this.service = service;
  }

  /**
   * Adds a stream: it gets the latest update of every keyword seen so far (priming reads included), then every
   * update. A stream may see an update twice around the snapshot; the page keeps the highest {@code seq}.
   *
   * @return false, the stream not added, if the feed is closed (the server is stopping)
   * @throws org.ktl4j.UnavailableException if the subscription cannot be opened (the stream is not added)
   */
  boolean add(EventStream stream) {
    Live now;
    synchronized (this) {
      if (closed) {
        return false;
      }
      if (live == null) {
        Live opening = new Live();
        live = opening; // the priming reads' callbacks must find it current
        try {
          opening.subscription = service.subscribeAll(u -> deliver(opening, u), true);
        } catch (RuntimeException e) {
          live = null;
          throw e;
        }
      }
      now = live;
      streams.add(stream);
    }
    now.latest.values().forEach(stream::offer);
    return true;
  }

  /** Removes a stream that ended; the last one closes the subscription and forgets the latest values. */
  void remove(EventStream stream) {
    Subscription unused = null;
    synchronized (this) {
      if (streams.remove(stream) && streams.isEmpty() && live != null) {
        unused = live.subscription;
        live = null;
      }
    }
    if (unused != null) {
      unused.close();
    }
  }

  /** Whether a subscription is open: for tests. */
  synchronized boolean watched() {
    return live != null;
  }

  private void deliver(Live from, KeywordUpdate u) {
    if (live != from) {
      return; // a callback of a subscription closed meanwhile (no lock: add() holds it while priming reads call)
    }
    from.latest.put(u.keyword(), u);
    for (EventStream s : streams) {
      s.offer(u);
    }
  }

  /** Ends streams whose socket write stalled ({@link EventStream#closeIfStalled}). */
  void closeStalled(long now) {
    streams.forEach(s -> s.closeIfStalled(now));
  }

  /** Ends the subscription and every stream. Idempotent. */
  @Override
  public void close() {
    Subscription s = null;
    List<EventStream> ending;
    synchronized (this) {
      closed = true;
      if (live != null) {
        s = live.subscription;
        live = null;
      }
      ending = List.copyOf(new HashSet<>(streams));
    }
    if (s != null) {
      s.close();
    }
    ending.forEach(e -> e.close("the server is stopping"));
  }
}
