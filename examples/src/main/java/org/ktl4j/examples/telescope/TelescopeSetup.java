package org.ktl4j.examples.telescope;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.ktl4j.definition.Bundle;
import org.ktl4j.definition.KtlXmlBundle;
import org.ktl4j.definition.KtlXmlException;
import org.ktl4j.dispatcher.DispatcherConfig;
import org.ktl4j.dispatcher.DispatcherKeyword;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.dispatcher.ServiceSetup;

/**
 * The Java behaviour of the example telescope service ({@code telescope.xml}): the keywords come from the XML
 * bundle, this class drives them. It is the file to copy when writing a dispatcher.
 *
 * <ul>
 *   <li>{@code TARGAZ}/{@code TARGEL}: writing them starts a slew; {@code TARGEL} refuses elevations below the
 *       horizon limit ({@code check} hook).</li>
 *   <li>{@code AZ}/{@code EL}, {@code SLEWING}, {@code STATUS}: follow the simulated mount, polled ten times a
 *       second (a periodic {@code read} hook on {@code AZ} that also sets the keywords derived from it).</li>
 *   <li>{@code DOMESHUT}: its {@code write} hook drives the shutter motor, which takes about a second.</li>
 *   <li>Everything else ({@code TRACKING}, {@code OBJECT}, {@code OFFSETS}, …) is a caching keyword.</li>
 * </ul>
 */
public final class TelescopeSetup implements ServiceSetup {
  /** Lowest elevation the mount may be sent to, in degrees. */
  public static final double HORIZON_LIMIT = 15.0;
  /** How long the dome shutter motor runs. */
  static final Duration SHUTTER_TIME = Duration.ofSeconds(1);

  private final SimulatedMount mount = new SimulatedMount(180, 45);
  private volatile boolean aimed;

  /** How the telescope's dispatcher runs: four workers, and the last 1,000 values of each keyword kept. */
  public static DispatcherConfig config() {
    // tag::config[]
    DispatcherConfig config = DispatcherConfig.builder()
        .workers(4)
        .historyLength(1000)
        .build();
    // end::config[]
    return config;
  }

  /** The example bundle, read from the classpath. */
  public static Bundle bundle() {
    try (InputStream in = TelescopeSetup.class.getResourceAsStream("/telescope/telescope.xml")) {
      return KtlXmlBundle.load(in, "telescope.xml");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (KtlXmlException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  // tag::setup[]
  @Override
  public void setup(DispatcherService telescope) {
    DispatcherKeyword targetAz = telescope.keyword("TARGAZ");
    DispatcherKeyword targetEl = telescope.keyword("TARGEL");

    // check: refuse a value before anything moves; the writer gets REJECTED with this message
    targetEl.onCheck(value -> {
      if (value.asDouble() < HORIZON_LIMIT) {
        throw new IllegalArgumentException("elevation " + value.ascii() + " deg is below the horizon limit of "
            + HORIZON_LIMIT + " deg");
      }
    });

    // write: drive the hardware; when it returns the value is stored and the writer gets done
    targetAz.onWrite(value -> startSlew(telescope, value.asDouble(), mount.targetEl()));
    targetEl.onWrite(value -> startSlew(telescope, mount.targetAz(), value.asDouble()));
    telescope.keyword("DOMESHUT").onWrite(value -> Thread.sleep(SHUTTER_TIME.toMillis()));

    // read + period: poll the encoders; AZ is returned, the keywords derived from it are set
    telescope.keyword("AZ").onRead(() -> {
      aimAtStoredTargets(targetAz, targetEl);
      mount.step();
      telescope.keyword("EL").setBinary(mount.el());
      telescope.keyword("SLEWING").setBinary(mount.slewing());
      telescope.keyword("STATUS").setBinary(statusBits(telescope));
      return mount.az();
    }).period(Duration.ofMillis(100));
  }
  // end::setup[]

  /** On the first poll, send the mount where the targets are (after a restart they come from the cache). */
  private void aimAtStoredTargets(DispatcherKeyword targetAz, DispatcherKeyword targetEl) {
    if (!aimed) {
      aimed = true;
      double az = targetAz.binaryValue().map(v -> ((Number) v).doubleValue()).orElse(mount.az());
      double el = targetEl.binaryValue().map(v -> ((Number) v).doubleValue()).orElse(mount.el());
      mount.target(az, el);
    }
  }

  private void startSlew(DispatcherService telescope, double az, double el) {
    mount.target(az, el);
    DispatcherKeyword count = telescope.keyword("SLEWCOUNT");
    long slews = count.binaryValue().map(v -> ((Number) v).longValue()).orElse(0L);
    count.setBinary(slews + 1);
  }

  private long statusBits(DispatcherService telescope) {
    long bits = 0;
    if (mount.slewing()) {
      bits |= 1;
    }
    if (Boolean.TRUE.equals(telescope.keyword("TRACKING").binaryValue().orElse(false))) {
      bits |= 2;
    }
    if (telescope.keyword("DOMESHUT").value().orElse("closed").equals("open")) {
      bits |= 4;
    }
    return bits;
  }
}
