package org.ktl4j.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.protocol.ErrorCode;
import org.ktl4j.protocol.Reply;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;

/** Replica durability: its wait is checked against the Redis timeout, and with no replica nothing is told done. */
@ExtendWith(RedisExtension.class)
class DurabilityConfigTest {

  @Test
  void aReplicaWaitNotWellBelowTheRedisTimeoutIsRefused(RedisServer server) {
    try (RedisEndpoint endpoint = Fixtures.endpoint(server)) { // 2 s timeout
      DispatcherConfig config = DispatcherConfig.builder()
          .durability(new Durability(Durability.Level.REPLICA, Duration.ofMillis(1950))).build();
      assertThatThrownBy(() -> DispatcherService.builder(server.serviceName("durcfg"))
          .definitions(FaultKit.integers("K0")).config(config).endpoint(endpoint).build())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1950 ms")
          .hasMessageContaining("2000 ms");
    }
    assertThatThrownBy(() -> new Durability(Durability.Level.REPLICA, Duration.ofNanos(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 ms");
    assertThatThrownBy(() -> Durability.parse("disk", Duration.ofMillis(5)))
        .hasMessageContaining("'disk' is not one of: master, replica");
  }

  @Test
  void withoutAReplicaAWriteIsToldWriteFailedNeverDone(RedisServer server) {
    String service = server.serviceName("durnoreplica");
    try (RedisEndpoint endpoint = Fixtures.endpoint(server);
         DispatcherService d = DispatcherService.builder(service).definitions(FaultKit.integers("K0"))
             .config(FaultKit.shortLease().toBuilder().durability(new Durability(Durability.Level.REPLICA,
                 Duration.ofMillis(100))).build()).endpoint(endpoint).build();
         FaultKit.Writer w = new FaultKit.Writer(server, service)) {
      d.start();
      Reply r = w.write("K0", "5");
      assertThat(r).isInstanceOf(Reply.Failed.class);
      assertThat(((Reply.Failed) r).code()).isEqualTo(ErrorCode.WRITE_FAILED);
      assertThat(((Reply.Failed) r).error()).contains("no replica confirmed it within 100 ms");
      assertThat(w.dones(w.sentList().get(0).id())).hasSize(1);
    }
  }
}
