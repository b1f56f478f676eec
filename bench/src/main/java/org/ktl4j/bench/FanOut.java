package org.ktl4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.ktl4j.client.Service;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.dispatcher.DispatcherKeyword;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.type.KtlType;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Fan-out: a dispatcher sets every one of 1,000 keywords 10 times a second, and 20 clients each monitor the whole
 * service; the delivery latency of each update (from the start of the tick that set it to the listener, so that a
 * value waiting in the dispatcher counts too) goes into one histogram. The 20
 * clients run in the bench JVM, each on an endpoint of its own (its own pool and pub/sub connection, as a process
 * has): 20 JVMs would not fit on a small machine beside Redis. The floor does the same by hand: a setter
 * pipelining 1,000 {@code HSET}s per tick, 20 subscriber threads that {@code PSUBSCRIBE} the keyspace and
 * {@code HMGET} each notified key. Stateless.
 */
final class FanOut {
  private static final String SERVICE = "benchfan";
  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long DRAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private FanOut() {}

  static void run(Rig rig, BenchOptions o, ResultTable table) throws Exception {
    int keywords = o.quick() ? 100 : 1000;
    int clients = o.quick() ? 4 : 20;
    List<KeywordDefinition> defs = new ArrayList<>();
    for (int i = 0; i < keywords; i++) {
      defs.add(KeywordDefinition.builder(String.format(Locale.ROOT, "FAN%04d", i), KtlType.DOUBLE).build());
    }
    DispatcherService fan = rig.startDispatcher(SERVICE, defs, s -> { });
    List<DispatcherKeyword> dks = new ArrayList<>();
    defs.forEach(d -> dks.add(fan.keyword(d.name())));

    Histogram ktl = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
    Histogram floor = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
    Map<Long, Long> tickStart = new ConcurrentHashMap<>(); // value → when its tick began (µs)
    AtomicLong ktlCount = new AtomicLong();
    AtomicLong floorCount = new AtomicLong();
    AtomicBoolean[] recording = {new AtomicBoolean(), new AtomicBoolean()}; // floor, ktl4j
    for (int c = 0; c < clients; c++) {
      Service s = rig.open(SERVICE);
      s.subscribeAll(u -> {
        if (recording[1].get()) {
          record(ktl, Stamp.nowMicros() - setAt(tickStart, u.ascii()));
          ktlCount.incrementAndGet();
        }
      }, false);
    }
    String prefix = "bench:floor:fan:";
    List<String> floorKeys = new ArrayList<>();
    defs.forEach(d -> floorKeys.add(prefix + d.name()));
    List<Subscriber> floorSubs = new ArrayList<>();
    try {
      for (int c = 0; c < clients; c++) {
        Jedis reader = rig.jedis("bench-floor-fan-reader");
        floorSubs.add(new Subscriber(rig.settings, "fan" + c, true, (channel, event) -> {
          if (!"hset".equals(event)) {
            return;
          }
          String key = channel.substring(channel.indexOf(':', "__keyspace@".length()) + 1);
          List<String> v = reader.hmget(key, "ascii", "ts");
          if (recording[0].get()) {
            record(floor, Stamp.nowMicros() - setAt(tickStart, v.get(0)));
            floorCount.incrementAndGet();
          }
        }, Jedises.keyspace(rig.settings, prefix + "*")));
      }
      Jedis setter = rig.jedis("bench-floor-fan-setter");
      long[] n = {0};
      Runnable floorTick = () -> {
        long t = Stamp.nowMicros();
        tickStart.put(++n[0], t);
        String v = Long.toString(n[0]);
        String ts = Stamp.now();
        Pipeline p = setter.pipelined();
        for (String k : floorKeys) {
          p.hset(k, Map.of("ascii", v, "ts", ts, "seq", v, "origin", "floor"));
        }
        p.sync();
      };
      Runnable ktlTick = () -> {
        tickStart.put(++n[0], Stamp.nowMicros());
        String v = Long.toString(n[0]);
        for (DispatcherKeyword dk : dks) {
          dk.set(v);
        }
      };
      long ticks = 0;
      side(floorTick, o.warmup().toNanos(), recording, 0, false);
      side(ktlTick, o.warmup().toNanos(), recording, 1, false);
      for (int r = 0; r < o.rounds(); r++) {
        for (int i = 0; i < 2; i++) {
          int which = (i + r) % 2;
          ticks += side(which == 0 ? floorTick : ktlTick, o.round().toNanos(), recording, which, true);
        }
      }
      String what = keywords + " keywords × 10 Hz → " + clients + " clients";
      long expected = ticks / 2 * keywords * clients;
      table.add(new Row("fan-out: " + what + " (set → callback)", "floor: HSET ×" + keywords
          + " pipelined → " + clients + " PSUBSCRIBE threads, HMGET each", Row.micros(floor.getValueAtPercentile(50) * 1000),
          Row.micros(floor.getValueAtPercentile(99) * 1000), Row.micros(ktl.getValueAtPercentile(50) * 1000),
          Row.micros(ktl.getValueAtPercentile(99) * 1000),
          Row.ratio((double) ktl.getValueAtPercentile(50) / floor.getValueAtPercentile(50)),
          Row.ratio((double) ktl.getValueAtPercentile(99) / floor.getValueAtPercentile(99)), "—", Row.NONE));
      table.note(String.format(Locale.ROOT, "fan-out: %d client engines in the bench JVM, each with its own "
          + "endpoint (pool and pub/sub connection); about %,d updates per side were due: the floor delivered %,d, "
          + "ktl4j %,d (ktl4j coalesces: a late reader gets the newest value)", clients, expected, floorCount.get(),
          ktlCount.get()));
    } finally {
      floorSubs.forEach(Subscriber::close);
      fan.close();
    }
  }

  private static long setAt(Map<Long, Long> tickStart, String ascii) {
    Long t = tickStart.get(Arrival.number(ascii));
    return t == null ? Stamp.nowMicros() : t;
  }

  private static void record(Histogram h, long micros) {
    h.recordValue(Math.max(0, Math.min(micros, h.getHighestTrackableValue())));
  }

  /** Ticks every 100 ms for {@code nanos}, then lets deliveries drain; returns the ticks. */
  private static long side(Runnable tick, long nanos, AtomicBoolean[] recording, int which, boolean record) {
    recording[which].set(record);
    long start = System.nanoTime();
    long next = start;
    long ticks = 0;
    while (System.nanoTime() - start < Math.max(nanos, TICK_NANOS)) {
      tick.run();
      ticks++;
      next += TICK_NANOS;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
    }
    LockSupport.parkNanos(DRAIN_NANOS);
    recording[which].set(false);
    return ticks;
  }

}
