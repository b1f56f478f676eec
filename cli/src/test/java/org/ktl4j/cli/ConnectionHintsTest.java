package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ktl4j.UnavailableException;
import org.ktl4j.redis.RedisSettings;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** What a Redis failure gets added so that it says what to do. */
class ConnectionHintsTest {
  private static final String NOAUTH = "NOAUTH HELLO must be called with the client already authenticated, "
      + "otherwise the HELLO AUTH <user> <pass> option can be used";

  private static UnavailableException refused(String address) {
    return new UnavailableException("cannot list services: Redis at " + address + " refused the credentials: "
        + NOAUTH, new JedisAccessControlException(NOAUTH));
  }

  @Test
  void aRedisThatWantsAPasswordNoneWasGivenForSaysHowToGiveOne() {
    RedisSettings settings = RedisSettings.fromUri("redis://db.example.org:6380/2");

    UnavailableException e = ConnectionHints.explain(refused("db.example.org:6380"), settings, "--redis");

    assertThat(e.getMessage()).isEqualTo("cannot list services: Redis at db.example.org:6380 needs a password: give "
        + "it in the URL, redis://:PASSWORD@db.example.org:6380/2, or in a file with --redis-password-file FILE "
        + "(or KTL_REDIS_PASSWORD_FILE=FILE)");
  }

  @Test
  void anAclUserKeepsItsNameInTheUrlShown() {
    RedisSettings settings = RedisSettings.fromUri("rediss://alice:@db.example.org:6380/0");

    assertThat(ConnectionHints.withPasswordPlaceholder(settings))
        .isEqualTo("rediss://alice:PASSWORD@db.example.org:6380/0");
  }

  @Test
  void aWrongPasswordIsLeftAsRedisSaidIt() {
    RedisSettings settings = RedisSettings.fromUri("redis://:wrong@db.example.org:6380/0");
    UnavailableException wrong = refused("db.example.org:6380");

    assertThat(ConnectionHints.explain(wrong, settings, "--redis")).isSameAs(wrong);
  }

  @Test
  void anUnreachableRedisSaysWhereItsUrlCameFromOnceHoweverOftenWrapped() {
    UnavailableException e = new UnavailableException("cannot list services: cannot reach Redis at h:1 within "
        + "2000 ms: Connection refused.", new JedisConnectionException("Connection refused"));

    UnavailableException once = ConnectionHints.withUrlSource(e, "--redis");
    UnavailableException twice = ConnectionHints.withUrlSource(once, "--redis");

    assertThat(twice.getMessage()).isEqualTo("cannot list services: cannot reach Redis at h:1 within 2000 ms: "
        + "Connection refused (Redis URL from --redis)");
  }

  @Test
  void aMissingPubSubConnectionSaysWhereTheUrlCameFromToo() {
    UnavailableException e = new UnavailableException("cannot subscribe to svc.X: no pub/sub connection to Redis "
        + "at h:1 within 100 ms (cannot connect)");

    assertThat(ConnectionHints.withUrlSource(e, "KTL_REDIS_URL").getMessage())
        .endsWith("(Redis URL from KTL_REDIS_URL)");
  }
}
