package org.ktl4j.cli;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ktl4j.client.KeywordUpdate;
import org.ktl4j.client.Service;
import org.ktl4j.client.Subscription;

/**
 * One service's updates for every browser watching it in {@code ktl web}: a single whole-service subscription of
 * the client library (opened with the first {@link EventStream} and kept until {@link #close()}), whose callback
 * remembers each keyword's latest update, for the snapshot a new stream starts with, and hands the update to every
 * stream's non-blocking {@link EventStream#offer}. No thread of its own: the callback runs on the client library's
 * callback threads and never blocks.
 *
 * <p>Thread-safe. Cost: one pattern subscription per service watched, one retained update per keyword.
 */
final class ServiceFeed implements AutoCloseable {
  private final Service service;
  private final Set<EventStream> streams = ConcurrentHashMap.newKeySet();
  private final Map<String, KeywordUpdate> latest = new ConcurrentHashMap<>();
  private Subscription subscription; // guarded by this
  private boolean closed; // guarded by this

  ServiceFeed(Service service) {
    this.service = service;
  }

  /**
   * Adds a stream: it gets the latest update of every keyword seen so far (priming reads included), then every
   * update. A stream may see an update twice around the snapshot; the page keeps the highest {@code seq}.
   */
  void add(EventStream stream) {
    streams.add(stream);
    synchronized (this) {
      if (closed) {
        stream.close("the server is stopping");
        return;
      }
      if (subscription == null) {
        subscription = service.subscribeAll(this::deliver, true);
      }
    }
    latest.values().forEach(stream::offer);
  }

  /** Removes a stream that ended. */
  void remove(EventStream stream) {
    streams.remove(stream);
  }

  private void deliver(KeywordUpdate u) {
    latest.put(u.keyword(), u);
    for (EventStream s : streams) {
      s.offer(u);
    }
  }

  /** Ends the subscription and every stream. Idempotent. */
  @Override
  public void close() {
    Subscription s;
    synchronized (this) {
      closed = true;
      s = subscription;
      subscription = null;
    }
    if (s != null) {
      s.close();
    }
    streams.forEach(e -> e.close("the server is stopping"));
  }
}
