package org.ktl4j.dispatcher;

import java.util.Map;
import org.ktl4j.UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Makes sure the server's {@code notify-keyspace-events} includes {@code K} (keyspace channels), {@code h}
 * (hash commands) and {@code g} (generic commands: {@code del}), adding them to whatever flags are already set,
 * because every broadcast is a keyspace notification, and a {@code del} is a resync for monitors. Where {@code CONFIG} is not allowed (managed Redis), it refuses with a message that
 * says which server setting to make.
 */
final class KeyspaceNotifications {
  private static final Logger log = LoggerFactory.getLogger(KeyspaceNotifications.class);

  private KeyspaceNotifications() {}

  static void ensure(UnifiedJedis redis, String service, String address) {
    String flags;
    try {
      flags = flags(redis);
    } catch (JedisDataException e) {
      throw refused(service, address, e.getMessage());
    }
    String required = missingRequired(flags);
    String wanted = flags + required + (flags.indexOf('g') < 0 && flags.indexOf('A') < 0 ? "g" : "");
    if (wanted.equals(flags)) {
      return;
    }
    try {
      redis.configSet("notify-keyspace-events", wanted);
    } catch (JedisDataException e) {
      if (!required.isEmpty()) {
        throw refused(service, address, e.getMessage());
      }
      // only g is missing: broadcasts work without it (a deleted value is noticed with the next store)
      log.info("service {}: could not add 'g' to notify-keyspace-events on {} ({}); a value deleted by hand reaches "
          + "monitors only with the next store", service, address, e.getMessage());
      return;
    }
    log.info("service {}: set notify-keyspace-events on {} from '{}' to '{}' (broadcasts are keyspace notifications)",
        service, address, flags, wanted);
  }

  /** The server's {@code notify-keyspace-events} flags. */
  static String flags(UnifiedJedis redis) {
    Map<String, String> cfg = redis.configGet("notify-keyspace-events");
    return cfg.getOrDefault("notify-keyspace-events", "");
  }

  /** The flags broadcasts need ({@code K}, and {@code h} unless {@code A}) that {@code flags} lacks. */
  static String missingRequired(String flags) {
    String needed = flags.indexOf('K') < 0 ? "K" : "";
    return flags.indexOf('h') < 0 && flags.indexOf('A') < 0 ? needed + "h" : needed;
  }

  private static UnavailableException refused(String service, String address, String why) {
    return new UnavailableException("service '" + service + "': cannot check keyspace notifications on Redis at "
        + address + " (" + why + "): CONFIG is not allowed there. Configure the server with "
        + "'notify-keyspace-events Kh' (or add K and h to its current flags; on managed Redis, in its parameter "
        + "settings), then start the dispatcher with notification checking turned off (--no-notify-check)");
  }
}
