package org.ktl4j.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.ktl4j.client.Keyword;
import org.ktl4j.client.KeywordValue;
import org.ktl4j.client.Service;
import org.ktl4j.client.Subscription;
import org.ktl4j.dispatcher.DispatcherKeyword;
import org.ktl4j.internal.protocol.Keys;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Throughput scenarios: one hot keyword set by dispatcher code as fast as it goes, and MODIFY requests from 8
 * concurrent writers (and pipelined raw requests), each beside a floor, in alternating rounds. Stateless.
 */
final class ThroughputScenarios {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private ThroughputScenarios() {}

  /** A rate over rounds. */
  private static final class Rate {
    long count;
    long nanos;

    void add(long c, long ns) {
      count += c;
      nanos += ns;
    }

    double perSecond() {
      return nanos == 0 ? 0 : count * 1e9 / nanos;
    }
  }

  // ---------------------------------------------------------------------------------------------- hot keyword

  static void hot(Rig rig, BenchOptions o, ResultTable table) throws Exception {
    DispatcherKeyword hot = rig.dispatcher.keyword(Rig.HOT);
    List<Subscription> subs = new ArrayList<>();
    for (int i = 0; i < o.hotSubscribers(); i++) {
      Service s = rig.open(Rig.SERVICE);
      subs.add(s.keyword(Rig.HOT).subscribe(u -> { }, false));
    }
    Jedis floor = rig.jedis("bench-floor-hot");
    String floorKey = FloorResponder.key(Rig.HOT);
    long[] n = {0};
    Rate calls = new Rate();
    Rate counted = new Rate();
    Rate floorRate = new Rate();
    long worstDelay = 0;
    long sumDelay = 0;
    int bursts = 0;
    hotBurst(hot, subs, o.warmup().toNanos(), n);
    floorBurst(floor, floorKey, o.warmup().toNanos(), n);
    for (int r = 0; r < o.rounds(); r++) {
      for (int side = 0; side < 2; side++) {
        if ((side + r) % 2 == 0) {
          long t0 = System.nanoTime();
          long c = floorBurst(floor, floorKey, o.round().toNanos(), n);
          floorRate.add(c, System.nanoTime() - t0);
        } else {
          long[] b = hotBurst(hot, subs, o.round().toNanos(), n);
          calls.add(b[0], b[1]);
          counted.add(b[2], b[1]);
          worstDelay = Math.max(worstDelay, b[3]);
          sumDelay += b[3];
          bursts++;
        }
      }
    }
    double worstMs = worstDelay / 1e6;
    table.add(new Row("hot keyword: values set from code and counted in Redis (seq), the newest stored",
        "floor: HSET pipelined ×1000, 1 connection", Row.rate(floorRate.perSecond()), Row.NONE,
        Row.rate(counted.perSecond()), Row.NONE, Row.ratio(counted.perSecond() / floorRate.perSecond()), Row.NONE,
        "≥ 150,000/s", counted.perSecond() >= 150_000 ? "yes" : "no"));
    table.add(new Row("hot keyword: set() calls (" + o.hotSubscribers() + " subscribers)", "",
        Row.NONE, Row.NONE, Row.rate(calls.perSecond()), Row.NONE, Row.NONE, Row.NONE, "—", Row.NONE));
    table.add(new Row("hot keyword: all " + o.hotSubscribers() + " subscribers hold the last value", "after the burst",
        Row.NONE, Row.NONE, Row.millis(sumDelay / 1e6 / Math.max(1, bursts)) + " avg", Row.millis(worstMs) + " max",
        Row.NONE, Row.NONE, "≤ 10 ms", worstMs <= 10 ? "yes" : "no"));
  }

