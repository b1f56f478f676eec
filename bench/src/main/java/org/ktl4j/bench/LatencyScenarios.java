package org.ktl4j.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.ktl4j.client.Keyword;
import org.ktl4j.client.Subscription;
import org.ktl4j.dispatcher.DispatcherKeyword;
import redis.clients.jedis.Jedis;

/**
 * The closed-loop latency scenarios: read, acknowledged write, write → another client's callback, stored value →
 * callback, each beside its hand-rolled floor and, with a PVA peer, beside the PVA operation that does the same.
 * Stateless; each scenario owns what it opens.
 */
final class LatencyScenarios {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String[] FIELDS = {"ascii", "ts", "seq", "origin"};

  private LatencyScenarios() {}

  /** Read: {@code HMGET} on one connection, against {@code Keyword.read()}. */
  static void read(Rig rig, BenchOptions o, ResultTable table, PvaPeer pva) throws Exception {
    Jedis floor = rig.jedis("bench-floor-read");
    String key = FloorResponder.key(Rig.READ);
    floor.hset(key, java.util.Map.of("ascii", "42", "ts", Stamp.now(), "seq", "1", "origin", "floor"));
    Side f = new Side("floor: HMGET, 1 connection", () -> floor.hmget(key, FIELDS));
    Keyword kw = rig.a.keyword(Rig.READ);
    Side k = new Side("ktl4j", () -> kw.read().orElseThrow());
    List<Side> sides = new ArrayList<>(List.of(f, k));
    Side p = pva == null ? null : new Side("PVA get", pva::get);
    if (p != null) {
      sides.add(p);
    }
    Rounds.run(o, sides);
    table.add(Row.latency("read", f, k, 1.15, "≤ 1.15× floor"));
    if (p != null) {
      table.add(Row.latency("read", p, k, 0, "—"));
    }
  }

  /** Acknowledged write of a caching keyword and of a keyword with a trivial write hook. */
  static void write(Rig rig, BenchOptions o, ResultTable table, PvaPeer pva) throws Exception {
    try (FloorResponder responder = new FloorResponder(rig.settings);
        FloorWriter writer = new FloorWriter(rig.settings, "writer")) {
      long[] n = {0};
      Side f = new Side("floor: PUBLISH → responder HSET+PUBLISH → reply", () -> writer.write("DVAL", Long.toString(++n[0])));
      Keyword caching = rig.a.keyword(Rig.WRITE);
      Keyword hooked = rig.a.keyword(Rig.HOOKED);
      Side k = new Side("ktl4j", () -> caching.write(Long.toString(++n[0]), TIMEOUT));
      Side h = new Side("ktl4j", () -> hooked.write(Long.toString(++n[0]), TIMEOUT));
      Keyword queuedKw = rig.queued.keyword(Rig.WRITE);
      Side q = new Side("ktl4j", () -> queuedKw.write(Long.toString(++n[0]), TIMEOUT));
      List<Side> sides = new ArrayList<>(List.of(f, k, h, q));
      Side dur = null;
      if (rig.durable != null) {
        Keyword durableKw = rig.durable.keyword(Rig.WRITE);
        dur = new Side("ktl4j", () -> durableKw.write(Long.toString(++n[0]), TIMEOUT));
        sides.add(dur);
      }
      Side p = pva == null ? null : new Side("PVA put with completion", pva::put);
      if (p != null) {
        sides.add(p);
      }
      Rounds.run(o, sides);
      table.add(Row.latency("acknowledged write (caching)", f, k, 1.25, "≤ 1.25× floor"));
      table.add(Row.latency("acknowledged write (caching, direct stores off)", f, q, 0, "—"));
      if (dur != null) {
        table.add(Row.latency("acknowledged write (caching, durability replica: WAIT 1)", f, dur, 0, "—"));
      }
      table.add(Row.latency("acknowledged write (write hook)", f, h, 1.25, "≤ 1.25× floor"));
      if (p != null) {
        table.add(Row.latency("acknowledged write (caching)", p, k, 1.0, "≤ 1.00× PVA"));
      }
    }
  }

