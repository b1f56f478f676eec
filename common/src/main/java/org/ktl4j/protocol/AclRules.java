package org.ktl4j.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The Redis ACL rules of the three roles of one service (dispatcher, client, monitor): the arguments of
 * {@code ACL SETUSER <user> ...} that grant a role exactly the commands, keys and channels ktl4j uses for it, found
 * by running each role against a Redis 7.0 server and reading {@code ACL LOG} until it stayed empty.
 *
 * <p>Key and channel names come from {@link Keys}, so they cannot drift from the protocol. The rules use ACL
 * selectors and {@code %R~} read-only key patterns, which need Redis 7.0 or newer. They reset the user's keys,
 * channels, commands and selectors but not its passwords, so applying them again updates a user in place.
 *
 * <p>Immutable and thread-safe; building rules concatenates a few dozen strings.
 */
public final class AclRules {

  /** The roles a Redis user can have for one service. */
  public enum Role {
    /** Owns the service: writes its keys, serves MODIFY requests, publishes replies. */
    DISPATCHER,
    /** Reads, monitors and writes (MODIFY) the service's keywords; cannot change any key. */
    CLIENT,
    /** Reads and monitors only: no PUBLISH at all. */
    MONITOR;

    /** The lowercase name, as on the command line. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How much of {@code CONFIG} a dispatcher gets (it checks, and may set, {@code notify-keyspace-events}). */
  public enum ConfigAccess {
    /**
     * No {@code CONFIG}: the operator sets {@code notify-keyspace-events} and runs the dispatcher with
     * {@code --no-notify-check}.
     */
    NONE,
    /** {@code CONFIG GET}: the dispatcher checks the flags and refuses to start when they lack {@code K} or {@code h}. */
    GET,
    /** {@code CONFIG GET} and {@code CONFIG SET}: the dispatcher turns the flags on itself. */
    SET
  }

  /** Oldest Redis that understands these rules (selectors, {@code %R~}). */
  public static final String MINIMUM_REDIS_VERSION = "7.0";
  /** First Redis with {@code CLIENT SETINFO}, which Jedis sends on every new connection. */
  public static final String CLIENT_SETINFO_VERSION = "7.2";

  /** User names {@link #setUser} accepts: nothing a shell or redis-cli would interpret. */
  public static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");

  /** Clears the user's rules, keeping its passwords, and enables it. */
  private static final List<String> RESET = List.of("resetkeys", "resetchannels", "-@all", "clearselectors", "on");

  private final Keys keys;
  private final int db;
  private final boolean clientSetInfo;

  private AclRules(Keys keys, int db, boolean clientSetInfo) {
    if (db < 0) {
      throw new IllegalArgumentException("Redis database " + db + " must be >= 0");
    }
    this.keys = keys;
    this.db = db;
    this.clientSetInfo = clientSetInfo;
  }

  /**
   * Rules for {@code service} (validated and lowercased) on database {@code db}, for Redis 7.0 and 7.1.
   *
   * @throws IllegalArgumentException if the service name is invalid or {@code db} is negative
   */
  public static AclRules of(String service, int db) {
    return new AclRules(Keys.of(service), db, false);
  }

  /**
   * These rules for a server of {@code redisVersion} (e.g. {@code "7.2"}): from 7.2 on they also allow
   * {@code CLIENT SETINFO}, which 7.0 does not know (there, naming it makes {@code ACL SETUSER} fail).
   *
   * @throws IllegalArgumentException if {@code redisVersion} is older than {@value #MINIMUM_REDIS_VERSION}
   */
  public AclRules forRedis(String redisVersion) {
    if (compare(redisVersion, MINIMUM_REDIS_VERSION) < 0) {
      throw new IllegalArgumentException("Redis " + redisVersion + " has no ACL selectors nor read-only key patterns "
          + "(they need Redis " + MINIMUM_REDIS_VERSION + "); on Redis 6.2 a role can only be approximated by hand");
    }
    return new AclRules(keys, db, compare(redisVersion, CLIENT_SETINFO_VERSION) >= 0);
  }

  /** The service's keys and channels. */
  public Keys keys() {
    return keys;
  }

  /** The database the keyspace channels name. */
  public int db() {
    return db;
  }

  /**
   * The rules of {@code role} (for the dispatcher, with {@link ConfigAccess#GET}): every argument after
   * {@code ACL SETUSER <user>}, without a password.
   */
  public List<String> rules(Role role) {
    return rules(role, ConfigAccess.GET);
  }

  /** The rules of {@code role}; {@code config} matters for the dispatcher only. */
  public List<String> rules(Role role, ConfigAccess config) {
    List<String> r = new ArrayList<>(RESET);
    r.addAll(connectionCommands());
    switch (role) {
      case DISPATCHER -> dispatcher(r, config);
      case CLIENT -> reader(r, true);
      case MONITOR -> reader(r, false);
      default -> throw new IllegalArgumentException("unknown role " + role);
    }
    return List.copyOf(r);
  }

