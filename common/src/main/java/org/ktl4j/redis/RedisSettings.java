package org.ktl4j.redis;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisProtocol;

/**
 * Where Redis is and how to talk to it: one immutable description of a connection, built from
 * {@code host/port/db/timeout} or from a {@code redis://} / {@code rediss://} URL.
 *
 * <p>Thread-safe (immutable). {@link #toString()} never shows the password.
 *
 * @param host      host name or address
 * @param port      TCP port
 * @param db        logical database number
 * @param timeout   connect and command timeout; every blocking call on this connection is bounded by it
 * @param user      ACL user name, if any
 * @param password  password, if any
 * @param tls       whether to use TLS ({@code rediss://})
 */
public record RedisSettings(String host, int port, int db, Duration timeout, Optional<String> user,
                            Optional<String> password, boolean tls) {
  /** Host used when nothing is configured: {@value}. */
  public static final String DEFAULT_HOST = "localhost";
  /** Port used when none is given: {@value}. */
  public static final int DEFAULT_PORT = 6379;
  /** Connect and command timeout used when none is given: 2 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  /** Environment variable that names the Redis URL when nothing was configured in code. */
  public static final String ENV_URL = "KTL_REDIS_URL";

  public RedisSettings {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("Redis host must not be empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("Redis port " + port + " is not in 1..65535");
    }
    if (db < 0) {
      throw new IllegalArgumentException("Redis database " + db + " must be >= 0");
    }
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("Redis timeout must be positive, got " + timeout);
    }
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
  }

  /** Plain settings without authentication or TLS. */
  public static RedisSettings of(String host, int port, int db, Duration timeout) {
    return new RedisSettings(host, port, db, timeout, Optional.empty(), Optional.empty(), false);
  }

  /**
   * Parses {@code redis://[user:password@]host[:port][/db]} or {@code rediss://…} (TLS). A password alone
   * is written {@code redis://:password@host}. Query parameter {@code timeout} (milliseconds) is honoured.
   *
   * @throws IllegalArgumentException naming the URL (without its password) and the problem
   */
  public static RedisSettings fromUri(URI uri) {
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("redis") || scheme.equalsIgnoreCase("rediss"))) {
      throw new IllegalArgumentException("Redis URL '" + redact(uri) + "' must start with redis:// or rediss://");
    }
    boolean tls = scheme.equalsIgnoreCase("rediss");
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("Redis URL '" + redact(uri) + "' has no host");
    }
    int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
    int db = 0;
    String path = uri.getPath();
    if (path != null && path.length() > 1) {
      try {
        db = Integer.parseInt(path.substring(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("Redis URL '" + redact(uri) + "': database '" + path.substring(1)
            + "' is not a number");
      }
    }
    Optional<String> user = Optional.empty();
    Optional<String> password = Optional.empty();
    String info = uri.getRawUserInfo();
    if (info != null && !info.isEmpty()) {
      int colon = info.indexOf(':');
      String u = colon < 0 ? "" : decode(info.substring(0, colon));
      String p = colon < 0 ? decode(info) : decode(info.substring(colon + 1));
      user = u.isEmpty() ? Optional.empty() : Optional.of(u);
      password = p.isEmpty() ? Optional.empty() : Optional.of(p);
    }
    Duration timeout = DEFAULT_TIMEOUT;
    String query = uri.getRawQuery();
    if (query != null) {
      for (String part : query.split("&")) {
        if (part.startsWith("timeout=")) {
          try {
            timeout = Duration.ofMillis(Long.parseLong(part.substring(8)));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Redis URL '" + redact(uri) + "': timeout must be milliseconds");
          }
        }
      }
    }
    return new RedisSettings(host, port, db, timeout, user, password, tls);
  }

  /** Parses a URL string; see {@link #fromUri(URI)}. */
  public static RedisSettings fromUri(String uri) {
    try {
      return fromUri(URI.create(uri.trim()));
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("Redis URL")) {
        throw e;
      }
      throw new IllegalArgumentException("Redis URL is malformed: " + e.getMessage(), e);
    }
  }

  /**
   * The settings used when nothing was configured in code: {@code KTL_REDIS_URL} if set, otherwise
   * {@code redis://localhost:6379/0}.
   */
  public static RedisSettings fromEnvironment() {
    String url = System.getenv(ENV_URL);
    if (url != null && !url.isBlank()) {
      return fromUri(url);
    }
    return of(DEFAULT_HOST, DEFAULT_PORT, 0, DEFAULT_TIMEOUT);
  }

  /** This connection as a URL, with the password replaced by {@code ***}. */
  public String redactedUrl() {
    StringBuilder b = new StringBuilder(tls ? "rediss://" : "redis://");
    if (user.isPresent() || password.isPresent()) {
      b.append(user.orElse("")).append(password.isPresent() ? ":***" : "").append('@');
    }
    return b.append(host).append(':').append(port).append('/').append(db).toString();
  }

  /** {@code host:port}, for messages. */
  public String address() {
    return host + ":" + port;
  }

  /** Same settings, another timeout. */
  public RedisSettings withTimeout(Duration t) {
    return new RedisSettings(host, port, db, t, user, password, tls);
  }

  HostAndPort hostAndPort() {
    return new HostAndPort(host, port);
  }

  /** Jedis client configuration; {@code blockingTimeout} bounds blocking reads (0 = the normal timeout). */
  JedisClientConfig clientConfig(String clientName, Duration blockingTimeout) {
    int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(ms)
        .socketTimeoutMillis(ms)
        .blockingSocketTimeoutMillis(blockingTimeout.isZero() ? ms : (int) blockingTimeout.toMillis())
        .database(db)
        .clientName(clientName)
        .protocol(RedisProtocol.RESP2)
        .ssl(tls);
    user.ifPresent(b::user);
    password.ifPresent(b::password);
    return b.build();
  }

  @Override
  public String toString() {
    return redactedUrl() + " (timeout " + timeout.toMillis() + " ms)";
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static String redact(URI uri) {
    String s = uri.toString();
    String info = uri.getRawUserInfo();
    if (info != null && info.contains(":")) {
      s = s.replace(info, info.substring(0, info.indexOf(':')) + ":***");
    }
    return s;
  }
}
