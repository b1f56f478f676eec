package org.ktl4j.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.ktl4j.redis.RedisSettings;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * A hand-rolled Jedis subscriber: its own connection and its own thread, calling {@code onMessage(channel,
 * message)} on that thread for every message, as the simplest Java program would. Owns its thread and
 * connection; {@link #close()} ends both.
 */
final class Subscriber implements AutoCloseable {
  private final Jedis jedis;
  private final Thread thread;
  private final JedisPubSub pubSub;
  private final CountDownLatch subscribed;
  private final boolean pattern;
  private volatile boolean closing;

  /**
   * Subscribes to {@code channels} (patterns with {@code pattern}) and returns once the server confirmed them all.
   */
  Subscriber(RedisSettings settings, String name, boolean pattern, BiConsumer<String, String> onMessage,
      String... channels) {
    this.pattern = pattern;
    this.jedis = Jedises.open(settings, name);
    this.subscribed = new CountDownLatch(channels.length);
    this.pubSub = new JedisPubSub() {
      @Override
      public void onMessage(String channel, String message) {
        onMessage.accept(channel, message);
      }

      @Override
      public void onPMessage(String p, String channel, String message) {
        onMessage.accept(channel, message);
      }

      @Override
      public void onSubscribe(String channel, int n) {
        subscribed.countDown();
      }

      @Override
      public void onPSubscribe(String p, int n) {
        subscribed.countDown();
      }
    };
    this.thread = new Thread(() -> {
      try {
        if (pattern) {
          jedis.psubscribe(pubSub, channels);
        } else {
          jedis.subscribe(pubSub, channels);
        }
      } catch (RuntimeException e) {
        if (!closing) {
          System.err.println("bench: floor subscriber " + name + " failed: " + e);
        }
      }
    }, "bench-floor-" + name);
    thread.setDaemon(true);
    thread.start();
    try {
      if (!subscribed.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("floor subscriber " + name + " not subscribed in 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    closing = true;
    try {
      if (pubSub.isSubscribed()) {
        if (pattern) {
          pubSub.punsubscribe();
        } else {
          pubSub.unsubscribe();
        }
      }
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // already gone
    }
    jedis.close();
  }
}
