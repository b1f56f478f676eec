package org.ktl4j.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;

/**
 * A condition that already holds is true at once: the current value is evaluated before waiting. Proven without
 * timing: the dispatcher is stopped, so no broadcast can ever come, and the timeout is far longer than the test.
 */
@ExtendWith(RedisExtension.class)
class WaitForTest {
  private static final Duration LONG = Duration.ofMinutes(10);

  @Test
  void conditionAlreadyTrueHoldsWithoutAnyFurtherBroadcast(RedisServer server) {
    String name = server.serviceName("already");
    try (RedisEndpoint endpoint = TestServices.endpoint(server); Service s = openWithValues(name, endpoint)) {
      // no dispatcher runs now: nothing will be stored or broadcast again
      assertThat(s.isDispatcherAlive()).isFalse();

      assertThat(s.keyword("COUNT").waitFor("== 5", LONG)).isTrue();
      assertThat(s.keyword("SHUTTER").waitFor("== open", LONG)).isTrue();
      assertThat(s.expression("$COUNT >= 5 and $" + name + ".SHUTTER != closed").waitFor(LONG)).isTrue();
    }
  }

  @Test
  void conditionFalseNowIsFalseWhenTheTimeoutIsZero(RedisServer server) {
    String name = server.serviceName("notyet");
    try (RedisEndpoint endpoint = TestServices.endpoint(server); Service s = openWithValues(name, endpoint)) {
      assertThat(s.keyword("COUNT").waitFor("== 6", Duration.ZERO)).isFalse();
      assertThat(s.keyword("COUNT").waitFor("== 5", Duration.ZERO)).isTrue();
    }
  }

  /** Stores COUNT=5 and SHUTTER=open, then stops the dispatcher. */
  private static Service openWithValues(String name, RedisEndpoint endpoint) {
    try (DispatcherService d = TestServices.dispatcher(name, endpoint); Service writer = Service.open(name, endpoint)) {
      writer.keyword("COUNT").write("5");
      writer.keyword("SHUTTER").write("open");
    }
    return Service.open(name, endpoint);
  }
}
