package org.ktl4j.bench;

final class ManySubscriptions {
  private ManySubscriptions() {}

  static void run(Rig rig, BenchOptions o, ResultTable table) {}
}
