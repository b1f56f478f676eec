package org.ktl4j.cli;

import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.dispatcher.ServiceSetup;

/** A {@code --setup} class for the tests: COUNTER refuses values above 100, with a reason. */
public final class RefusingSetup implements ServiceSetup {
  static final String REASON = "the test setup allows at most 100";

  @Override
  public void setup(DispatcherService service) {
    service.keyword("COUNTER").onCheck(value -> {
      if (value.asInt() > 100) {
        throw new IllegalArgumentException(REASON);
      }
    });
  }
}
