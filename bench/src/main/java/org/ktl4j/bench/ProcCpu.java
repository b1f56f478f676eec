package org.ktl4j.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time from Linux's {@code /proc}: of a process ({@code /proc/PID/stat}, user + system, in clock ticks), of the
 * whole machine ({@code /proc/stat}: busy and total ticks over every CPU), and of this JVM's threads by role (from
 * {@link ThreadMXBean}, grouped by thread name). Returns -1 / empty where {@code /proc} is missing. Stateless and
 * thread-safe; each call reads a file or, for threads, asks the JVM about every live thread (about 10 µs each).
 */
final class ProcCpu {
  /** Clock ticks per second of {@code /proc} figures ({@code USER_HZ}): 100 on every Linux the bench runs on. */
  static final double TICKS_PER_SECOND = 100;

  private ProcCpu() {}

  /** utime + stime of process {@code pid}, in clock ticks; -1 if unknown. */
  static long processTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // after "pid (comm) ": field 3 is f[0]
      return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 (utime) and 15 (stime)
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** This JVM's CPU time so far, in clock ticks; -1 if unknown. */
  static long selfTicks() {
    return processTicks(ProcessHandle.current().pid());
  }

  /** {busy, total} clock ticks of every CPU of the machine since boot (busy: all but idle and iowait); null if unknown. */
  static long[] machineTicks() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat")).get(0); // "cpu  user nice system idle iowait irq ..."
      String[] f = first.trim().split("\\s+");
      long total = 0;
      long idle = 0;
      for (int i = 1; i < f.length && i <= 8; i++) { // user..steal; guest is already counted in user
        long v = Long.parseLong(f[i]);
        total += v;
        if (i == 4 || i == 5) {
          idle += v;
        }
      }
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * CPU nanoseconds of this JVM's live threads so far, summed by role: the thread name with service names and
   * numbers taken out ({@code ktl-scale0042-stores} → {@code ktl-*-stores}, {@code ktl-pubsub-reader-127.0.0.1:7000}
   * → {@code ktl-pubsub-reader}). Threads that ended are missing, so compare two snapshots only over a short time. GC
   * threads are not Java threads: the JVM's total ({@link #selfTicks}) less this sum is mostly GC.
   */
  static Map<String, Long> threadNanosByRole() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<String, Long> byRole = new TreeMap<>();
    if (!mx.isThreadCpuTimeSupported()) {
      return byRole;
    }
    long[] ids = mx.getAllThreadIds();
    ThreadInfo[] infos = mx.getThreadInfo(ids, 0); // names only, no stacks
    for (int i = 0; i < ids.length; i++) {
      long ns = mx.getThreadCpuTime(ids[i]);
      if (ns > 0 && infos[i] != null) {
        byRole.merge(role(infos[i].getThreadName()), ns, Long::sum);
      }
    }
    return byRole;
  }

  /** The role of a thread, from its name (see {@link #threadNanosByRole}). */
  static String role(String name) {
    String r = name;
    for (String address : new String[] {"cluster 127.0.0.1", "127.0.0.1", ":"}) { // the server a thread serves
      int at = r.indexOf(address);
      if (at > 0) {
        r = r.substring(0, at).replaceAll("[- ]+$", "");
      }
    }
    r = r.replaceAll("^ktl-scale\\d+-", "ktl-*-"); // a dispatcher's threads: ktl-<svc>-<role>
    r = r.replaceAll("-\\d+$", ""); // pool thread numbers
    r = r.replaceAll("-\\d+-", "-");
    if (r.startsWith("C1 ") || r.startsWith("C2 ")) {
      return "JVM JIT";
    }
    return r;
  }
}
