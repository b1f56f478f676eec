package org.ktl4j.dispatcher;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.ktl4j.UnavailableException;
import org.ktl4j.internal.redis.RedisConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Makes sure the server's {@code notify-keyspace-events} includes {@code K} (keyspace channels), {@code h}
 * (hash commands) and {@code g} (generic commands: {@code del}), adding them to whatever flags are already set,
 * because every broadcast is a keyspace notification, and a {@code del} is a resync for monitors. Where {@code CONFIG} is not allowed (managed Redis), it refuses with a message that
 * says which server setting to make. The commands go to the server that holds the service's keys (a sample key
 * routes them: on a cluster, to the master of the service's slot).
 */
final class KeyspaceNotifications {
  private static final Logger log = LoggerFactory.getLogger(KeyspaceNotifications.class);

  private KeyspaceNotifications() {}

  static void ensure(RedisConnections redis, String sampleKey, String service, String address) {
    String flags;
    try {
      flags = flags(redis, sampleKey);
    } catch (JedisDataException e) {
      throw refused(service, address, e.getMessage());
    }
    String required = missingRequired(flags);
    String wanted = flags + required + (flags.indexOf('g') < 0 && flags.indexOf('A') < 0 ? "g" : "");
    if (wanted.equals(flags)) {
      return;
    }
    try {
      redis.commandAt(sampleKey, Protocol.Command.CONFIG, "SET", "notify-keyspace-events", wanted);
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

  /** The {@code notify-keyspace-events} flags of the server that holds {@code sampleKey} (on a cluster: its master). */
  static String flags(RedisConnections redis, String sampleKey) {
    Object reply = redis.commandAt(sampleKey, Protocol.Command.CONFIG, "GET", "notify-keyspace-events");
    if (reply instanceof List<?> l && l.size() >= 2 && l.get(1) instanceof byte[] b) {
      return new String(b, StandardCharsets.US_ASCII);
    }
    return "";
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
