package org.ktl4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.ktl4j.client.ClientConfig;
import org.ktl4j.client.Service;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.dispatcher.DispatcherConfig;
import org.ktl4j.dispatcher.DispatcherKeyword;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.type.KtlType;

/**
 * The {@code scale} scenario (issue point 6): {@code S} services × {@code K} integer keywords served by {@code S}
 * ktl4j dispatchers (default configuration) in the bench JVM, on a Redis Cluster of 1 master and then of 3 (or the
 * {@code --scale-masters} given; a count given twice is measured twice, and its figures averaged), each started by
 * the bench ({@link BenchCluster}). On each cluster, in this order:
 *
 * <ol>
 *   <li><b>idle</b>: nothing but the dispatchers' own upkeep (heartbeats, lease renewals, timers): its CPU.
 *   <li><b>MODIFY</b>: raw pipelined requests to every keyword of every service ({@link ShardedModify}), {@code done}
 *   replies counted; requests answered per second.
 *   <li><b>broadcast</b>: one client ({@link Service#subscribeAll} on every service, one endpoint) monitors all
 *   keywords; dispatcher code sets values across all keywords, each keyword again only once its last value is stored
 *   ({@link CodeStores}); values stored per second, and updates delivered to the client's listener per second.
 *   <li><b>MODIFY, monitored</b>: the MODIFY load again while that client monitors everything (each store is then a
 *   keyspace notification that Redis matches against every pattern subscribed on the node).
 * </ol>
 *
 * <p>Each is warmed up, then run for the bench's rounds; rates are the operations of all rounds over their time. For
 * each phase it records the CPU time of each {@code redis-server} and of the JVM ({@code /proc}), the machine's busy
 * share, and the JVM's CPU by thread role ({@link ProcCpu}), so that what saturates can be named ({@link ScalePhase}
 * measures a phase; {@link ScaleReport} turns the figures into rows and notes of the result table). The dispatchers are
 * spread over {@code --scale-endpoints} endpoints (each its own command pool and one pub/sub connection per master, as
 * that many dispatcher processes would have). Stateless; everything it starts is stopped before it returns.
 */
final class ScaleScenario {
  private static final String PREFIX = "scale";
  /**
   * The dispatchers' configuration with {@code --scale-light}: the defaults but one worker and one checker thread
   * (4 + 8 + 4 threads per dispatcher become 4 + 1 + 1), a 15 s lease (renewed every 5 s) and a 5 s heartbeat, so
   * that a thousand dispatchers in one JVM on two cores neither spend the CPUs on their own upkeep nor lose their
   * leases when the load starves them.
   */
  static final DispatcherConfig LIGHT = light();
  /** The Redis timeout of the endpoints with {@code --scale-light}: 5 s (default 2 s), so pub/sub keep-alives
   * judge a peer dead after 6 s, not 3 s, of starvation. */
  static final int LIGHT_TIMEOUT_MS = 5000;
  private static final int STARTERS = 4;
  private static final long STEP_TIMEOUT_S = 900;

  private ScaleScenario() {}

  private static DispatcherConfig light() {
    return DispatcherConfig.builder().workers(1).checkers(1).leaseTtl(Duration.ofSeconds(15))
        .heartbeatPeriod(Duration.ofSeconds(5)).build();
  }

  /** What was measured on one cluster. */
  static final class Measured {
    final int masters;
    final int[] servicesPerMaster;
    double startSeconds;
    double clientSeconds;
    int threadsAfterStart;
    int peakThreads;
    ScalePhase idle;
    ScalePhase modify;
    ScalePhase broadcast;
    ScalePhase modifyMonitored;
    long delivered;
    long covered;
    long deliveryNanos;
    long refused;
    long resets;
    long abandoned;
    long unanswered;

    Measured(int masters) {
      this.masters = masters;
      this.servicesPerMaster = new int[masters];
    }

    double deliveredPerSecond() {
      return deliveryNanos == 0 ? 0 : delivered * 1e9 / deliveryNanos;
    }
  }

