package org.ktl4j.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Runs sides against each other: a warm-up of each, then rounds in which every side runs for the same time,
 * in an order that rotates from round to round, so that a machine that is slower for a while slows every side
 * alike. Stateless.
 */
final class Rounds {
  private Rounds() {}

  static void run(BenchOptions o, List<Side> sides) throws Exception {
    for (Side s : sides) {
      s.run(o.warmup().toNanos(), false);
    }
    for (int r = 0; r < o.rounds(); r++) {
      List<Side> order = new ArrayList<>(sides);
      Collections.rotate(order, r);
      if (r % 2 == 1) {
        Collections.reverse(order);
      }
      for (Side s : order) {
        s.run(o.round().toNanos(), true);
      }
    }
  }
}
