package org.ktl4j.cli;

import java.util.Optional;
import org.ktl4j.UnavailableException;
import org.ktl4j.redis.RedisSettings;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * What a command adds to a Redis failure so that its one line says what to do: for a Redis that asks for a
 * password none was given for, how to give one (instead of Redis's {@code NOAUTH HELLO must be called…}); for a
 * Redis that cannot be reached, where its URL came from ({@code --redis}, {@code KTL_REDIS_URL} or the default),
 * once however often the failure is wrapped. Stateless.
 */
final class ConnectionHints {
  /** The start of the "where the URL came from" note, to add it once only. */
  static final String URL_HINT = "Redis URL from";
  private static final String REFUSED_CREDENTIALS = " refused the credentials: ";
  /** The client's text for a subscription that found no connection (it carries no Jedis cause). */
  private static final String NO_PUBSUB = "no pub/sub connection to Redis";

  private ConnectionHints() {}

  /**
   * {@code e} with the hint it needs, or {@code e} itself.
   *
   * @param settings  the Redis the command used
   * @param urlSource where its URL came from, e.g. {@code --redis}
   */
  static UnavailableException explain(UnavailableException e, RedisSettings settings, String urlSource) {
    return passwordMissing(e, settings).orElseGet(() -> withUrlSource(e, urlSource));
  }

  /** For a Redis that asked for a password none was given for: the failure saying how to give one. */
  static Optional<UnavailableException> passwordMissing(UnavailableException e, RedisSettings settings) {
    String m = message(e);
    int refused = m.indexOf(REFUSED_CREDENTIALS);
    if (refused < 0 || !m.contains("NOAUTH") || settings.password().isPresent()) {
      return Optional.empty();
    }
    return Optional.of(new UnavailableException(m.substring(0, refused) + " needs a password: give it in the URL, "
        + withPasswordPlaceholder(settings) + ", or in a file with --redis-password-file FILE (or "
        + RedisSettings.ENV_PASSWORD_FILE + "=FILE)", e));
  }

  /** For a Redis that cannot be reached: the failure with where its URL came from (once). */
  static UnavailableException withUrlSource(UnavailableException e, String urlSource) {
    String m = message(e);
    boolean unreachable = causedBy(e, JedisConnectionException.class) || m.contains(NO_PUBSUB);
    if (!unreachable || m.contains(URL_HINT)) {
      return e;
    }
    return new UnavailableException(m.replaceAll("[.\\s]+$", "") + " (" + URL_HINT + " " + urlSource + ")", e);
  }

  /** The URL with {@code :PASSWORD} where the password goes: {@code redis://:PASSWORD@host:6379/0}. */
  static String withPasswordPlaceholder(RedisSettings settings) {
    String url = settings.redactedUrl();
    int start = url.indexOf("://") + 3;
    String rest = url.substring(start);
    if (settings.user().isPresent()) { // redactedUrl wrote 'user@'
      return url.substring(0, start) + settings.user().get() + ":PASSWORD@" + rest.substring(rest.lastIndexOf('@') + 1);
    }
    return url.substring(0, start) + ":PASSWORD@" + rest;
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? "" : e.getMessage();
  }

  static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
