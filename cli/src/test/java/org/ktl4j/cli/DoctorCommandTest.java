package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ktl4j.cli.KtlRun.ktl;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.internal.protocol.AclRules;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisOptions;
import org.ktl4j.testkit.RedisServer;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

/** {@code ktl doctor}: one OK / WARN / FAIL line per check, and exit 1 when a check failed. */
class DoctorCommandTest {

  @ExtendWith(RedisExtension.class)
  @RedisOptions(minimumVersion = AclRules.MINIMUM_REDIS_VERSION, notifyKeyspaceEvents = "Kgh")
  @Nested
  class GoodServer {

    @Test
    void everyCheckPassesForAServiceWithItsDispatcher(RedisServer server) {
      String service = server.serviceName("doctorok");
      try (TestDispatchers running = TestDispatchers.start(server, service)) {
        KtlRun run = ktl("doctor", "--redis", server.url(), "-s", service);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).as(run.toString()).noneMatch(l -> l.startsWith("FAIL"))
            .anyMatch(l -> l.matches("OK +connect: .*answers PING.*"))
            .anyMatch(l -> l.matches("OK +version: Redis \\d+\\.\\d+.*"))
            .anyMatch(l -> l.matches("OK +notify-keyspace-events: '.*' has K and h"))
            .anyMatch(l -> l.matches("OK +config set: allowed.*"))
            .anyMatch(l -> l.matches("(OK|WARN) +latency: 20 PINGs: median [0-9.]+ ms, max [0-9.]+ ms.*"))
            .anyMatch(l -> l.matches("OK +topology: server is a master \\(ROLE\\)"))
            .anyMatch(l -> l.matches("OK +service: '" + service + "' is registered.*"))
            .anyMatch(l -> l.matches("OK +dispatcher: running: host \\S+ pid " + ProcessHandle.current().pid()
                + " since .*"))
            .anyMatch(l -> l.matches("OK +acl: user 'default' may read the service's keywords and their history, and send it writes"));
        assertThat(run.err()).isEmpty();
      }
    }

    @Test
    void anUnknownServiceFails(RedisServer server) {
      KtlRun run = ktl("doctor", "--redis", server.url(), "-s", server.serviceName("doctornone"));

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(run.out()).as(run.toString())
          .anyMatch(l -> l.matches("FAIL +service: '.*' is not in ktl:services: start its dispatcher.*"))
          .anyMatch(l -> l.matches("WARN +dispatcher: no dispatcher holds .*"));
    }
  }

  /** The testkit's default server has no keyspace notifications. */
  @ExtendWith(RedisExtension.class)
  @Nested
  class NotificationsOff {

    @Test
    void missingFlagsFailNamingKAndHAndTheFix(RedisServer server) {
      KtlRun run = ktl("doctor", "--redis", server.url());

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(run.out()).as(run.toString())
          .anyMatch(l -> l.matches("FAIL +notify-keyspace-events: '' lacks K, h .*run CONFIG SET "
              + "notify-keyspace-events Kgh .*"))
          .anyMatch(l -> l.matches("OK +connect: .*"));
      assertThat(run.out()).filteredOn(l -> l.startsWith("FAIL")).hasSize(1);
    }
  }

  /** A user that may read but not publish, nor use CONFIG: what a half-made client user looks like. */
  @ExtendWith(RedisExtension.class)
  @RedisOptions(minimumVersion = AclRules.MINIMUM_REDIS_VERSION, notifyKeyspaceEvents = "Kgh")
  @Nested
  class RestrictedUser {

    @Test
    void configAndMissingRightsAreReportedWithTheirFix(RedisServer server) {
      String service = server.serviceName("doctoracl");
      try (TestDispatchers running = TestDispatchers.start(server, service);
           RedisClient admin = server.newClient()) {
        admin.sendCommand(Protocol.Command.ACL, "SETUSER", "doctorreader", "on", ">pw", "resetkeys", "~ktl:*",
            "resetchannels", "-@all", "+ping", "+info", "+role", "+hmget", "+hgetall", "+get", "+xrevrange",
            "+sismember", "+acl|whoami", "+acl|dryrun");
        String url = "redis://doctorreader:pw@" + server.host() + ":" + server.port() + "/" + server.db();

        KtlRun run = ktl("doctor", "--redis", url, "-s", service);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).as(run.toString())
            .anyMatch(l -> l.matches("OK +connect: .*\\(user 'doctorreader'\\)"))
            .anyMatch(l -> l.matches("WARN +notify-keyspace-events: cannot check: set notify-keyspace-events Kgh in "
                + "redis.conf .*"))
            .anyMatch(l -> l.matches("OK +config set: not checked.*"))
            .anyMatch(l -> l.matches("OK +dispatcher: running: .*"))
            .anyMatch(l -> l.matches("FAIL +acl: user 'doctorreader' may not PUBLISH ktl:\\{" + service
                + "}:modify .*ktl acl -s " + service + " --role client --user doctorreader.*"));
        assertThat(run.out()).filteredOn(l -> l.startsWith("FAIL")).hasSize(1);
      }
    }
  }

  @ExtendWith(RedisExtension.class)
  @RedisOptions(password = "doctorsecret")
  @Nested
  class PasswordNeeded {

    @Test
    void aMissingPasswordFailsSayingHowToGiveIt(RedisServer server) {
      KtlRun run = ktl("doctor", "--redis", "redis://" + server.host() + ":" + server.port() + "/0");

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(run.out()).as(run.toString()).singleElement().asString()
          .matches("FAIL +connect: .*needs a password: give it in the URL, redis://:PASSWORD@.*")
          .contains("--redis-password-file");
    }
  }

  @Test
  void anUnreachableServerFailsWithinTheTimeout() {
    int port = TestDispatchers.closedPort();

    KtlRun run = ktl("doctor", "--redis", "redis://127.0.0.1:" + port + "/0", "--timeout", "1");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.out()).as(run.toString()).singleElement().asString()
        .matches("FAIL +connect: .*cannot reach Redis at 127\\.0\\.0\\.1:" + port + " within 1000 ms.*")
        .contains("Redis URL from --redis").contains("check that redis-server runs there");
  }
}
