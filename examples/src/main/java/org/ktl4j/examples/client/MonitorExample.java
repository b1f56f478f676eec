package org.ktl4j.examples.client;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ktl4j.client.Service;
import org.ktl4j.client.Subscription;

/** Monitoring a keyword with a callback while the telescope slews. */
public final class MonitorExample {
  private MonitorExample() {}

  public static void main(String[] args) throws Exception {
    try (Service telescope = Service.open("telescope")) {
      run(telescope, System.out, 20);
    }
  }

  /** Slews in azimuth and prints AZ broadcasts until {@code updates} arrived (or 30 s passed). */
  public static int run(Service telescope, PrintStream out, int updates) throws InterruptedException {
    CountDownLatch seen = new CountDownLatch(updates);
    // tag::monitor[]
    try (Subscription az = telescope.keyword("AZ").subscribe(update -> {
      // runs on the client's callback thread, once per broadcast, in seq order
      out.println(update.timestamp() + "  AZ = " + update.ascii()
          + (update.coalesced() > 0 ? "  (" + update.coalesced() + " coalesced)" : ""));
      seen.countDown();
    })) {
      double now = az.latest().map(v -> v.asDouble()).orElse(180.0); // the latest value, no round trip
      telescope.keyword("TARGAZ").write(now < 180 ? "200" : "160");
      seen.await(30, TimeUnit.SECONDS);
    }
    // end::monitor[]
    return (int) (updates - seen.getCount());
  }

}
