package org.ktl4j.bench;

final class FanOut {
  private FanOut() {}

  static void run(Rig rig, BenchOptions o, ResultTable table) {}
}