  /** Measures a cluster of each master count of {@code --scale-masters} in turn, then reports them in {@code table}. */
  static void run(BenchOptions o, ResultTable table) throws Exception {
    BenchOptions.Scale sc = o.scale();
    List<Measured> all = new ArrayList<>();
    for (int masters : sc.masters()) {
      System.out.printf(Locale.ROOT, "bench: scale: %d services × %d keywords on %d master(s), %d endpoint(s), %s "
          + "dispatcher configuration…%n", sc.services(), sc.keywords(), masters, sc.endpoints(),
          sc.light() ? "light" : "default");
      Measured m = measure(masters, o);
      all.add(m);
      System.out.printf(Locale.ROOT, "bench: scale: %d master(s): idle JVM %.2f cores, MODIFY %,.0f/s, stored from "
          + "code %,.0f/s, delivered %,.0f/s, MODIFY monitored %,.0f/s%n", masters, m.idle.cores(m.idle.jvmTicks),
          m.modify.rate(), m.broadcast.rate(), m.deliveredPerSecond(), m.modifyMonitored.rate());
    }
    ScaleReport.addTo(table, o, all);
  }

  /** Starts a cluster of {@code masters}, the dispatchers and the client, runs the three phases, stops everything. */
  private static Measured measure(int masters, BenchOptions o) throws Exception {
    BenchOptions.Scale sc = o.scale();
    Measured m = new Measured(masters);
    List<String> names = new ArrayList<>();
    int width = Integer.toString(sc.services() - 1).length();
    for (int s = 0; s < sc.services(); s++) {
      names.add(PREFIX + String.format(Locale.ROOT, "%0" + Math.max(4, width) + "d", s));
    }
    List<String> kwNames = new ArrayList<>();
    List<KeywordDefinition> defs = new ArrayList<>();
    int kwWidth = Math.max(3, Integer.toString(sc.keywords() - 1).length());
    for (int k = 0; k < sc.keywords(); k++) {
      String name = "K" + String.format(Locale.ROOT, "%0" + kwWidth + "d", k);
      kwNames.add(name);
      defs.add(KeywordDefinition.builder(name, KtlType.INTEGER).build());
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    threads.resetPeakThreadCount();
    AtomicInteger starterNo = new AtomicInteger();
    ExecutorService starters = Executors.newFixedThreadPool(STARTERS, r -> {
      Thread t = new Thread(r, "bench-scale-start-" + starterNo.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    List<RedisEndpoint> endpoints = new ArrayList<>();
    List<DispatcherService> dispatchers = new ArrayList<>();
    List<Service> clients = new ArrayList<>();
    RedisEndpoint clientEndpoint = null;
    try (BenchCluster cluster = BenchCluster.start(masters)) {
      try {
        for (String n : names) {
          m.servicesPerMaster[cluster.masterOfService(n)]++;
        }
        RedisSettings settings = RedisSettings.fromUri(cluster.url()
            + (sc.light() ? "?timeout=" + LIGHT_TIMEOUT_MS : ""));
        DispatcherConfig config = sc.light() ? LIGHT : DispatcherConfig.defaults();
        for (int e = 0; e < sc.endpoints(); e++) {
          endpoints.add(RedisEndpoint.open(settings));
        }
        long t0 = System.nanoTime();
        List<Future<DispatcherService>> started = new ArrayList<>();
        for (int s = 0; s < names.size(); s++) {
          String name = names.get(s);
          RedisEndpoint endpoint = endpoints.get(s % endpoints.size());
          started.add(starters.submit(() -> {
            DispatcherService d = DispatcherService.builder(name).definitions(defs)
                .config(config).endpoint(endpoint).build();
            d.start();
            return d;
          }));
        }
        Exception failure = null;
        for (Future<DispatcherService> f : started) {
          try {
            dispatchers.add(f.get(STEP_TIMEOUT_S, TimeUnit.SECONDS)); // every one that started is closed below
          } catch (ExecutionException | TimeoutException e) {
            failure = failure == null ? e : failure;
          }
        }
        if (failure != null) {
          throw new IllegalStateException("not every dispatcher started", failure);
        }
        m.startSeconds = (System.nanoTime() - t0) / 1e9;
        m.threadsAfterStart = threads.getThreadCount();
        System.out.printf(Locale.ROOT, "bench: scale: %,d dispatchers ready in %.1f s, %d threads%n",
            dispatchers.size(), m.startSeconds, m.threadsAfterStart);

        // 0. idle: what the dispatchers cost by themselves
        m.idle = ScalePhase.measure(cluster, masters, o, nanos -> {
          long end = System.nanoTime() + nanos;
          for (long left = nanos; left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
          }
          return new long[] {0, nanos};
        });

        // 1. MODIFY, nobody monitoring
        try (ShardedModify modify = new ShardedModify(cluster, names, kwNames, sc.window())) {
          m.modify = ScalePhase.measure(cluster, masters, o, modify::run);
          m.refused += refusedOf(modify);
          m.unanswered += modify.unanswered();
        }

        // 2. broadcast: one client monitoring every keyword of every service, values set from dispatcher code
        clientEndpoint = RedisEndpoint.open(settings);
        AtomicLong delivered = new AtomicLong();
        AtomicLong covered = new AtomicLong();
        t0 = System.nanoTime();
        for (String n : names) {
          Service s = Service.open(n, clientEndpoint, ClientConfig.defaults());
          clients.add(s);
          s.subscribeAll(u -> {
            if (u.keyword().startsWith("K")) { // not the heartbeat nor the status
              delivered.incrementAndGet();
              covered.addAndGet(1 + u.coalesced());
            }
          }, false);
        }
        m.clientSeconds = (System.nanoTime() - t0) / 1e9;
        List<List<DispatcherKeyword>> byService = new ArrayList<>();
        for (DispatcherService d : dispatchers) {
          List<DispatcherKeyword> kws = new ArrayList<>();
          kwNames.forEach(k -> kws.add(d.keyword(k)));
          byService.add(kws);
        }
        CodeStores stores = new CodeStores(byService, sc.window());
        long[] deliveryNanos = {0};
        long[] delivery0 = {0};
        long[] covered0 = {0};
        m.broadcast = ScalePhase.measure(cluster, masters, o, nanos -> {
          long d0 = delivered.get();
          long t = System.nanoTime();
          long[] r = stores.run(nanos);
          long caughtUp = awaitDeliveries(delivered, d0 + r[0]);
          deliveryNanos[0] += caughtUp - t;
          return r;
        }, () -> {
          delivery0[0] = delivered.get();
          covered0[0] = covered.get();
          deliveryNanos[0] = 0;
        });
        m.resets = stores.resets();
        m.abandoned = stores.abandoned();
        m.delivered = delivered.get() - delivery0[0];
        m.covered = covered.get() - covered0[0];
        m.deliveryNanos = deliveryNanos[0];

        // 3. MODIFY while the client monitors everything
        try (ShardedModify modify = new ShardedModify(cluster, names, kwNames, sc.window())) {
          m.modifyMonitored = ScalePhase.measure(cluster, masters, o, modify::run);
          m.refused += refusedOf(modify);
          m.unanswered += modify.unanswered();
        }
        m.peakThreads = threads.getPeakThreadCount();
      } finally {
        for (Service s : clients) {
          s.close();
        }
        if (clientEndpoint != null) {
          clientEndpoint.close();
        }
        closeAll(dispatchers, starters);
        for (RedisEndpoint e : endpoints) {
          e.close();
        }
        starters.shutdownNow();
        starters.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
    return m;
  }

  private static long refusedOf(ShardedModify modify) {
    String first = modify.firstRefusal();
    if (first != null) {
      System.out.println("bench: scale: " + modify.refused() + " MODIFY refused; the first: " + first);
    }
    return modify.refused();
  }

  /**
   * Waits until the client's listener has had {@code target} updates, or none came for 500 ms (it coalesced some), at
   * most 30 s; returns the time of the last one seen.
   */
  private static long awaitDeliveries(AtomicLong delivered, long target) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long last = delivered.get();
    long lastChange = System.nanoTime();
    while (last < target && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      long now = delivered.get();
      if (now != last) {
        last = now;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > TimeUnit.MILLISECONDS.toNanos(500)) {
        break;
      }
    }
    return lastChange;
  }

  /** Closes the dispatchers, {@link #STARTERS} at a time, each within its own shutdown wait. */
  private static void closeAll(List<DispatcherService> dispatchers, ExecutorService pool) throws InterruptedException {
    List<Future<?>> fs = new ArrayList<>();
    for (DispatcherService d : dispatchers) {
      fs.add(pool.submit(d::close));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_TIMEOUT_S);
    for (Future<?> f : fs) {
      try {
        f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        System.err.println("bench: scale: a dispatcher did not close cleanly: " + e);
      }
    }
  }
}
