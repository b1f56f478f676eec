package org.ktl4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ktl4j.client.Keyword;
import org.ktl4j.client.Service;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.type.KtlType;
import redis.clients.jedis.Jedis;

/**
 * 10,000 subscriptions in one client: one {@code Keyword.subscribe} per keyword of a 10,000-keyword service, on
 * an endpoint of its own. Reports the pub/sub connections it took (from {@code CLIENT LIST}: connections with
 * subscriptions, before and after), the threads it added, the heap it holds (used heap after GC, before and after
 * opening the service and subscribing, so the definitions count too), and a value's way through once all are
 * subscribed. Stateless.
 */
final class ManySubscriptions {
  private static final String SERVICE = "benchsubs";

  private ManySubscriptions() {}

  static void run(Rig rig, BenchOptions o, ResultTable table) throws Exception {
    int count = o.quick() ? 2_000 : 10_000;
    List<KeywordDefinition> defs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      defs.add(KeywordDefinition.builder(String.format(Locale.ROOT, "S%05d", i), KtlType.DOUBLE).build());
    }
    DispatcherService subs = rig.startDispatcher(SERVICE, defs, s -> { });
    Jedis admin = rig.jedis("bench-client-list");
    int connectionsBefore = subscribedConnections(admin);
    int threadsBefore = steadyThreadCount(); // threads of earlier scenarios may still be ending
    long heapBefore = heapAfterGc();
    long t0 = System.nanoTime();
    Service client = rig.open(SERVICE);
    Arrival arrival = new Arrival();
    List<Keyword> kws = client.keywords();
    for (Keyword kw : kws) {
      if (kw.name().startsWith("S")) {
        kw.subscribe(u -> arrival.arrived(Arrival.number(u.ascii())), true);
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    subs.keyword("S00000").set("7");
    arrival.await(7, Duration.ofSeconds(10));
    long heap = heapAfterGc() - heapBefore;
    int threads = Thread.activeCount() - threadsBefore;
    int connections = subscribedConnections(admin) - connectionsBefore;
    double mb = heap / (1024.0 * 1024.0);
    String what = String.format(Locale.ROOT, "%,d subscriptions in one client", count);
    table.add(new Row(what + ": pub/sub connections", "CLIENT LIST", Row.NONE, Row.NONE,
        Integer.toString(connections), Row.NONE, Row.NONE, Row.NONE, "1", connections == 1 ? "yes" : "no"));
    table.add(new Row(what + ": heap (after GC)", "service + subscriptions", Row.NONE, Row.NONE,
        String.format(Locale.ROOT, "%.1f MB", mb), Row.NONE, Row.NONE, Row.NONE, "≤ 64 MB", mb <= 64 ? "yes" : "no"));
    table.add(new Row(what + ": threads added", "live threads", Row.NONE, Row.NONE, Integer.toString(threads),
        Row.NONE, Row.NONE, Row.NONE, "bounded", threads <= 40 ? "yes" : "no"));
    table.add(new Row(what + ": time to subscribe (primed)", "", Row.NONE, Row.NONE,
        String.format(Locale.ROOT, "%.2f s", seconds), Row.NONE, Row.NONE, Row.NONE, "—", Row.NONE));
    client.close();
    subs.close();
  }

  /** Connections of this Redis with at least one channel or pattern subscribed. */
  private static int subscribedConnections(Jedis admin) {
    int n = 0;
    for (String line : admin.clientList().split("\n")) {
      if (number(line, " sub=") > 0 || number(line, " psub=") > 0) {
        n++;
      }
    }
    return n;
  }

  private static long number(String line, String field) {
    int i = line.indexOf(field);
    if (i < 0) {
      return 0;
    }
    int start = i + field.length();
    int end = start;
    while (end < line.length() && Character.isDigit(line.charAt(end))) {
      end++;
    }
    return end == start ? 0 : Long.parseLong(line.substring(start, end));
  }

  private static long heapAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** The live thread count once it has stopped changing (three equal samples 200 ms apart, at most 10 s). */
  private static int steadyThreadCount() throws InterruptedException {
    int last = Thread.activeCount();
    int same = 0;
    for (int i = 0; i < 50 && same < 2; i++) {
      Thread.sleep(200);
      int now = Thread.activeCount();
      same = now == last ? same + 1 : 0;
      last = now;
    }
    return last;
  }
}
