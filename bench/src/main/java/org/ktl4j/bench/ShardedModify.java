package org.ktl4j.bench;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.ktl4j.internal.protocol.Keys;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisShardedPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisProtocol;

/**
 * Raw MODIFY requests to many services on a Redis Cluster, as protocol section 4.1 and 6.8 say a writer sends them:
 * the JSON of a request with a reply channel of the service ({@code ktl:{svc}:reply:<token>}), published with
 * {@code SPUBLISH} on the service's {@code ktl:{svc}:modify} shard channel, on the master of the service's slot. Per
 * master, one publisher connection pipelines requests (100 at a time) to the services of that master, cycling over
 * every service and then every keyword, with at most its share of the window unanswered; and one subscriber
 * connection, {@code SSUBSCRIBE}d to the reply channel of each of those services (one command per channel: shard
 * channels of several slots are refused in one), counts the {@code done} replies on its own thread. Routing is by the
 * cluster's slot map ({@link BenchCluster#masterOfService}), fixed for the run, so the load generator costs the JVM
 * no more than a pipelined plain Jedis client.
 *
 * <p>Used by one thread at a time ({@link #run}); it runs one publisher thread per master ({@code bench-scale-pub-N})
 * and owns one subscriber thread per master ({@code bench-scale-replies-N}), all stopped by {@link #close()}.
 */
final class ShardedModify implements AutoCloseable {
  private static final int BATCH = 100;
  private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(30);
  /** How long the replies may stop coming before the requests still unanswered are given up on. */
  private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** The services of one master, its connections and counters. */
  private static final class Node {
    final List<String> modifyChannels = new ArrayList<>();
    final List<String> replyChannels = new ArrayList<>();
    final AtomicLong done = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    int window;
    long sent; // publisher thread only (run() waits for it)
    long nextRequest; // publisher thread only
    Connection publisher;
    Connection subscriber;
    JedisShardedPubSub replies;
    Thread replyThread;
  }

  private final List<Node> nodes = new ArrayList<>();
  private final List<String> keywords;
  private final ExecutorService publishers;
  private final AtomicLong ids = new AtomicLong();
  private final AtomicReference<String> firstRefusal = new AtomicReference<>();
  private long unanswered;

