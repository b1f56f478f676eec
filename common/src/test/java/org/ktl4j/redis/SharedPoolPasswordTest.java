package org.ktl4j.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.UnavailableException;
import org.ktl4j.internal.redis.RedisConnections;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisOptions;
import org.ktl4j.testkit.RedisServer;

@ExtendWith(RedisExtension.class)
@RedisOptions(password = "s3cret", users = "alice:alicepw")
class SharedPoolPasswordTest {

  @AfterEach
  void reset() {
    SharedPool.reset();
  }

  @Test
  void rightPasswordInTheUrlConnects(RedisServer server) {
    SharedPool.configurePool(URI.create("redis://:s3cret@" + server.host() + ":" + server.port() + "/0"));
    assertThat(ping()).isEqualTo("PONG");
  }

  @Test
  void aclUserInTheUrlConnects(RedisServer server) {
    SharedPool.configurePool(URI.create("redis://alice:alicepw@" + server.host() + ":" + server.port() + "/0"));
    assertThat(ping()).isEqualTo("PONG");
  }

  @Test
  void wrongPasswordIsAClearErrorWithoutThePassword(RedisServer server) {
    SharedPool.configurePool(URI.create("redis://:wrong-pw@" + server.host() + ":" + server.port() + "/0"));
    assertThatThrownBy(() -> RedisConnections.of(SharedPool.endpoint()).call("ping", c -> c.ping()))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining(server.host() + ":" + server.port())
        .hasMessageContaining("credentials")
        .hasMessageNotContaining("wrong-pw");
  }

  @Test
  void missingPasswordIsAClearError(RedisServer server) {
    SharedPool.configurePool(server.host(), server.port(), 0, java.time.Duration.ofSeconds(2));
    assertThatThrownBy(() -> RedisConnections.of(SharedPool.endpoint()).call("ping", c -> c.ping()))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining(server.host() + ":" + server.port());
  }

  private static String ping() {
    return RedisConnections.of(SharedPool.endpoint()).call("ping", c -> c.ping());
  }
}