  /** {@code ACL SETUSER user <rules>} as separate arguments (no password: add one, or keep the user's). */
  public List<String> setUser(String user, Role role, ConfigAccess config) {
    if (!USER_NAME.matcher(user).matches()) {
      throw new IllegalArgumentException("ACL user name '" + Names.printable(user) + "' must be 1 to 64 of "
          + "A-Z a-z 0-9 _ . @ - (so that it needs no quoting in redis-cli or a shell)");
    }
    List<String> command = new ArrayList<>(List.of("ACL", "SETUSER", user));
    command.addAll(rules(role, config));
    return List.copyOf(command);
  }

  /** What every role's connections send: keep-alive, the connection name, and the database when it is not 0. */
  private List<String> connectionCommands() {
    // CLUSTER SLOTS: on a Redis Cluster, where each connection learns which node serves which slot
    List<String> r = new ArrayList<>(List.of("+ping", "+client|setname", "+cluster|slots"));
    if (clientSetInfo) {
      r.add("+client|setinfo");
    }
    if (db != 0) {
      r.add("+select");
    }
    return r;
  }

  private void dispatcher(List<String> r, ConfigAccess config) {
    // the lease, store and definitions scripts run GET, SET, PEXPIRE, DEL, HMGET, HSET, XADD, TIME and PUBLISH as this
    // user
    // SPUBLISH, SSUBSCRIBE and SUNSUBSCRIBE: on a Redis Cluster (shard channels; the store script too)
    r.addAll(List.of("+get", "+set", "+pexpire", "+del", "+exists", "+hmget", "+hset", "+xadd", "+time", "+eval",
        "+evalsha",
        "+publish", "+subscribe", "+unsubscribe", "+spublish", "+ssubscribe", "+sunsubscribe", "+info|server"));
    if (config != ConfigAccess.NONE) {
      r.add("+config|get");
    }
    if (config == ConfigAccess.SET) {
      r.add("+config|set");
    }
    r.addAll(List.of("~" + keys.keyword("*"), "~" + keys.history("*"), "~" + keys.definitions(), "~" + keys.lease()));
    r.addAll(List.of("&" + keys.modifyChannel(), "&" + keys.replyChannelPattern(), "&" + keyspacePattern()));
    // the set of services is shared: add to it, nothing else
    r.add("(resetchannels +sadd ~" + Keys.SERVICES + ")");
  }

  /** Client ({@code write}) or monitor: read-only keys, keyspace subscriptions, and for a client MODIFY. */
  private void reader(List<String> r, boolean write) {
    r.addAll(List.of("+hmget", "+hgetall", "+get", "+smembers", "+sismember", "+xrevrange", "+time", "+unsubscribe",
        "+punsubscribe"));
    // values of this service only; definitions and leases of every service, so that `ktl list` can list them all
    r.addAll(List.of("%R~" + keys.keyword("*"), "%R~" + keys.history("*"), "%R~" + anyService(keys.definitions()),
        "%R~" + anyService(keys.lease()), "%R~" + Keys.SERVICES));
    if (write) {
      // PUBLISH only to the modify channel; SUBSCRIBE is in a selector, so the modify channel (where requests
      // carry other writers' reply channels) can be published to but never listened to
      // (on a Redis Cluster the same as shard channels: SPUBLISH, SSUBSCRIBE)
      r.addAll(List.of("+publish", "+spublish", "+sunsubscribe", "&" + keys.modifyChannel()));
      r.add("(resetchannels +subscribe +ssubscribe &" + keys.replyChannelPattern() + " &" + keyspacePattern() + ")");
    } else {
      r.add("(resetchannels +subscribe &" + keyspacePattern() + ")");
    }
    // PSUBSCRIBE checks a pattern literally against the allowed ones: only the service-wide keyspace pattern
    r.add("(resetchannels +psubscribe &" + keyspacePattern() + ")");
  }

  /** {@code key} of this service as a pattern over every service: {@code ktl:{*}:keywords}. */
  private String anyService(String key) {
    return key.replace("{" + keys.service() + "}", "{*}");
  }

  private String keyspacePattern() {
    return keys.keyspacePattern(db);
  }

  private static int compare(String a, String b) {
    String[] x = a.strip().split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int c = Integer.compare(number(x, i), number(y, i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static int number(String[] parts, int i) {
    if (i >= parts.length) {
      return 0;
    }
    try {
      return Integer.parseInt(parts[i]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + String.join(".", parts) + "' is not a Redis version like 7.0 or 7.2.4",
          e);
    }
  }

  @Override
  public String toString() {
    return "AclRules[" + keys.service() + ", db " + db + (clientSetInfo ? ", CLIENT SETINFO" : "") + "]";
  }
}
