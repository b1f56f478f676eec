package org.ktl4j.redis;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import redis.clients.jedis.HostAndPort;

/**
 * The text of Redis URLs: parsing {@code redis-sentinel://} and {@code redis-cluster://} URLs, percent-decoding user names and passwords exactly,
 * and quoting a URL without its password. Stateless; used by {@link RedisSettings}.
 */
final class RedisUrls {
  private RedisUrls() {}

  /**
   * Parses {@code redis-sentinel://[user:password@]host:port[,host:port…]/MASTERNAME[/db][?timeout=ms]}, or
   * {@code rediss-sentinel://…} (TLS to the Sentinels and to the master). User and password are those of the master
   * (percent-decoded as in {@link #fromUri(URI)}); the Sentinels are asked without credentials.
   */
  static RedisSettings fromSentinelUrl(String text) {
    Parts u = Parts.of(text);
    List<String> addresses = addresses(u.authority, 26379, "Sentinel address", text);
    String[] parts = u.path.isEmpty() ? new String[0] : u.path.split("/");
    if (parts.length < 1 || parts.length > 2 || parts[0].isEmpty()) {
      throw new IllegalArgumentException("Redis URL '" + redact(text) + "' must name the master: "
          + "redis-sentinel://host:port[,host:port…]/MASTERNAME[/db]");
    }
    int db = parts.length == 2 ? database(parts[1], text) : 0;
    Credentials credentials = credentials(u.info, text);
    Duration timeout = timeout(u.query, text);
    RedisSettings.Sentinel sentinel;
    try {
      sentinel = new RedisSettings.Sentinel(parts[0], addresses);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Redis URL '" + redact(text) + "': " + e.getMessage());
    }
    HostAndPort first = org.ktl4j.internal.redis.JedisSettings.hostsAndPorts(addresses).iterator().next();
    return new RedisSettings(first.getHost(), first.getPort(), db, timeout, credentials.user(), credentials.password(),
        u.tls, RedisSettings.DEFAULT_TLS_FILES, Optional.of(sentinel), Optional.empty());
  }

  /**
   * Parses {@code redis-cluster://[user:password@]host:port[,host:port…][/0][?timeout=ms]}, or
   * {@code rediss-cluster://…} (TLS to every node): the seed nodes of a Redis Cluster (port 6379 when none is given).
   * A cluster has only database 0, so a path other than {@code /0} is refused.
   */
  static RedisSettings fromClusterUrl(String text) {
    Parts u = Parts.of(text);
    List<String> seeds = addresses(u.authority, RedisSettings.DEFAULT_PORT, "cluster seed node", text);
    if (!u.path.isEmpty() && database(u.path, text) != 0) {
      throw new IllegalArgumentException("Redis URL '" + redact(text) + "': a Redis Cluster has only database 0, not "
          + u.path + " (redis-cluster://host:port[,host:port…])");
    }
    Credentials credentials = credentials(u.info, text);
    Duration timeout = timeout(u.query, text);
    HostAndPort first = org.ktl4j.internal.redis.JedisSettings.hostsAndPorts(seeds).iterator().next();
    return new RedisSettings(first.getHost(), first.getPort(), 0, timeout, credentials.user(), credentials.password(),
        u.tls, RedisSettings.DEFAULT_TLS_FILES, Optional.empty(), Optional.of(new RedisSettings.Cluster(seeds)));
  }

  /** A multi-host URL cut into its raw parts: user info, the host list, the path after its first '/', the query. */
  private record Parts(boolean tls, String info, String authority, String path, String query) {
    static Parts of(String text) {
      boolean tls = text.toLowerCase(java.util.Locale.ROOT).startsWith("rediss-");
      String rest = text.substring(text.indexOf("://") + 3);
      String info = null;
      int at = rest.lastIndexOf('@'); // user info first: a password may hold '/' or '?', never to be quoted below
      if (at >= 0) {
        info = rest.substring(0, at);
        rest = rest.substring(at + 1);
      }
      String query = null;
      int q = rest.indexOf('?');
      if (q >= 0) {
        query = rest.substring(q + 1);
        rest = rest.substring(0, q);
      }
      int slash = rest.indexOf('/');
      return new Parts(tls, info, slash < 0 ? rest : rest.substring(0, slash),
          slash < 0 ? "" : rest.substring(slash + 1), query);
    }
  }

