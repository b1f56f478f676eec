package org.ktl4j.bench;

/** Placeholder until the throughput scenarios land. */
final class ThroughputScenarios {
  private ThroughputScenarios() {}

  static void hot(Rig rig, BenchOptions o, ResultTable table) {}

  static void modify(Rig rig, BenchOptions o, ResultTable table) {}
}
