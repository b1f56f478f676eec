package org.ktl4j.cli;

import java.util.Locale;

/**
 * Configures slf4j-simple through its {@code org.slf4j.simpleLogger.*} system properties: one line per event on
 * stderr, {@code 2025-01-31T22:04:05.123+01:00 INFO DispatcherService - message}.
 *
 * <p>slf4j-simple reads these properties once, when the first logger is created, so {@link #defaults()} runs in
 * {@link Main}'s static initializer and {@link #level(LogLevel)} right after the arguments are parsed, before any
 * class with a static logger is touched. Properties given on the java command line ({@code -D}, e.g. through
 * {@code KTL_JAVA_OPTS}) win over the defaults; {@code --log-level} wins over everything. Not thread-safe: call
 * from the main thread before other threads exist.
 */
final class Logging {
  static final String PREFIX = "org.slf4j.simpleLogger.";
  static final String DEFAULT_LEVEL = PREFIX + "defaultLogLevel";

  /** Whether the user fixed the level with {@code -Dorg.slf4j.simpleLogger.defaultLogLevel} (read before defaults). */
  private static final boolean LEVEL_GIVEN_BY_JVM_OPTION = System.getProperty(DEFAULT_LEVEL) != null;

  private Logging() {}

  /** Sets the format and quiet defaults (level warn, Jedis at warn); keeps any property already set. */
  static void defaults() {
    setIfAbsent("logFile", "System.err");
    setIfAbsent("showDateTime", "true");
    setIfAbsent("dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    setIfAbsent("showThreadName", "false");
    setIfAbsent("showLogName", "false");
    setIfAbsent("showShortLogName", "true");
    setIfAbsent("levelInBrackets", "false");
    setIfAbsent("defaultLogLevel", LogLevel.WARN.propertyValue());
    // Jedis logs every reconnect attempt at INFO; our own code reports connection trouble once, with context.
    setIfAbsent("log.redis.clients", LogLevel.WARN.propertyValue());
  }

  /** Sets the level chosen on the command line. */
  static void level(LogLevel level) {
    System.setProperty(DEFAULT_LEVEL, level.propertyValue());
  }

  /** Sets a command's default level, unless the user chose one with a {@code -D} JVM option. */
  static void defaultLevel(LogLevel level) {
    if (!LEVEL_GIVEN_BY_JVM_OPTION) {
      level(level);
    }
  }

  /** Whether debug output (and stack traces of failures) is wanted. */
  static boolean isDebug() {
    String level = System.getProperty(DEFAULT_LEVEL, "").toLowerCase(Locale.ROOT);
    return level.equals("debug") || level.equals("trace");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(PREFIX + key) == null) {
      System.setProperty(PREFIX + key, value);
    }
  }
}
