package org.ktl4j.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ktl4j.RefusedException;
import org.ktl4j.client.Keyword;
import org.ktl4j.client.KeywordUpdate;
import org.ktl4j.client.Service;
import org.ktl4j.client.Subscription;
import org.ktl4j.client.WriteHandle;
import org.ktl4j.client.WriteResult;

/**
 * The narrated session of {@code ktl demo}: a short, real conversation with the example telescope dispatcher
 * through the public client API only. Each step prints what it does and what came back.
 */
public final class TelescopeDemo {
  private final Service telescope;
  private final PrintStream out;
  private int step;

  public TelescopeDemo(Service telescope, PrintStream out) {
    this.telescope = telescope;
    this.out = out;
  }

  /**
   * Runs every step.
   *
   * @return true if every step behaved as expected
   */
  public boolean run() throws Exception {
    list();
    read();
    write();
    refused();
    boolean saw = monitor();
    boolean waited = waitFor();
    return saw && waited;
  }

  private void title(String text) {
    out.println();
    out.println("== " + (++step) + ". " + text);
  }

  private void list() {
    title("The service and its keywords (read from Redis: ktl:{telescope}:keywords)");
    out.println("dispatcher alive: " + telescope.isDispatcherAlive()
        + telescope.dispatcher().map(l -> " (" + l.describe() + ")").orElse(""));
    for (Keyword k : telescope.keywords()) {
      out.printf("  %-10s %-12s %-7s %s%s%n", k.name(), k.type().ktlName(), k.units(),
          k.definition().help(), k.isReadOnly() ? " [read-only]" : "");
    }
  }

  private void read() {
    title("Reading values (straight from Redis, one HMGET each)");
    for (String name : List.of("AZ", "EL", "DOMESHUT", "STATUS", "OFFSETS", "SITE")) {
      Keyword k = telescope.keyword(name);
      k.read().ifPresentOrElse(
          v -> out.printf("  %-9s = %s %s   (seq %d)%n", name, v.ascii(), k.units(), v.seq()),
          () -> out.printf("  %-9s has never been set%n", name));
    }
  }

  private void write() throws Exception {
    title("Writing a valid value: TARGEL = 60 (the dispatcher answers ack, then done)");
    WriteHandle h = telescope.keyword("TARGEL").writeAsync("60");
    out.println("  sent request " + h.id());
    h.ack().get();
    out.println("  ack  : the dispatcher accepted it and is driving the mount");
    WriteResult r = h.done().get();
    out.println("  done : stored '" + r.ascii() + "' with seq " + r.seq());
  }

  private void refused() {
    title("Writing an invalid value: TARGEL = 5 (below the horizon limit)");
    try {
      telescope.keyword("TARGEL").write("5");
      out.println("  unexpectedly accepted");
    } catch (RefusedException e) {
      out.println("  refused by the dispatcher: code " + e.code());
      out.println("  message: " + e.getMessage());
    }
  }

  private boolean monitor() throws Exception {
    title("Subscribing to AZ and slewing: broadcasts arrive as the simulated mount moves");
    List<KeywordUpdate> seen = new CopyOnWriteArrayList<>();
    double start = telescope.keyword("AZ").read().orElseThrow().asDouble();
    String target = start < 180 ? "210" : "150";
    try (Subscription s = telescope.keyword("AZ").subscribe(u -> {
      seen.add(u);
      out.println("  " + u.timestamp() + "  AZ = " + u.ascii() + "  (seq " + u.seq() + ")");
    }, false)) {
      telescope.keyword("TARGAZ").write(target);
      out.println("  TARGAZ = " + target + " written; waiting for the slew to end");
      boolean stopped = telescope.keyword("SLEWING").waitFor("== no", Duration.ofSeconds(30))
          && telescope.expression("$AZ == " + target).waitFor(Duration.ofSeconds(10));
      out.println("  " + seen.size() + " broadcasts received; the mount is " + (stopped ? "on target" : "still moving"));
      return stopped && !seen.isEmpty();
    }
  }

  private boolean waitFor() {
    String expression = "($telescope.DOMESHUT == open) and ($telescope.STATUS == dome_open)";
    title("Waiting for an expression: open the dome, then wait for " + expression);
    telescope.keyword("DOMESHUT").writeAsync("open");
    out.println("  DOMESHUT = open sent; the shutter motor takes about a second");
    boolean ok = telescope.expression(expression).waitFor(Duration.ofSeconds(30));
    out.println("  expression " + (ok ? "held" : "did not hold within 30 s") + "; STATUS = "
        + telescope.keyword("STATUS").readAscii());
    return ok;
  }
}
