package org.ktl4j.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

/** The server clock that MODIFY deadlines are written in. */
@ExtendWith(RedisExtension.class)
class RedisClockTest {

  @Test
  void firstReadingAsksTheServerForItsTime(RedisServer server) {
    try (RedisConnections endpoint = RedisConnections.open(RedisSettings.fromUri(server.url()));
         RedisClient admin = server.newClient()) {
      admin.sendCommand(Protocol.Command.CONFIG, "RESETSTAT");
      long before = timeCalls(admin);
      long now = endpoint.clock().nowMicros();
      assertThat(timeCalls(admin)).as("one TIME round trip").isEqualTo(before + 1);
      List<?> t = (List<?>) admin.sendCommand(Protocol.Command.TIME);
      long server0 = RedisClock.micros(t.get(0), t.get(1));
      // the same host: the estimate and the server's clock agree to well within a second
      assertThat(Math.abs(server0 - now)).isLessThan(1_000_000L);
      endpoint.clock().nowMicros();
      assertThat(timeCalls(admin)).as("the offset is kept, not measured again at every reading").isEqualTo(before + 2);
    }
  }

  @Test
  void offeredSampleSetsTheOffset(RedisServer server) {
    try (RedisConnections endpoint = RedisConnections.open(RedisSettings.fromUri(server.url()))) {
      RedisClock clock = endpoint.clock();
      clock.offer(5_000_000L, 1_000_000L, 3_000_000L); // the server said 5 s halfway through a 1 s..3 s round trip
      assertThat(clock.offsetMicros()).isEqualTo(3_000_000L);
      assertThat(endpoint.clock()).isSameAs(clock);
    }
  }

  /** Calls of TIME since the last reset (INFO commandstats); the test's own TIME call counts too. */
  private static long timeCalls(RedisClient admin) {
    String info = admin.info("commandstats");
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("cmdstat_time:calls=")) {
        return Long.parseLong(line.substring("cmdstat_time:calls=".length(), line.indexOf(',')));
      }
    }
    return 0;
  }
}
