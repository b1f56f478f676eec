package org.ktl4j.cli;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ktl4j.redis.RedisSettings;
import picocli.CommandLine.Option;

/**
 * The {@code --redis} option: which Redis a command talks to. A subcommand that needs Redis declares
 * {@code @Mixin RedisOption redis;} and calls {@link #settings()}.
 *
 * <p>Value: a {@code redis://} / {@code rediss://} URL; without the option, {@code $KTL_REDIS_URL}; without that,
 * {@value #DEFAULT_URL}. {@code embedded} or {@code embedded:PORT} asks the daemon to start a private
 * {@code redis-server} (only {@code ktl dispatcher} accepts it). Not thread-safe (filled in by picocli).
 */
final class RedisOption {
  /** The URL used when neither {@code --redis} nor {@code KTL_REDIS_URL} is given. */
  static final String DEFAULT_URL = "redis://localhost:6379/0";
  /** Port {@code --redis embedded} tries first (falling back to a free port if it is taken). */
  static final int EMBEDDED_PREFERRED_PORT = 6379;

  private static final Pattern EMBEDDED = Pattern.compile("embedded(?::(\\d{1,5}))?", Pattern.CASE_INSENSITIVE);

  @Option(names = "--redis", order = 3, paramLabel = "URL", description = {
      "Redis to use: redis://[[user]:password@]host[:port][/db] (rediss:// for TLS). "
          + "Default: $" + RedisSettings.ENV_URL + ", else " + DEFAULT_URL + ".",
      "'embedded' or 'embedded:PORT' (ktl dispatcher only): start a private redis-server for as long as the "
          + "dispatcher runs, on PORT (default " + EMBEDDED_PREFERRED_PORT + " if free, else any free port; 0 = any "
          + "free port); its URL is printed for other terminals."})
  private String url;

  /** The value in force: the option, else {@code KTL_REDIS_URL}, else {@value #DEFAULT_URL}. */
  String value() {
    if (url != null) {
      return url.strip();
    }
    String env = System.getenv(RedisSettings.ENV_URL);
    return env != null && !env.isBlank() ? env.strip() : DEFAULT_URL;
  }

  /** Where {@link #value()} came from, for messages: {@code --redis}, {@code KTL_REDIS_URL} or the default. */
  String source() {
    if (url != null) {
      return "--redis";
    }
    String env = System.getenv(RedisSettings.ENV_URL);
    return env != null && !env.isBlank() ? RedisSettings.ENV_URL : "the default (neither --redis nor "
        + RedisSettings.ENV_URL + " is set)";
  }

  /** Whether a private embedded redis-server was asked for. */
  boolean isEmbedded() {
    return EMBEDDED.matcher(value()).matches();
  }

  /**
   * The port asked for with {@code embedded:PORT} (0 = any free port); empty for plain {@code embedded}.
   *
   * @throws IllegalArgumentException if the value is not {@code embedded[:PORT]} or the port is out of range
   */
  OptionalInt embeddedPort() {
    Matcher m = EMBEDDED.matcher(value());
    if (!m.matches()) {
      throw new IllegalArgumentException("--redis " + value() + " is not 'embedded' or 'embedded:PORT'");
    }
    if (m.group(1) == null) {
      return OptionalInt.empty();
    }
    int port = Integer.parseInt(m.group(1));
    if (port > 65_535) {
      throw new IllegalArgumentException("--redis " + value() + ": port " + port + " is not in 0..65535");
    }
    return OptionalInt.of(port);
  }

  /**
   * The connection settings of a Redis URL.
   *
   * @throws IllegalArgumentException if the value is malformed, or is {@code embedded} (only the dispatcher
   *     can start a Redis); the message says where the value came from
   */
  RedisSettings settings() {
    if (isEmbedded()) {
      throw new IllegalArgumentException("Redis '" + value() + "' (from " + source() + "): only 'ktl dispatcher' "
          + "can start an embedded Redis; give the redis:// URL the dispatcher printed");
    }
    try {
      return RedisSettings.fromUri(value());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " (from " + source() + ")", e);
    }
  }
}
