package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ktl4j.embedded.RedisBinary;
import org.ktl4j.internal.protocol.Reply;

/**
 * {@code ktl dispatcher --redis embedded:0}: the daemon runs its own redis-server on a free port (never the
 * machine's 6379), prints the URL for other terminals, serves, and stops the server after itself.
 */
class EmbeddedRedisDaemonTest {
  private static final Pattern URL = Pattern.compile("ktl: embedded Redis at (redis://127\\.0\\.0\\.1:(\\d+)/0); "
      + "in another terminal: KTL_REDIS_URL=\\1 \\./ktl show -s (\\S+)");

  @BeforeAll
  static void aRedisBinaryIsAvailable() {
    try {
      RedisBinary.locate();
    } catch (RuntimeException e) {
      Assumptions.abort("no redis-server binary for --redis embedded: " + e.getMessage());
    }
  }

  @Test
  void embeddedRedisOnAFreePortIsAnnouncedServedAndStoppedAfterTheDispatcher() throws Exception {
    String service = "cliembedded";
    try (KtlProcess daemon = KtlProcess.start("redis://127.0.0.1:1/0", "dispatcher",
        "--config=" + KtlProcess.bundle("clitest.xml"), "--service=" + service, "--redis=embedded:0")) {
      Matcher announced = await().atMost(Duration.ofSeconds(60)).until(() -> {
        assertThat(daemon.isAlive()).as(daemon.output()).isTrue();
        return daemon.stdout().stream().map(URL::matcher).filter(Matcher::matches).findFirst();
      }, Optional::isPresent).get();
      String url = announced.group(1);
      int port = Integer.parseInt(announced.group(2));
      assertThat(port).isNotEqualTo(6379);
      assertThat(announced.group(3)).isEqualTo(service);

      try (RawWriter writer = new RawWriter(url, service)) {
        DispatcherCommandTest.awaitReady(daemon, writer);
        assertThat(writer.write("COUNTER", "11")).isInstanceOf(Reply.Stored.class);
      }

      daemon.terminate();

      assertThat(daemon.awaitExit()).as(daemon.output()).isZero();
      int dispatcherStopped = indexOfLineContaining(daemon, "service " + service + ": stopped");
      int redisStopped = indexOfLineContaining(daemon, "stopped redis-server on port " + port);
      assertThat(dispatcherStopped).as("the dispatcher stops before its Redis; %s", daemon.output())
          .isNotNegative().isLessThan(redisStopped);
      assertThatThrownBy(() -> {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        }
      }).as("the embedded redis-server is gone").isInstanceOf(IOException.class);
    }
  }

  private static int indexOfLineContaining(KtlProcess daemon, String text) {
    java.util.List<String> lines = daemon.stderr();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i;
      }
    }
    return -1;
  }
}
