package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.ErrorCode;
import org.ktl4j.internal.protocol.Reply;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;

/** {@code ktl dispatcher} as a daemon in its own JVM: ready, serving, SIGTERM, a second daemon, a setup class. */
@ExtendWith(RedisExtension.class)
class DispatcherCommandTest {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  static KtlProcess daemon(RedisServer server, String service, String... more) {
    String[] args = new String[4 + more.length];
    args[0] = "dispatcher";
    args[1] = "--config=" + KtlProcess.bundle("clitest.xml");
    args[2] = "--service=" + service;
    args[3] = "--redis=" + server.url();
    System.arraycopy(more, 0, args, 4, more.length);
    return KtlProcess.start(server.url(), args);
  }

  /** Waits until the daemon's DISPSTA is {@code ready}; fails at once, with its output, if it exits instead. */
  static void awaitReady(KtlProcess daemon, RawWriter redis) {
    await().atMost(START_TIMEOUT).until(() -> {
      assertThat(daemon.isAlive()).as("daemon still running; %s", daemon.output()).isTrue();
      return "ready".equals(redis.ascii("DISPSTA"));
    });
  }

  @Test
  void daemonBecomesReadyAndServesARawModifyRequest(RedisServer server) {
    String service = server.serviceName("cliserve");
    try (KtlProcess daemon = daemon(server, service); RawWriter writer = new RawWriter(server.url(), service)) {
      awaitReady(daemon, writer);
      // DISPSTA=ready is stored just before the daemon prints its ready line
      await().atMost(START_TIMEOUT).untilAsserted(() -> assertThat(daemon.stdout()).anySatisfy(line -> assertThat(line)
          .startsWith("ktl: service " + service + " ready").contains("10 keywords") // 3, 2 built-ins, 5 statistics
          .contains(server.host() + ":" + server.port())));

      Reply reply = writer.write("COUNTER", "42");

      assertThat(reply).isInstanceOf(Reply.Stored.class);
      assertThat(writer.stored("COUNTER")).containsEntry("ascii", "42").containsEntry("origin", "raw-writer");
    }
  }

  @Test
  void statsPeriodZeroLeavesTheStatisticsKeywordsOut(RedisServer server) {
    String service = server.serviceName("clinostats");
    try (KtlProcess daemon = daemon(server, service, "--stats-period=0");
         RawWriter writer = new RawWriter(server.url(), service)) {
      awaitReady(daemon, writer);
      await().atMost(START_TIMEOUT).untilAsserted(() -> assertThat(daemon.stdout()).anySatisfy(line -> assertThat(line)
          .startsWith("ktl: service " + service + " ready").contains("5 keywords")));

      assertThat(writer.write("COUNTER", "3")).isInstanceOf(Reply.Stored.class);
      assertThat(writer.write("DISPREQS", "3")).isInstanceOfSatisfying(Reply.Failed.class,
          f -> assertThat(f.code()).isEqualTo(ErrorCode.NO_SUCH_KEYWORD));
      assertThat(writer.ascii("DISPREQS")).isNull();
    }
  }

  @Test
  void sigtermStopsCleanlyWithExitCodeZeroAndLeavesTheValues(RedisServer server) throws Exception {
    String service = server.serviceName("clisigterm");
    try (KtlProcess daemon = daemon(server, service); RawWriter writer = new RawWriter(server.url(), service)) {
      awaitReady(daemon, writer);
      assertThat(writer.write("COUNTER", "7")).isInstanceOf(Reply.Stored.class);
      assertThat(writer.leaseExists()).isTrue();

      daemon.terminate();

      assertThat(daemon.awaitExit()).as(daemon.output()).isZero();
      assertThat(writer.ascii("DISPSTA")).isEqualTo("stopping");
      assertThat(writer.leaseExists()).as("lease released").isFalse();
      assertThat(writer.ascii("COUNTER")).isEqualTo("7");
      assertThat(daemon.stderr()).anySatisfy(line -> assertThat(line).contains("stopped cleanly"));
    }
  }

  @Test
  void secondDaemonForTheSameServiceExitsWithOneLineNamingTheHolder(RedisServer server) throws Exception {
    String service = server.serviceName("clilease");
    try (KtlProcess first = daemon(server, service, "--lease-ttl=1");
         RawWriter writer = new RawWriter(server.url(), service)) {
      awaitReady(first, writer);

      try (KtlProcess second = daemon(server, service, "--lease-ttl=1")) {
        assertThat(second.awaitExit()).as(second.output()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(second.errorLines()).singleElement().asString()
            .contains(service).contains("already served").contains("pid " + first.pid()).contains("host ");
        assertThat(second.stderr()).noneMatch(line -> line.startsWith("\tat "));
      }
      assertThat(first.isAlive()).isTrue();
      assertThat(writer.write("COUNTER", "1")).as("the first still serves").isInstanceOf(Reply.Stored.class);
    }
  }

  @Test
  void daemonWhoseLeaseIsTakenExitsFourWithTheReason(RedisServer server) throws Exception {
    String service = server.serviceName("clistolen");
    try (KtlProcess daemon = daemon(server, service, "--lease-ttl=1");
         RawWriter writer = new RawWriter(server.url(), service)) {
      awaitReady(daemon, writer);

      writer.takeLease("elsewhere", 99);

      assertThat(daemon.awaitExit()).as(daemon.output()).isEqualTo(ExitCodes.UNAVAILABLE);
      assertThat(daemon.errorLines()).singleElement().asString()
          .contains(service).contains("lease was taken").contains("host elsewhere pid 99");
    }
  }

  @Test
  void setupClassWhoseCheckRefusesSendsRejectedToTheWriter(RedisServer server) {
    String service = server.serviceName("clisetup");
    try (KtlProcess daemon = daemon(server, service, "--setup=" + RefusingSetup.class.getName());
         RawWriter writer = new RawWriter(server.url(), service)) {
      awaitReady(daemon, writer);

      Reply refused = writer.write("COUNTER", "500");
      Reply accepted = writer.write("COUNTER", "50");

      assertThat(refused).isInstanceOfSatisfying(Reply.Failed.class, f -> {
        assertThat(f.code()).isEqualTo(ErrorCode.REJECTED);
        assertThat(f.error()).contains(RefusingSetup.REASON).contains("COUNTER").contains("500");
      });
      assertThat(accepted).isInstanceOf(Reply.Stored.class);
    }
  }
}
