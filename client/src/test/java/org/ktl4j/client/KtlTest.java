package org.ktl4j.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.SharedPool;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;

/** The procedural facade over the shared pool. */
@ExtendWith(RedisExtension.class)
class KtlTest {

  @AfterEach
  void reset() {
    Ktl.reset();
    SharedPool.reset();
  }

  @Test
  void scriptsReadWriteAndWaitWithStaticCalls(RedisServer server) {
    String name = server.serviceName("facade");
    SharedPool.configurePool(server.host(), server.port(), server.db(), Duration.ofSeconds(2));
    try (RedisEndpoint e = TestServices.endpoint(server); DispatcherService d = TestServices.dispatcher(name, e)) {
      assertThat(Ktl.write(name, "AZ", "12.5").ascii()).isEqualTo("12.5");
      assertThat(Ktl.read(name, "az")).isEqualTo("12.5");
      assertThat(Ktl.readBinary(name, "AZ")).isEqualTo(12.5);
      assertThat(Ktl.waitFor(name, "AZ", "> 12", Duration.ofSeconds(10))).isTrue();
      assertThat(Ktl.waitFor("$" + name + ".AZ < 12", Duration.ofMillis(200))).isFalse();
      assertThat(Ktl.service(name)).isSameAs(Ktl.service(name.toUpperCase()));
    }
  }
}
