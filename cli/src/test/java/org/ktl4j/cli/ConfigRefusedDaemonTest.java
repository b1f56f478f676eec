package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.internal.protocol.Reply;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisOptions;
import org.ktl4j.testkit.RedisServer;

/** A managed Redis where CONFIG is not allowed: the daemon says which setting to make, and runs with the check off. */
@ExtendWith(RedisExtension.class)
@RedisOptions(args = {"--rename-command", "CONFIG", ""}, notifyKeyspaceEvents = "Kh")
class ConfigRefusedDaemonTest {

  @Test
  void daemonExitsFourSayingWhichServerSettingToMake(RedisServer server) throws Exception {
    try (KtlProcess daemon = DispatcherCommandTest.daemon(server, server.serviceName("clinoconfig"))) {
      assertThat(daemon.awaitExit()).as(daemon.output()).isEqualTo(ExitCodes.UNAVAILABLE);
      assertThat(daemon.errorLines()).singleElement().asString()
          .contains("notify-keyspace-events Kh").contains("--no-notify-check")
          .contains(server.host() + ":" + server.port());
    }
  }

  @Test
  void daemonWithTheCheckTurnedOffServes(RedisServer server) {
    String service = server.serviceName("clinoconfigok");
    try (KtlProcess daemon = DispatcherCommandTest.daemon(server, service, "--no-notify-check");
         RawWriter writer = new RawWriter(server.url(), service)) {
      DispatcherCommandTest.awaitReady(daemon, writer);
      assertThat(writer.write("COUNTER", "3")).isInstanceOf(Reply.Stored.class);
    }
  }
}
