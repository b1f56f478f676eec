package org.ktl4j.internal.redis;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Who this process is, for leases, reply channels and logs: host name, pid and a random tag that makes the
 * id unique even when pids are reused. Thread-safe; computed once per JVM.
 */
public final class ProcessIdentity {
  private static final String HOST = computeHost();
  private static final long PID = ProcessHandle.current().pid();
  private static final String ID;

  static {
    byte[] b = new byte[4];
    new SecureRandom().nextBytes(b);
    ID = sanitize(HOST) + "-" + PID + "-" + HexFormat.of().formatHex(b);
  }

  private ProcessIdentity() {}

  /** {@code host-pid-random}, safe to use inside channel names. */
  public static String id() {
    return ID;
  }

  /** The host name. */
  public static String host() {
    return HOST;
  }

  /** The process id. */
  public static long pid() {
    return PID;
  }

  private static String computeHost() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost";
    }
  }

  private static String sanitize(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      b.append(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' ? c : '_');
    }
    return b.toString();
  }
}
