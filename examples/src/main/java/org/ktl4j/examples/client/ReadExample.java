package org.ktl4j.examples.client;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.ktl4j.client.Keyword;
import org.ktl4j.client.KeywordValue;
import org.ktl4j.client.Service;

/** Reading keywords: ascii with units, binary, a keyword that was never set, and the last values. Run with {@code KTL_REDIS_URL} set. */
public final class ReadExample {
  private ReadExample() {}

  public static void main(String[] args) {
    try (Service telescope = Service.open("telescope")) {
      run(telescope, System.out);
    }
  }

  /** Prints the telescope's position and site. */
  public static void run(Service telescope, PrintStream out) {
    // tag::read[]
    Keyword az = telescope.keyword("AZ");
    KeywordValue value = az.read().orElseThrow();          // empty only if AZ was never set
    out.println("AZ = " + value.ascii() + " " + az.units()); // ascii form, e.g. "AZ = 180.000 deg"
    double degrees = value.asDouble();                      // binary form
    out.println("seq " + value.seq() + " at " + value.timestamp() + ", " + degrees + " as a double");
    String site = telescope.keyword("SITE").readAscii();    // throws NeverSetException if never set
    // end::read[]
    out.println("SITE = " + site);
    // tag::history[]
    List<KeywordValue> last = az.history(50);                    // oldest first; empty if none are kept
    List<KeywordValue> lastHour = az.history(1000, Instant.now().minus(Duration.ofHours(1)));
    if (!last.isEmpty()) {
      out.println(last.size() + " recent values of AZ, the oldest " + last.get(0).ascii());
    }
    // end::history[]
    out.println(lastHour.size() + " in the last hour");
  }
}
