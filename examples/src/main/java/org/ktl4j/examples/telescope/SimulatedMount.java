package org.ktl4j.examples.telescope;

/**
 * A pretend telescope mount: it moves its azimuth and elevation toward a target at a fixed rate. Time comes
 * from {@link System#nanoTime()}, so a slew takes real seconds. Thread-safe (synchronized).
 */
final class SimulatedMount {
  /** Slew rate on each axis, degrees per second. */
  static final double RATE = 20.0;

  private double az;
  private double el;
  private double targetAz;
  private double targetEl;
  private long last = System.nanoTime();

  SimulatedMount(double az, double el) {
    this.az = az;
    this.el = el;
    this.targetAz = az;
    this.targetEl = el;
  }

  synchronized void target(double newAz, double newEl) {
    step();
    targetAz = newAz;
    targetEl = newEl;
  }

  /** Advances the simulation to now. */
  synchronized void step() {
    long now = System.nanoTime();
    double maxMove = RATE * (now - last) / 1e9;
    last = now;
    az = approach(az, targetAz, maxMove);
    el = approach(el, targetEl, maxMove);
  }

  synchronized double az() {
    return az;
  }

  synchronized double el() {
    return el;
  }

  synchronized double targetAz() {
    return targetAz;
  }

  synchronized double targetEl() {
    return targetEl;
  }

  synchronized boolean slewing() {
    return az != targetAz || el != targetEl;
  }

  private static double approach(double from, double to, double maxMove) {
    double d = to - from;
    return Math.abs(d) <= maxMove ? to : from + Math.signum(d) * maxMove;
  }
}
