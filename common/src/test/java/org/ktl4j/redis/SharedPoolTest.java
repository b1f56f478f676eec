package org.ktl4j.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.UnavailableException;
import org.ktl4j.internal.redis.RedisConnections;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;

@ExtendWith(RedisExtension.class)
class SharedPoolTest {

  @AfterEach
  void reset() {
    SharedPool.reset();
  }

  @Test
  void configurePoolOnlyRecordsSettings() throws IOException {
    int port = unusedPort();
    SharedPool.configurePool("127.0.0.1", port, 2, Duration.ofMillis(300));
    assertThat(SharedPool.isCreated()).isFalse();
    assertThat(SharedPool.settings()).isEqualTo(RedisSettings.of("127.0.0.1", port, 2, Duration.ofMillis(300)));
  }

  @Test
  void aUrlOfAnyFormIsRecorded() {
    SharedPool.configurePool("redis-cluster://n1:7000,n2:7001");
    assertThat(SharedPool.settings().cluster()).isPresent();
    SharedPool.configurePool("redis-sentinel://s1:26379,s2:26380/obs/1");
    assertThat(SharedPool.settings().sentinel()).isPresent();
    assertThat(SharedPool.isCreated()).isFalse();
  }

  @Test
  void firstUseCreatesThePoolWithTheConfiguredSettings(RedisServer server) {
    SharedPool.configurePool(server.host(), server.port(), server.db(), Duration.ofSeconds(2));
    assertThat(ping()).isEqualTo("PONG");
    assertThat(SharedPool.isCreated()).isTrue();
  }

  @Test
  void urlConfigurationWorks(RedisServer server) {
    SharedPool.configurePool(server.uri());
    assertThat(ping()).isEqualTo("PONG");
  }

  @Test
  void configuringAfterThePoolExistsIsRefusedUntilReset(RedisServer server) {
    SharedPool.configurePool(server.uri());
    SharedPool.endpoint();
    assertThatThrownBy(() -> SharedPool.configurePool(server.uri())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already exists").hasMessageContaining("reset");
    SharedPool.reset();
    SharedPool.configurePool(server.uri());
    assertThat(ping()).isEqualTo("PONG");
  }

  @Test
  void everyThreadGetsTheSameSharedEndpoint(RedisServer server) throws Exception {
    SharedPool.configurePool(server.uri());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    Set<RedisEndpoint> seen = ConcurrentHashMap.newKeySet();
    List<Future<?>> fs = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      fs.add(pool.submit(() -> seen.add(SharedPool.endpoint())));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
    assertThat(seen).hasSize(1);
  }

  @Test
  void wrongPortFailsWithHostAndPortWithinTheTimeout() throws IOException {
    int port = unusedPort();
    SharedPool.configurePool("127.0.0.1", port, 0, Duration.ofMillis(500));
    assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
        assertThatThrownBy(() -> RedisConnections.of(SharedPool.endpoint()).call("read AZ", c -> c.ping()))
            .isInstanceOf(UnavailableException.class)
            .hasMessageContaining("127.0.0.1:" + port).hasMessageContaining("read AZ"));
  }

  private static int unusedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String ping() {
    return RedisConnections.of(SharedPool.endpoint()).call("ping", c -> c.ping());
  }
}