  private static int database(String text, String url) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Redis URL '" + redact(url) + "': database '" + text + "' is not a number");
    }
  }

  /** The comma-separated {@code host[:port]} list of a URL, as {@code host:port} strings; IPv6 hosts in brackets. */
  private static List<String> addresses(String authority, int defaultPort, String what, String url) {
    List<String> addresses = new ArrayList<>();
    for (String hp : authority.split(",")) {
      String a = hp.trim();
      int close = a.startsWith("[") ? a.indexOf(']') : -1; // an IPv6 literal: [::1]:26379
      int colon = a.indexOf(':', Math.max(0, close));
      int port;
      String host;
      try {
        host = close > 0 ? a.substring(0, close + 1) : colon < 0 ? a : a.substring(0, colon);
        port = colon < 0 ? defaultPort : Integer.parseInt(a.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("Redis URL '" + redact(url) + "': " + what + " '" + a
            + "' is not host:port (an IPv6 address goes in brackets: [::1]:" + defaultPort + ")");
      }
      boolean ok = close > 0 ? close == host.length() - 1 && (colon < 0 || colon == close + 1)
          : !host.isEmpty() && host.indexOf(':') < 0;
      if (!ok || port < 1 || port > 65535) {
        throw new IllegalArgumentException("Redis URL '" + redact(url) + "': " + what + " '" + a
            + "' is not host:port (an IPv6 address goes in brackets: [::1]:" + defaultPort + ")");
      }
      addresses.add(host + ":" + port);
    }
    return addresses;
  }

  /** Refuses {@code address} unless it is {@code host:port} with a port in 1..65535. */
  static void requireHostPort(String address, String what) {
    int colon = address.lastIndexOf(':');
    if (colon < 1 || !address.substring(colon + 1).matches("\\d{1,5}")
        || Integer.parseInt(address.substring(colon + 1)) < 1 || Integer.parseInt(address.substring(colon + 1)) > 65535) {
      throw new IllegalArgumentException(what + " '" + address + "' is not host:port");
    }
  }

  /** {@code host:port} strings (IPv6 hosts in brackets) as Jedis addresses, in order. */
  /** A URL's user name and password, each empty when not given. */
  record Credentials(Optional<String> user, Optional<String> password) {}

  /**
   * The user name and password of a URL's raw user info ({@code user:password}, {@code :password}, or a password
   * alone), percent-decoded; {@code url} is quoted, redacted, in a refusal.
   */
  static Credentials credentials(String rawInfo, String url) {
    if (rawInfo == null || rawInfo.isEmpty()) {
      return new Credentials(Optional.empty(), Optional.empty());
    }
    int colon = rawInfo.indexOf(':');
    String u = colon < 0 ? "" : decode(rawInfo.substring(0, colon), "user name", url);
    String p = decode(colon < 0 ? rawInfo : rawInfo.substring(colon + 1), "password", url);
    return new Credentials(u.isEmpty() ? Optional.empty() : Optional.of(u),
        p.isEmpty() ? Optional.empty() : Optional.of(p));
  }

  /** The {@code timeout} (milliseconds) of a URL's raw query, else the default. */
  static Duration timeout(String rawQuery, String url) {
    Duration timeout = RedisSettings.DEFAULT_TIMEOUT;
    if (rawQuery != null) {
      for (String part : rawQuery.split("&")) {
        if (part.startsWith("timeout=")) {
          try {
            timeout = Duration.ofMillis(Long.parseLong(part.substring(8)));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Redis URL '" + redact(url) + "': timeout must be milliseconds");
          }
        }
      }
    }
    return timeout;
  }

  /**
   * Exact percent-decoding of a URL's user name or password as UTF-8 ({@code +} stays {@code +}). The message of a
   * refusal names what was being decoded, never its value.
   */
  static String decode(String raw, String what, String url) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '%') { // a run of plain text, encoded whole so that surrogate pairs (emoji) stay one character
        int next = raw.indexOf('%', i);
        int end = next < 0 ? raw.length() : next;
        bytes.writeBytes(raw.substring(i, end).getBytes(StandardCharsets.UTF_8));
        i = end - 1;
        continue;
      }
      int hi = i + 2 < raw.length() ? hexDigit(raw.charAt(i + 1)) : -1;
      int lo = hi >= 0 ? hexDigit(raw.charAt(i + 2)) : -1;
      if (lo < 0) {
        throw new IllegalArgumentException("Redis URL '" + redact(url) + "': the " + what
            + " has a '%' that is not followed by two hex digits (write '%' itself as %25)");
      }
      bytes.write(hi * 16 + lo);
      i += 2;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("Redis URL '" + redact(url) + "': the " + what
          + " is not UTF-8 once its %XX escapes are decoded");
    }
  }

  /** The value of an ASCII hex digit, or -1 (Character.digit would also take other scripts' digits). */
  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  }

  /**
   * The URL text with everything between {@code ://} and the last {@code @} of the authority replaced: the user name
   * is kept, the password (which is all of it when there is no colon) becomes {@code ***}.
   */
  static String redact(String url) {
    int start = url.indexOf("://");
    if (start < 0) {
      start = -3;
    }
    start += 3;
    int at = url.lastIndexOf('@');
    if (at < start) {
      return url;
    }
    String info = url.substring(start, at);
    int colon = info.indexOf(':');
    String shown = colon < 0 ? "***" : info.substring(0, colon) + ":***";
    return url.substring(0, start) + shown + url.substring(at);
  }
}