  /**
   * Sets the hot keyword as fast as the calling thread goes for {@code nanos}; returns {calls, nanos, values counted
   * in Redis's seq, delay until every subscriber has the last}.
   */
  private static long[] hotBurst(DispatcherKeyword hot, List<Subscription> subs, long nanos, long[] n)
      throws Exception {
    long seq0 = hot.seq();
    long t0 = System.nanoTime();
    long end = t0 + nanos;
    long calls = 0;
    long now;
    do {
      for (int i = 0; i < 256; i++) {
        hot.set(Long.toString(++n[0]));
      }
      calls += 256;
      now = System.nanoTime();
    } while (now < end);
    String last = hot.value().orElseThrow();
    long deadline = now + TIMEOUT.toNanos();
    while (!allHold(subs, last)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("subscribers did not get the hot keyword's last value " + last + " in "
            + TIMEOUT);
      }
      LockSupport.parkNanos(20_000);
    }
    long delay = System.nanoTime() - now;
    while (hot.seq() - seq0 < calls && System.nanoTime() < deadline) { // the last store's answer may still be on its way
      LockSupport.parkNanos(20_000);
    }
    return new long[] {calls, now - t0, hot.seq() - seq0, delay};
  }

  private static boolean allHold(List<Subscription> subs, String ascii) {
    for (Subscription s : subs) {
      Optional<KeywordValue> v = s.latest();
      if (v.isEmpty() || !v.get().ascii().equals(ascii)) {
        return false;
      }
    }
    return true;
  }

  private static long floorBurst(Jedis floor, String key, long nanos, long[] n) {
    long end = System.nanoTime() + nanos;
    long count = 0;
    do {
      Pipeline p = floor.pipelined();
      for (int i = 0; i < 1000; i++) {
        p.hset(key, "ascii", Long.toString(++n[0]));
      }
      p.sync();
      count += 1000;
    } while (System.nanoTime() < end);
    return count;
  }

  // ------------------------------------------------------------------------------------------- MODIFY throughput

  static void modify(Rig rig, BenchOptions o, ResultTable table) throws Exception {
    int writers = Rig.WRITERS;
    ExecutorService pool = Executors.newFixedThreadPool(writers, r -> {
      Thread t = new Thread(r, "bench-writer");
      t.setDaemon(true);
      return t;
    });
    List<FloorWriter> floorWriters = new ArrayList<>();
    try (FloorResponder responder = new FloorResponder(rig.settings)) {
      List<Keyword> keywords = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        floorWriters.add(new FloorWriter(rig.settings, "mw" + i));
        keywords.add(rig.open(Rig.SERVICE).keyword("MW" + i));
      }
      AtomicLong n = new AtomicLong();
      List<Callable<Long>> floorTasks = new ArrayList<>();
      List<Callable<Long>> ktlTasks = new ArrayList<>();
      long[] duration = {0};
      for (int i = 0; i < writers; i++) {
        FloorWriter fw = floorWriters.get(i);
        Keyword kw = keywords.get(i);
        String name = "MW" + i;
        floorTasks.add(() -> loop(duration[0], () -> fw.write(name, Long.toString(n.incrementAndGet()))));
        ktlTasks.add(() -> loop(duration[0], () -> kw.write(Long.toString(n.incrementAndGet()), TIMEOUT)));
      }
      Rate floor = new Rate();
      Rate ktl = new Rate();
      Rate rawFloor = new Rate();
      Rate rawKtl = new Rate();
      Keys keys = Keys.of(Rig.SERVICE);
      try (RawModify ktlRaw = new RawModify(rig, keys.modifyChannel(), keys.replyChannel(token()), Rig.RAW);
          RawModify floorRaw = new RawModify(rig, FloorResponder.MODIFY, "bench:floor:reply:" + token(), Rig.RAW)) {
        duration[0] = o.warmup().toNanos();
        concurrently(pool, floorTasks);
        concurrently(pool, ktlTasks);
        floorRaw.run(duration[0]);
        ktlRaw.run(duration[0]);
        duration[0] = o.round().toNanos();
        for (int r = 0; r < o.rounds(); r++) {
          for (int side = 0; side < 2; side++) {
            boolean floorSide = (side + r) % 2 == 0;
            long t0 = System.nanoTime();
            long c = concurrently(pool, floorSide ? floorTasks : ktlTasks);
            (floorSide ? floor : ktl).add(c, System.nanoTime() - t0);
            t0 = System.nanoTime();
            c = (floorSide ? floorRaw : ktlRaw).run(duration[0]);
            (floorSide ? rawFloor : rawKtl).add(c, System.nanoTime() - t0);
          }
        }
      }
      table.add(new Row("MODIFY throughput, " + writers + " writers (acknowledged)",
          "floor: " + writers + " writers → hand-rolled responder", Row.rate(floor.perSecond()), Row.NONE,
          Row.rate(ktl.perSecond()), Row.NONE, Row.ratio(ktl.perSecond() / floor.perSecond()), Row.NONE,
          "≥ 30,000/s", ktl.perSecond() >= 30_000 ? "yes" : "no"));
      table.add(new Row("MODIFY throughput, raw pipelined JSON, ≤ " + RawModify.WINDOW + " in flight",
          "floor: same requests → hand-rolled responder", Row.rate(rawFloor.perSecond()), Row.NONE,
          Row.rate(rawKtl.perSecond()), Row.NONE, Row.ratio(rawKtl.perSecond() / rawFloor.perSecond()), Row.NONE,
          "—", Row.NONE));
    } finally {
      floorWriters.forEach(FloorWriter::close);
      pool.shutdownNow();
    }
  }

  private static String token() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  private static long loop(long nanos, Side.Op op) throws Exception {
    long end = System.nanoTime() + nanos;
    long count = 0;
    do {
      op.once();
      count++;
    } while (System.nanoTime() < end);
    return count;
  }

  private static long concurrently(ExecutorService pool, List<Callable<Long>> tasks) throws Exception {
    long total = 0;
    for (Future<Long> f : pool.invokeAll(tasks)) {
      total += f.get();
    }
    return total;
  }
}
