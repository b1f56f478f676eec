package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ktl4j.cli.KtlRun.ktl;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.client.Service;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;

/**
 * Dead is visible: once a dispatcher is killed and its lease expires, its last status value is shown as
 * orphaned, and a Java client can tell. Reads and waits on values already stored need no dispatcher.
 */
@ExtendWith(RedisExtension.class)
class DispatcherGoneTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void showMarksTheStatusOfAKilledDispatcherOnceItsLeaseExpired(RedisServer server) throws Exception {
    String service = server.serviceName("cligone");
    try (RawWriter redis = new RawWriter(server.url(), service);
         RedisEndpoint endpoint = RedisEndpoint.open(RedisSettings.fromUri(server.url()))) {
      try (KtlProcess daemon = DispatcherCommandTest.daemon(server, service, "--lease-ttl=1")) {
        DispatcherCommandTest.awaitReady(daemon, redis);
        KtlRun alive = ktl("show", "-s", service, "--redis", server.url(), "DISPSTA");
        assertThat(alive.out()).as(alive.toString()).containsExactly("DISPSTA = ready");
      } // SIGKILL: no clean shutdown, DISPSTA stays 'ready', the lease expires within its TTL

      try (Service svc = Service.open(service, endpoint)) {
        await().atMost(WAIT).until(() -> !svc.isDispatcherAlive());
        assertThat(svc.dispatcher()).isEmpty();
        assertThat(svc.keyword("DISPSTA").readAscii()).as("the stored status outlives the dispatcher")
            .isEqualTo("ready");
      }

      KtlRun one = ktl("show", "-s", service, "--redis", server.url(), "DISPSTA");
      KtlRun all = ktl("show", "-s", service, "--redis", server.url());
      KtlRun terse = ktl("show", "-s", service, "--redis", server.url(), "--terse", "DISPSTA", "COUNTER");

      assertThat(one.exitCode()).as(one.toString()).isZero();
      assertThat(one.out()).containsExactly("DISPSTA = ready (no dispatcher holds the lease)");
      assertThat(all.out()).as(all.toString()).anySatisfy(line -> assertThat(line)
          .startsWith("DISPSTA ").endsWith("= ready (no dispatcher holds the lease)"));
      assertThat(all.out()).as("only the status is marked").filteredOn(l -> l.contains("lease")).hasSize(1);
      assertThat(terse.out()).as("--terse stays one value per line").first().isEqualTo("ready");
      assertThat(terse.err()).contains(service + ".DISPSTA").contains("no dispatcher holds the lease");
    }
  }

  @Test
  void waitforOnAConditionAlreadyTrueExitsZeroWhileNoDispatcherRuns(RedisServer server) {
    String service = server.serviceName("cliwaitdead");
    TestDispatchers.start(server, service).close(); // values stored, then nothing is ever stored again

    KtlRun run = ktl("waitfor", "-s", service, "--redis", server.url(), "-t", "600", "COUNT == 0 and SHUTTER == open");
    KtlRun java = ktl("waitfor", "--redis", server.url(), "-t", "600", "$" + service + ".TRACKING == on");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(java.exitCode()).as(java.toString()).isZero();
  }
}
