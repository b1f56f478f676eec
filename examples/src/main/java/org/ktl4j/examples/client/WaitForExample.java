package org.ktl4j.examples.client;

import java.io.PrintStream;
import java.time.Duration;
import org.ktl4j.client.Expression;
import org.ktl4j.client.Service;

/** Waiting for conditions: on one keyword, and with a KTL expression. */
public final class WaitForExample {
  private WaitForExample() {}

  public static void main(String[] args) {
    try (Service telescope = Service.open("telescope")) {
      run(telescope, System.out);
    }
  }

  /** Opens the dome, slews, and waits until the telescope is on target with the dome open. */
  public static boolean run(Service telescope, PrintStream out) {
    telescope.keyword("DOMESHUT").write("open");
    telescope.keyword("TARGAZ").write("90");
    // tag::waitfor[]
    boolean stopped = telescope.keyword("SLEWING").waitFor("== no", Duration.ofSeconds(30));
    Expression onTarget = telescope.expression(
        "($telescope.AZ > 89.9) and ($telescope.AZ < 90.1) and ($telescope.DOMESHUT == open)");
    boolean ready = onTarget.waitFor(Duration.ofSeconds(30));  // false on timeout, never hangs
    // end::waitfor[]
    out.println("slew finished: " + stopped + ", on target with the dome open: " + ready);
    return stopped && ready;
  }
}
