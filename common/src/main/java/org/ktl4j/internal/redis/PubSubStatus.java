package org.ktl4j.internal.redis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.ktl4j.internal.redis.PubSub.ConnectionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link PubSubHub} tells about its connection: whether it is up, the last error, and the
 * {@link ConnectionListener}s, which are told on a thread of their own ({@code ktl-pubsub-events-HOST:PORT}) so that
 * the reader never waits for them.
 *
 * <p>Thread-safe: any thread reads it and adds or removes listeners; only the hub's reader thread changes the state.
 * Cost: one thread, started when a listener is first told something; events are told in order.
 */
final class PubSubStatus {
  private static final Logger log = LoggerFactory.getLogger(PubSubHub.class); // the hub's parts log as the hub

  private final List<ConnectionListener> connectionListeners = new CopyOnWriteArrayList<>();
  private final ExecutorService events;
  private volatile boolean connected;
  private volatile String lastError = "not connected yet";

  /** Status of the hub of Redis at {@code address}; no thread is started yet. */
  PubSubStatus(String address) {
    String name = "ktl-pubsub-events-" + address;
    this.events = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  void addListener(ConnectionListener l) {
    connectionListeners.add(l);
  }

  void removeListener(ConnectionListener l) {
    connectionListeners.remove(l);
  }

  boolean isConnected() {
    return connected;
  }

  /** Set by the reader under the registry lock, when it makes a session current and when that session has ended. */
  void connected(boolean up) {
    connected = up;
  }

  String lastError() {
    return lastError;
  }

  void lastError(String error) {
    lastError = error;
  }

  /** Tells every connection listener {@code event} on the events thread; a listener's failure is logged. */
  void fire(Consumer<ConnectionListener> event) {
    if (connectionListeners.isEmpty()) {
      return;
    }
    try {
      events.execute(() -> {
        for (ConnectionListener l : connectionListeners) {
          try {
            event.accept(l);
          } catch (RuntimeException e) {
            log.warn("connection listener failed: {}", e.toString(), e);
          }
        }
      });
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  /** Stops the events thread, letting it finish what it is telling for at most {@code waitMillis}. */
  void close(long waitMillis) {
    events.shutdown();
    try {
      events.awaitTermination(waitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    events.shutdownNow();
  }
}
