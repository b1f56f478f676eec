package org.ktl4j.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where Redis is and how to talk to it: one immutable description of a connection, built from
 * {@code host/port/db/timeout} or from a {@code redis://} / {@code rediss://} URL.
 *
 * <p>TLS ({@code rediss://}) trusts the CA file of {@link #tlsFiles()} (else the JDK's default trust store), offers its
 * client certificate if it has one, and always verifies that the server's certificate names {@link #host()}.
 *
 * <p>The password never leaves this object except to Redis: not in {@link #toString()}, {@link #redactedUrl()}, nor in
 * any exception message of this class (a bad URL is quoted with {@code ***} in place of its password).
 *
 * <p>Thread-safe (immutable).
 *
 * @param host      host name or address
 * @param port      TCP port
 * @param db        logical database number
 * @param timeout   connect and command timeout; every blocking call on this connection is bounded by it, the TLS
 *                  handshake included
 * @param user      ACL user name, if any
 * @param password  password, if any
 * @param tls       whether to use TLS ({@code rediss://})
 * @param tlsFiles  the CA and client certificate files of a TLS connection ({@link TlsFiles#NONE} for the defaults);
 *                  only with {@code tls}
 * @param sentinel  when present, Redis is the master that these Sentinels name, followed through failovers
 *                  ({@code redis-sentinel://}); {@code host} and {@code port} are then those of the first Sentinel
 * @param cluster   when present, Redis is a Redis Cluster found through these seed nodes ({@code redis-cluster://});
 *                  {@code host} and {@code port} are then those of the first seed, and {@code db} is 0
 */
public record RedisSettings(String host, int port, int db, Duration timeout, Optional<String> user,
                            Optional<String> password, boolean tls, TlsFiles tlsFiles, Optional<Sentinel> sentinel,
                            Optional<Cluster> cluster) {
  /** Host used when nothing is configured: {@value}. */
  public static final String DEFAULT_HOST = "localhost";
  /** Port used when none is given: {@value}. */
  public static final int DEFAULT_PORT = 6379;
  /** Connect and command timeout used when none is given: 2 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  /** TLS files used when none are given: {@link TlsFiles#NONE} (the JDK's default trust store, no client certificate). */
  public static final TlsFiles DEFAULT_TLS_FILES = TlsFiles.NONE;
  /** Environment variable that names the Redis URL when nothing was configured in code. */
  public static final String ENV_URL = "KTL_REDIS_URL";
  /** Environment variable naming a file whose first line is the Redis password (for daemons: not in {@code ps}). */
  public static final String ENV_PASSWORD_FILE = "KTL_REDIS_PASSWORD_FILE";
  /** Environment variable naming the PEM file of the CA certificate(s) a {@code rediss://} server is checked against. */
  public static final String ENV_CACERT = "KTL_REDIS_CACERT";
  /** Environment variable naming the PEM file of the client certificate, for servers that ask for one. */
  public static final String ENV_CERT = "KTL_REDIS_CERT";
  /** Environment variable naming the PEM file of the client certificate's private key (unencrypted PKCS#8 or PKCS#1). */
  public static final String ENV_KEY = "KTL_REDIS_KEY";

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
    Objects.requireNonNull(tlsFiles, "tlsFiles");
    Objects.requireNonNull(sentinel, "sentinel");
    Objects.requireNonNull(cluster, "cluster");
    if (sentinel.isPresent() && cluster.isPresent()) {
      throw new IllegalArgumentException("Redis settings name both Sentinels and cluster seed nodes; give one");
    }
    if (cluster.isPresent() && db != 0) {
      throw new IllegalArgumentException("a Redis Cluster has only database 0, not " + db);
    }
    if (!tls && !tlsFiles.isEmpty()) {
      throw new IllegalArgumentException("TLS files (" + tlsFiles + ") are given for Redis at " + host + ":" + port
          + ", but its URL is redis://, not rediss://");
    }
  }

  /**
   * Redis behind Sentinel: the master named {@code masterName}, as the Sentinels at {@code addresses} report it.
   * Immutable.
   *
   * @param masterName the name the Sentinels monitor the master under ({@code sentinel monitor NAME …})
   * @param addresses  the Sentinels, {@code host:port} each; at least one
   */
  public record Sentinel(String masterName, List<String> addresses) {
    public Sentinel {
      Objects.requireNonNull(masterName, "masterName");
      if (masterName.isBlank() || !masterName.matches("[A-Za-z0-9._-]{1,128}")) {
        throw new IllegalArgumentException("Sentinel master name '" + masterName + "' must be 1 to 128 of A-Z a-z 0-9 . _ -");
      }
      addresses = List.copyOf(addresses);
      if (addresses.isEmpty()) {
        throw new IllegalArgumentException("Sentinel settings need at least one Sentinel address");
      }
      addresses.forEach(a -> RedisUrls.requireHostPort(a, "Sentinel address"));
    }
  }

  /**
   * Redis Cluster: the nodes to ask for the cluster's layout first ({@code CLUSTER SLOTS}); any reachable one will do,
   * the others are found from it. Immutable.
   *
   * @param seeds the seed nodes, {@code host:port} each; at least one
   */
  public record Cluster(List<String> seeds) {
    public Cluster {
      seeds = List.copyOf(seeds);
      if (seeds.isEmpty()) {
        throw new IllegalArgumentException("cluster settings need at least one seed node");
      }
      seeds.forEach(a -> RedisUrls.requireHostPort(a, "cluster seed node"));
    }
  }

  /** Settings of one server or Sentinel-managed master (the form before Redis Cluster). */
  public RedisSettings(String host, int port, int db, Duration timeout, Optional<String> user,
                       Optional<String> password, boolean tls, TlsFiles tlsFiles, Optional<Sentinel> sentinel) {
    this(host, port, db, timeout, user, password, tls, tlsFiles, sentinel, Optional.empty());
  }

  /** Settings of one server, with the given TLS files. */
  public RedisSettings(String host, int port, int db, Duration timeout, Optional<String> user,
                       Optional<String> password, boolean tls, TlsFiles tlsFiles) {
    this(host, port, db, timeout, user, password, tls, tlsFiles, Optional.empty());
  }

  /** Settings with the default TLS files (the form before TLS files could be given). */
  public RedisSettings(String host, int port, int db, Duration timeout, Optional<String> user,
                       Optional<String> password, boolean tls) {
    this(host, port, db, timeout, user, password, tls, DEFAULT_TLS_FILES);
  }

  /** Plain settings without authentication or TLS. */
  public static RedisSettings of(String host, int port, int db, Duration timeout) {
    return new RedisSettings(host, port, db, timeout, Optional.empty(), Optional.empty(), false);
  }

  /**
   * Parses {@code redis://[user:password@]host[:port][/db]} or {@code rediss://…} (TLS). A password alone
   * is written {@code redis://:password@host} ({@code redis://password@host}, without a colon, is read as a password
   * too). Query parameter {@code timeout} (milliseconds) is honoured.
   *
   * <p>User and password are percent-decoded as UTF-8, exactly: {@code %40} is {@code @}, {@code %3A} is {@code :},
   * {@code %25} is {@code %}, {@code %2B} and a literal {@code +} are both {@code +} (a URL is not a form: {@code +} is
   * never a space; a space is {@code %20}). A {@code %} not followed by two hex digits is refused.
   *
   * @throws IllegalArgumentException naming the URL (without its password) and the problem
   */
  public static RedisSettings fromUri(URI uri) {
    String scheme = uri.getScheme();
    if (scheme != null && (scheme.equalsIgnoreCase("redis-sentinel") || scheme.equalsIgnoreCase("rediss-sentinel"))) {
      return RedisUrls.fromSentinelUrl(uri.toString());
    }
    if (scheme != null && (scheme.equalsIgnoreCase("redis-cluster") || scheme.equalsIgnoreCase("rediss-cluster"))) {
      return RedisUrls.fromClusterUrl(uri.toString());
    }
    if (scheme == null || !(scheme.equalsIgnoreCase("redis") || scheme.equalsIgnoreCase("rediss"))) {
      throw new IllegalArgumentException("Redis URL '" + RedisUrls.redact(uri.toString()) + "' must start with "
          + "redis://, rediss://, redis-sentinel://, rediss-sentinel://, redis-cluster:// or rediss-cluster://");
    }
    boolean tls = scheme.equalsIgnoreCase("rediss");
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("Redis URL '" + RedisUrls.redact(uri.toString()) + "' has no host");
    }
    int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
    int db = 0;
    String path = uri.getPath();
    if (path != null && path.length() > 1) {
      try {
        db = Integer.parseInt(path.substring(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("Redis URL '" + RedisUrls.redact(uri.toString()) + "': database '" + path.substring(1)
            + "' is not a number");
      }
    }
    RedisUrls.Credentials credentials = RedisUrls.credentials(uri.getRawUserInfo(), uri.toString());
    Duration timeout = RedisUrls.timeout(uri.getRawQuery(), uri.toString());
    return new RedisSettings(host, port, db, timeout, credentials.user(), credentials.password(), tls);
  }

  /**
   * Parses a URL string; see {@link #fromUri(URI)}. A malformed URL is refused with the URL quoted without its
   * password (and without the cause, whose message would quote it in full).
   */
  public static RedisSettings fromUri(String uri) {
    String text = uri.trim();
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    if (lower.startsWith("redis-sentinel://") || lower.startsWith("rediss-sentinel://")) {
      return RedisUrls.fromSentinelUrl(text);
    }
    if (lower.startsWith("redis-cluster://") || lower.startsWith("rediss-cluster://")) {
      return RedisUrls.fromClusterUrl(text);
    }
    URI parsed;
    try {
      parsed = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Redis URL '" + RedisUrls.redact(text) + "' is malformed: " + e.getReason()
          + (e.getIndex() >= 0 ? " at character " + (e.getIndex() + 1) : "")
          + " (in a user name or password, write each reserved character as %XX, e.g. '@' as %40, '%' as %25, ' ' as %20)");
    }
    return fromUri(parsed);
  }

  /**
   * The settings used when nothing was configured in code: {@code KTL_REDIS_URL} if set, otherwise
   * {@code redis://localhost:6379/0}; then the password from the file {@code KTL_REDIS_PASSWORD_FILE} names, and the
   * TLS files {@code KTL_REDIS_CACERT}, {@code KTL_REDIS_CERT} and {@code KTL_REDIS_KEY} name, where set.
   *
   * @throws IllegalArgumentException for a malformed URL, an unreadable password file, or TLS files with a
   *     {@code redis://} URL; the message names the variable
   */
  public static RedisSettings fromEnvironment() {
    return fromEnvironment(System::getenv);
  }

  /** {@link #fromEnvironment()} with {@code env} for {@link System#getenv(String)} (for tests). */
  static RedisSettings fromEnvironment(UnaryOperator<String> env) {
    String url = nonBlank(env.apply(ENV_URL));
    RedisSettings s;
    try {
      s = url != null ? fromUri(url) : of(DEFAULT_HOST, DEFAULT_PORT, 0, DEFAULT_TIMEOUT);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " (from " + ENV_URL + ")", e);
    }
    return s.withEnvironmentFiles(env, url != null ? ENV_URL : "the default URL " + s.redactedUrl());
  }

  /**
   * These settings with the password file and TLS files named by the environment ({@code KTL_REDIS_PASSWORD_FILE},
   * {@code KTL_REDIS_CACERT}, {@code KTL_REDIS_CERT}, {@code KTL_REDIS_KEY}), where set. For programs that take the
   * URL from elsewhere (the {@code ktl} command's {@code --redis}) but honour the same variables.
   *
   * @param urlSource where the URL came from, for messages
   */
  public RedisSettings withEnvironmentFiles(UnaryOperator<String> env, String urlSource) {
    RedisSettings s = this;
    String passwordFile = nonBlank(env.apply(ENV_PASSWORD_FILE));
    String ca = nonBlank(env.apply(ENV_CACERT));
    String cert = nonBlank(env.apply(ENV_CERT));
    String key = nonBlank(env.apply(ENV_KEY));
    try {
      if (passwordFile != null) {
        s = s.withPasswordFile(Path.of(passwordFile));
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " (from " + ENV_PASSWORD_FILE + ")", e);
    }
    if (ca == null && cert == null && key == null) {
      return s;
    }
    if (!s.tls) {
      throw new IllegalArgumentException("TLS files are set (" + (ca != null ? ENV_CACERT : cert != null ? ENV_CERT
          : ENV_KEY) + ") but the Redis URL from " + urlSource + " is " + s.redactedUrl() + ", not rediss://");
    }
    TlsFiles files = s.tlsFiles;
    if (ca != null) {
      files = files.withCaCert(Path.of(ca));
    }
    if (cert != null || key != null) {
      if (cert == null || key == null) {
        throw new IllegalArgumentException(cert != null ? ENV_CERT + " is set without " + ENV_KEY
            : ENV_KEY + " is set without " + ENV_CERT);
      }
      files = files.withClientCertificate(Path.of(cert), Path.of(key));
    }
    return s.withTlsFiles(files);
  }

  /** This connection as a URL, with the password replaced by {@code ***}. */
  public String redactedUrl() {
    StringBuilder b = new StringBuilder(tls ? "rediss" : "redis")
        .append(sentinel.isPresent() ? "-sentinel://" : cluster.isPresent() ? "-cluster://" : "://");
    if (user.isPresent() || password.isPresent()) {
      b.append(user.orElse("")).append(password.isPresent() ? ":***" : "").append('@');
    }
    if (sentinel.isPresent()) {
      return b.append(String.join(",", sentinel.get().addresses())).append('/').append(sentinel.get().masterName())
          .append('/').append(db).toString();
    }
    if (cluster.isPresent()) {
      return b.append(String.join(",", cluster.get().seeds())).toString();
    }
    return b.append(host).append(':').append(port).append('/').append(db).toString();
  }

  /** {@code host:port}, for Sentinel {@code master NAME via Sentinel h:p,…}, for a cluster {@code cluster h:p,…}; for messages. */
  public String address() {
    if (sentinel.isPresent()) {
      return "master " + sentinel.get().masterName() + " via Sentinel " + String.join(",", sentinel.get().addresses());
    }
    if (cluster.isPresent()) {
      return "cluster " + String.join(",", cluster.get().seeds());
    }
    return host + ":" + port;
  }

  /** Same settings, another timeout. */
  public RedisSettings withTimeout(Duration t) {
    return new RedisSettings(host, port, db, t, user, password, tls, tlsFiles, sentinel, cluster);
  }

  /**
   * Same settings with these TLS files (CA, client certificate and key).
   *
   * @throws IllegalArgumentException if these settings are not TLS ({@code redis://})
   */
  public RedisSettings withTlsFiles(TlsFiles files) {
    return new RedisSettings(host, port, db, timeout, user, password, tls, files, sentinel, cluster);
  }

  /**
   * Same settings with the password read from {@code file}: its first line, without the line end. The way for daemons
   * to keep the password out of the command line ({@code ps}) and out of the URL (e.g. systemd {@code LoadCredential=}).
   * The file is read now.
   *
   * @throws IllegalArgumentException naming the file (never its content) if it cannot be read or its first line is
   *     empty, or if the URL already has a password (for an ACL user with a password file write
   *     {@code redis://USER:@host}: a user name without a colon would be read as a password)
   */
  public RedisSettings withPasswordFile(Path file) {
    if (password.isPresent()) {
      throw new IllegalArgumentException("a password is given both in the Redis URL " + redactedUrl()
          + " and in the password file " + file + "; give it once (for an ACL user, write the URL as "
          + (tls ? "rediss" : "redis") + "://USER:@" + address() + ")");
    }
    String secret = PemFiles.firstLine(file, "password");
    return new RedisSettings(host, port, db, timeout, user, Optional.of(secret), tls, tlsFiles, sentinel, cluster);
  }

  @Override
  public String toString() {
    return redactedUrl() + " (timeout " + timeout.toMillis() + " ms" + (tlsFiles.isEmpty() ? "" : ", TLS " + tlsFiles)
        + ")";
  }

  private static String nonBlank(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
