package org.ktl4j.cli;

import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.redis.TlsFiles;
import picocli.CommandLine.Option;

/**
 * The {@code --redis} options: which Redis a command talks to, and how. A subcommand that needs Redis declares
 * {@code @Mixin RedisOption redis;} and calls {@link #settings()}.
 *
 * <p>Value: a {@code redis://} / {@code rediss://} / {@code redis-sentinel://} / {@code rediss-sentinel://} /
 * {@code redis-cluster://} / {@code rediss-cluster://} URL; without
 * the option, {@code $KTL_REDIS_URL}; without that,
 * {@value #DEFAULT_URL}. {@code embedded} or {@code embedded:PORT} asks the daemon to start a private
 * {@code redis-server} (only {@code ktl dispatcher} accepts it). The password file and the TLS files each come from
 * their option, else from their environment variable ({@code KTL_REDIS_PASSWORD_FILE}, {@code KTL_REDIS_CACERT},
 * {@code KTL_REDIS_CERT}, {@code KTL_REDIS_KEY}). Not thread-safe (filled in by picocli).
 */
final class RedisOption {
  /** The URL used when neither {@code --redis} nor {@code KTL_REDIS_URL} is given. */
  static final String DEFAULT_URL = "redis://localhost:6379/0";
  /** Port {@code --redis embedded} tries first (falling back to a free port if it is taken). */
  static final int EMBEDDED_PREFERRED_PORT = 6379;

  private static final Pattern EMBEDDED = Pattern.compile("embedded(?::(\\d{1,5}))?", Pattern.CASE_INSENSITIVE);
  /** {@code host}, {@code host:port}, {@code host:port/db}: what people type when they forget the scheme. */
  private static final Pattern HOST_PORT =
      Pattern.compile("(?:[A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:.]+\\])(?::\\d{1,5})?(?:/\\d+)?");

  @Option(names = "--redis", order = 3, paramLabel = "URL", description = {
      "Redis to use: redis://[[user]:password@]host[:port][/db] (rediss:// for TLS), or behind Sentinel "
          + "redis-sentinel://[[user]:password@]host:port[,host:port...]/MASTERNAME[/db] (rediss-sentinel:// for TLS), "
          + "or a Redis Cluster redis-cluster://[[user]:password@]host:port[,host:port...] (rediss-cluster:// for TLS). "
          + "Default: $" + RedisSettings.ENV_URL + ", else " + DEFAULT_URL + ".",
      "'embedded' or 'embedded:PORT' (ktl dispatcher only): start a private redis-server for as long as the "
          + "dispatcher runs, on PORT (default " + EMBEDDED_PREFERRED_PORT + " if free, else any free port; 0 = any "
          + "free port); its URL is printed for other terminals."})
  private String url;

  @Option(names = "--redis-password-file", order = 3, paramLabel = "FILE", description = {
      "File whose first line is the Redis password (default: $" + RedisSettings.ENV_PASSWORD_FILE + "). For daemons: "
          + "a password in --redis is visible to every user in 'ps'; for an ACL user, give redis://USER:@host."})
  private Path passwordFile;

  @Option(names = "--redis-cacert", order = 3, paramLabel = "FILE", description = {
      "PEM file of the CA certificate(s) that sign the rediss:// server's certificate (default: $"
          + RedisSettings.ENV_CACERT + ", else the JDK's trust store). The host name is always verified."})
  private Path caCert;

  @Option(names = "--redis-cert", order = 3, paramLabel = "FILE", description = {
      "PEM client certificate, for a server that asks for one (tls-auth-clients yes); with --redis-key "
          + "(default: $" + RedisSettings.ENV_CERT + ")."})
  private Path clientCert;

  @Option(names = "--redis-key", order = 3, paramLabel = "FILE", description = {
      "Unencrypted PEM private key of --redis-cert: PKCS#8, or PKCS#1 RSA (default: $" + RedisSettings.ENV_KEY + ")."})
  private Path clientKey;

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
    if (!value().contains("://")) {
      throw new IllegalArgumentException(notAUrl(value(), source()));
    }
    RedisSettings settings;
    try {
      settings = RedisSettings.fromUri(value());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " (from " + source() + ")", e);
    }
    Given password = given(passwordFile, "--redis-password-file", RedisSettings.ENV_PASSWORD_FILE);
    if (password != null) {
      try {
        settings = settings.withPasswordFile(password.file());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(e.getMessage() + " (from " + password.source() + ")", e);
      }
    }
    Given ca = given(caCert, "--redis-cacert", RedisSettings.ENV_CACERT);
    Given cert = given(clientCert, "--redis-cert", RedisSettings.ENV_CERT);
    Given key = given(clientKey, "--redis-key", RedisSettings.ENV_KEY);
    if (ca == null && cert == null && key == null) {
      return settings;
    }
    Given first = ca != null ? ca : cert != null ? cert : key;
    if (!settings.tls()) {
      throw new IllegalArgumentException(first.source() + " is given, but the Redis URL " + settings.redactedUrl()
          + " (from " + source() + ") is not TLS: use rediss://");
    }
    TlsFiles files = TlsFiles.NONE;
    if (ca != null) {
      files = files.withCaCert(ca.file());
    }
    if (cert != null || key != null) {
      if (cert == null || key == null) {
        throw new IllegalArgumentException(cert != null
            ? cert.source() + " is given without the key file (--redis-key or " + RedisSettings.ENV_KEY + ")"
            : key.source() + " is given without the certificate file (--redis-cert or " + RedisSettings.ENV_CERT + ")");
      }
      files = files.withClientCertificate(cert.file(), key.file());
    }
    return settings.withTlsFiles(files);
  }

  /**
   * What to say about a value without a scheme ({@code 127.0.0.1:6379}): that a Redis URL starts with
   * {@code redis://}, with the URL probably meant. A value holding {@code @} may hold a password: it is not repeated.
   */
  static String notAUrl(String value, String source) {
    boolean hostPort = HOST_PORT.matcher(value).matches();
    String example = hostPort ? "redis://" + value + (value.contains("/") ? "" : "/0") : "redis://127.0.0.1:6379/0";
    String shown = value.contains("@") ? "" : " '" + value + "'";
    return "the Redis URL" + shown + " (from " + source + ") is not a URL: a Redis URL starts with redis:// "
        + "(rediss:// for TLS), e.g. " + example;
  }

  /**
   * Whether a password file or TLS file option is given; they do not apply to {@code embedded} (the variables are
   * ignored for it: they may be set for the whole session).
   */
  boolean hasFileOptions() {
    return passwordFile != null || caCert != null || clientCert != null || clientKey != null;
  }

  /** A file named by an option or an environment variable, and which one. */
  private record Given(Path file, String source) {}

  private static Given given(Path option, String optionName, String variable) {
    if (option != null) {
      return new Given(option, optionName + " " + option);
    }
    String env = System.getenv(variable);
    return env == null || env.isBlank() ? null : new Given(Path.of(env.strip()), variable + "=" + env.strip());
  }
}
