package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.client.Service;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;

/** {@code ktl monitor} as its own process: each line reaches a pipe at once, and a signal ends it with exit 0. */
@ExtendWith(RedisExtension.class)
class MonitorProcessTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void monitorFlushesEachLineToThePipeAndExitsZeroWhenSignalled(RedisServer server) throws Exception {
    String service = server.serviceName("climonproc");
    try (TestDispatchers dispatchers = TestDispatchers.start(server, service);
         RedisEndpoint endpoint = RedisEndpoint.open(RedisSettings.fromUri(server.url()));
         Service client = Service.open(service, endpoint);
         KtlProcess monitor = KtlProcess.start(server.url(), "monitor", "-s", service, "COUNT")) {
      await().atMost(WAIT).until(() -> !monitor.stdout().isEmpty() || !monitor.isAlive());
      client.keyword("COUNT").write("17");
      await().atMost(WAIT).until(() -> monitor.stdout().size() >= 2 || !monitor.isAlive());

      monitor.terminate();

      assertThat(monitor.awaitExit()).as(monitor.output()).isZero();
      assertThat(monitor.stdout()).hasSize(2);
      assertThat(monitor.stdout().get(1)).endsWith(service + ".COUNT = 17  (seq "
          + client.keyword("COUNT").read().orElseThrow().seq() + ")");
      assertThat(monitor.errorLines()).isEmpty();
    }
  }
}
