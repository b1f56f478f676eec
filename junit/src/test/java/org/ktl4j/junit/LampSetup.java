package org.ktl4j.junit;

import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.dispatcher.ServiceSetup;

/** A user's behaviour under test: BRIGHTNESS is refused while POWER is off. */
public final class LampSetup implements ServiceSetup {
  private volatile boolean on;

  @Override
  public void setup(DispatcherService lamp) {
    lamp.keyword("POWER").onWrite(value -> on = value.asBoolean());
    lamp.keyword("BRIGHTNESS").onCheck(value -> {
      if (!on) {
        throw new IllegalArgumentException("the lamp is off: set POWER=on first");
      }
    });
  }
}