  /**
   * Write → another client's callback; stored value → callback (the value stored by a raw HSET of the keyword's hash,
   * exactly as a dispatcher's store leaves it, so that the row measures the client's path as its floor does); and
   * dispatcher code's {@code set()} → callback (the dispatcher's store path added).
   */
  static void callback(Rig rig, BenchOptions o, ResultTable table, PvaPeer pva) throws Exception {
    Jedis floorReader = rig.jedis("bench-floor-cb-reader");
    Jedis floorSetter = rig.jedis("bench-floor-cb-setter");
    Arrival floorWrites = new Arrival();
    Arrival floorStores = new Arrival();
    String writeKey = FloorResponder.key(Rig.WRITE_CALLBACK);
    String storeKey = FloorResponder.key(Rig.SET_CALLBACK);
    Arrival ktlWrites = new Arrival();
    Arrival ktlStores = new Arrival();
    Arrival ktlRawStores = new Arrival();
    Jedis ktlSetter = rig.jedis("bench-ktl-cb-setter");
    String ktlStoreKey = org.ktl4j.internal.protocol.Keys.of(Rig.SERVICE).keyword(Rig.STORED_CALLBACK);
    long[] n = {0};
    try (FloorResponder responder = new FloorResponder(rig.settings);
        FloorWriter writer = new FloorWriter(rig.settings, "cb-writer");
        Subscriber floorSub = new Subscriber(rig.settings, "cb-sub", false, (channel, event) -> {
          if (!"hset".equals(event)) {
            return;
          }
          boolean writes = channel.endsWith(writeKey);
          List<String> v = floorReader.hmget(writes ? writeKey : storeKey, FIELDS);
          (writes ? floorWrites : floorStores).arrived(Arrival.number(v.get(0)));
        }, Jedises.keyspace(rig.settings, writeKey), Jedises.keyspace(rig.settings, storeKey));
        Subscription s1 = rig.b.keyword(Rig.WRITE_CALLBACK).subscribe(u -> ktlWrites.arrived(Arrival.number(u.ascii())), false);
        Subscription s2 = rig.b.keyword(Rig.SET_CALLBACK).subscribe(u -> ktlStores.arrived(Arrival.number(u.ascii())), false);
        Subscription s3 = rig.b.keyword(Rig.STORED_CALLBACK).subscribe(
            u -> ktlRawStores.arrived(Arrival.number(u.ascii())), false)) {
      Keyword writeKw = rig.a.keyword(Rig.WRITE_CALLBACK);
      DispatcherKeyword setKw = rig.dispatcher.keyword(Rig.SET_CALLBACK);
      Side fw = new Side("floor: PUBLISH → responder HSET → notification → HMGET", () -> {
        long v = ++n[0];
        writer.writeNoWait(Rig.WRITE_CALLBACK, Long.toString(v));
        floorWrites.await(v, TIMEOUT);
      });
      Side kw = new Side("ktl4j", () -> {
        long v = ++n[0];
        writeKw.writeNoWait(Long.toString(v));
        ktlWrites.await(v, TIMEOUT);
      });
      Side fs = new Side("floor: HSET → notification → HMGET", () -> {
        long v = ++n[0];
        floorSetter.hset(storeKey, java.util.Map.of("ascii", Long.toString(v), "ts", Stamp.now(), "seq",
            Long.toString(v), "origin", "floor"));
        floorStores.await(v, TIMEOUT);
      });
      Side ks = new Side("ktl4j", () -> {
        long v = ++n[0];
        setKw.set(Long.toString(v));
        ktlStores.await(v, TIMEOUT);
      });
      Side kraw = new Side("ktl4j", () -> {
        long v = ++n[0];
        ktlSetter.hset(ktlStoreKey, java.util.Map.of("ascii", Long.toString(v), "ts", Stamp.now(), "seq",
            Long.toString(v), "origin", "bench"));
        ktlRawStores.await(v, TIMEOUT);
      });
      List<Side> sides = new ArrayList<>(List.of(fw, kw, fs, kraw, ks));
      Side p = pva == null ? null : new Side("PVA monitor (server update → client)", pva::monitor);
      if (p != null) {
        sides.add(p);
      }
      Rounds.run(o, sides);
      table.add(Row.latency("write → another client's callback", fw, kw, 1.3, "≤ 1.3× floor"));
      table.add(Row.latency("stored value → callback", fs, kraw, 1.2, "≤ 1.2× floor"));
      table.add(Row.latency("dispatcher set() → callback (store included)", fs, ks, 0, "—"));
      if (p != null) {
        table.add(Row.latency("stored value → callback", p, kraw, 0, "—"));
      }
    }
  }
}