  /**
   * Connects and subscribes the reply channels of {@code services} (whose keywords are {@code keywords}) on the
   * masters of {@code cluster}; returns once every reply channel is subscribed.
   */
  ShardedModify(BenchCluster cluster, List<String> services, List<String> keywords, int window) {
    this.keywords = List.copyOf(keywords);
    String token = "benchscale" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
    List<Integer> ports = cluster.ports();
    for (int i = 0; i < ports.size(); i++) {
      nodes.add(new Node());
    }
    for (String s : services) {
      Node n = nodes.get(cluster.masterOfService(s));
      Keys k = Keys.of(s);
      n.modifyChannels.add(k.modifyChannel());
      n.replyChannels.add(k.replyChannel(token));
    }
    AtomicInteger threadNo = new AtomicInteger();
    publishers = Executors.newFixedThreadPool(ports.size(), r -> {
      Thread t = new Thread(r, "bench-scale-pub-" + threadNo.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      for (int i = 0; i < nodes.size(); i++) {
        Node n = nodes.get(i);
        if (n.modifyChannels.isEmpty()) {
          continue;
        }
        n.window = Math.max(BATCH, (int) ((long) window * n.modifyChannels.size() / services.size()));
        HostAndPort hp = new HostAndPort("127.0.0.1", ports.get(i));
        n.publisher = new Connection(hp, config("bench-scale-modify"));
        subscribe(n, hp, i);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private static DefaultJedisClientConfig config(String name) {
    return DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP2).clientName(name)
        .connectionTimeoutMillis(5000).socketTimeoutMillis(0).build(); // subscribers block indefinitely
  }

  private void subscribe(Node n, HostAndPort hp, int index) {
    CountDownLatch first = new CountDownLatch(1);
    CountDownLatch all = new CountDownLatch(n.replyChannels.size());
    n.subscriber = new Connection(hp, config("bench-scale-replies"));
    n.replies = new JedisShardedPubSub() {
      @Override
      public void onSMessage(String channel, String message) {
        if (!message.contains("\"stage\":\"done\"")) {
          return; // an ack: keywords without a write hook send none
        }
        if (!message.contains("\"ok\":true")) {
          n.refused.incrementAndGet();
          firstRefusal.compareAndSet(null, message);
        }
        n.done.incrementAndGet();
      }

      @Override
      public void onSSubscribe(String channel, int count) {
        first.countDown();
        all.countDown();
      }
    };
    String head = n.replyChannels.get(0);
    n.replyThread = new Thread(() -> {
      try {
        n.replies.proceed(n.subscriber, head);
      } catch (RuntimeException e) {
        if (n.replies.isSubscribed()) {
          System.err.println("bench: scale reply subscriber " + index + " failed: " + e);
        }
      }
    }, "bench-scale-replies-" + (index + 1));
    n.replyThread.setDaemon(true);
    n.replyThread.start();
    await(first, "the first reply channel on port " + hp.getPort());
    for (String c : n.replyChannels.subList(1, n.replyChannels.size())) {
      n.replies.ssubscribe(c); // one SSUBSCRIBE per channel: their slots differ
    }
    await(all, n.replyChannels.size() + " reply channels on port " + hp.getPort());
  }

  private static void await(CountDownLatch latch, String what) {
    try {
      if (!latch.await(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("not subscribed to " + what + " within 20 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while subscribing to " + what, e);
    }
  }

  /**
   * Sends for {@code nanos} from every master's publisher at once, then waits for the replies still due, at most 30 s
   * and until none came for 5 s (those are then given up on: {@link #unanswered()}); returns {requests answered
   * {@code done}, of which refused, nanos from the start until the last answer}.
   */
  long[] run(long nanos) throws Exception {
    long done0 = 0;
    long refused0 = 0;
    for (Node n : nodes) {
      done0 += n.done.get();
      refused0 += n.refused.get();
    }
    long t0 = System.nanoTime();
    long end = t0 + nanos;
    List<Future<?>> fs = new ArrayList<>();
    for (Node n : nodes) {
      if (n.publisher != null) {
        fs.add(publishers.submit(() -> {
          publish(n, end);
          return null;
        }));
      }
    }
    for (Future<?> f : fs) {
      f.get(nanos + DRAIN_NANOS, TimeUnit.NANOSECONDS);
    }
    long deadline = System.nanoTime() + DRAIN_NANOS;
    long lastAnswer = System.nanoTime();
    for (Node n : nodes) {
      long seen = n.done.get();
      while (seen < n.sent) {
        long now = System.nanoTime();
        if (now > deadline || now - lastAnswer > QUIET_NANOS) {
          // a dispatcher whose lease lapsed answers nothing it took meanwhile (protocol 4.2): give those up
          unanswered += n.sent - seen;
          n.sent = seen;
          break;
        }
        LockSupport.parkNanos(50_000);
        long d = n.done.get();
        if (d != seen) {
          seen = d;
          lastAnswer = System.nanoTime();
        }
      }
    }
    long elapsed = Math.min(System.nanoTime(), lastAnswer) - t0;
    long done = -done0;
    long refused = -refused0;
    for (Node n : nodes) {
      done += n.done.get();
      refused += n.refused.get();
    }
    return new long[] {done, refused, elapsed};
  }

  /** Publisher thread: pipelines requests to {@code n}'s services until {@code end}, at most its window unanswered. */
  private void publish(Node n, long end) {
    int services = n.modifyChannels.size();
    int k = keywords.size();
    while (System.nanoTime() < end) {
      if (n.sent - n.done.get() > n.window - BATCH) {
        LockSupport.parkNanos(20_000);
        continue;
      }
      Pipeline p = new Pipeline(n.publisher);
      for (int i = 0; i < BATCH; i++) {
        long r = n.nextRequest++;
        int s = (int) (r % services);
        String kw = keywords.get((int) ((r / services) % k));
        long id = ids.incrementAndGet();
        String v = Long.toString(id % 1_000_000_000L);
        p.sendCommand(new CommandArguments(Protocol.Command.SPUBLISH).add(n.modifyChannels.get(s))
            .add(FloorResponder.request(id, kw, v, n.replyChannels.get(s))));
      }
      p.sync();
      n.sent += BATCH;
    }
  }

  /**
   * How many requests were given up on so far, unanswered 5 s after the last reply of their round: a dispatcher whose
   * lease lapsed (its renewal starved of CPU) answers nothing it took during the lapse (protocol section 4.2).
   */
  long unanswered() {
    return unanswered;
  }

  /** How many {@code done} replies were refusals ({@code ok:false}) so far. */
  long refused() {
    long r = 0;
    for (Node n : nodes) {
      r += n.refused.get();
    }
    return r;
  }

  /** The first refusal ({@code done} with {@code ok:false}) seen, if any. */
  String firstRefusal() {
    return firstRefusal.get();
  }

  @Override
  public void close() {
    publishers.shutdownNow();
    for (Node n : nodes) {
      try {
        if (n.replies != null && n.replies.isSubscribed()) {
          n.replies.sunsubscribe();
        }
      } catch (RuntimeException e) {
        // gone already
      }
      if (n.replyThread != null) {
        try {
          n.replyThread.join(2000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (n.subscriber != null) {
        n.subscriber.close();
      }
      if (n.publisher != null) {
        n.publisher.close();
      }
    }
    try {
      publishers.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
