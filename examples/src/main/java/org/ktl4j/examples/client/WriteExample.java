package org.ktl4j.examples.client;

import java.io.PrintStream;
import java.time.Duration;
import org.ktl4j.KtlTimeoutException;
import org.ktl4j.RefusedException;
import org.ktl4j.UnavailableException;
import org.ktl4j.client.Service;
import org.ktl4j.client.WriteHandle;
import org.ktl4j.client.WriteResult;

/** Writing keywords, and what to do when a write is refused, times out or finds no dispatcher. */
public final class WriteExample {
  private WriteExample() {}

  public static void main(String[] args) throws Exception {
    try (Service telescope = Service.open("telescope")) {
      run(telescope, System.out);
    }
  }

  /** Writes a target elevation, then one below the horizon, then closes the dome asynchronously. */
  public static void run(Service telescope, PrintStream out) throws Exception {
    // tag::write[]
    try {
      WriteResult r = telescope.keyword("TARGEL").write("30", Duration.ofSeconds(10)); // blocks until done
      out.println("TARGEL stored as " + r.ascii() + " (seq " + r.seq() + ")");
      telescope.keyword("TARGEL").write("5");                                          // below the horizon
    } catch (RefusedException e) {
      out.println("refused (" + e.code() + "): " + e.getMessage());  // REJECTED: ... below the horizon limit ...
    } catch (KtlTimeoutException e) {
      out.println("no answer in time: " + e.getMessage());          // says whether ack or done was missing
    } catch (UnavailableException e) {
      out.println("cannot write: " + e.getMessage());                // no dispatcher, or no Redis
    }
    // end::write[]

    // tag::writeAsync[]
    WriteHandle closing = telescope.keyword("DOMESHUT").writeAsync("closed");
    closing.ack().get();                           // the dispatcher accepted it: the motor is running
    out.println("DOMESHUT accepted; waiting for the shutter");
    WriteResult shut = closing.done().get();       // stored once the write hook returned
    out.println("DOMESHUT = " + shut.ascii());
    // end::writeAsync[]
  }
}
