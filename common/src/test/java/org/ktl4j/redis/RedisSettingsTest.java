package org.ktl4j.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisSettingsTest {

  @Test
  void urlWithUserPasswordPortAndDatabase() {
    RedisSettings s = RedisSettings.fromUri(URI.create("redis://alice:s%40cret@db.example:6380/3"));
    assertThat(s.host()).isEqualTo("db.example");
    assertThat(s.port()).isEqualTo(6380);
    assertThat(s.db()).isEqualTo(3);
    assertThat(s.user()).contains("alice");
    assertThat(s.password()).contains("s@cret");
    assertThat(s.tls()).isFalse();
  }

  @Test
  void passwordOnlyAndDefaults() {
    RedisSettings s = RedisSettings.fromUri("redis://:pw@localhost");
    assertThat(s.user()).isEmpty();
    assertThat(s.password()).contains("pw");
    assertThat(s.port()).isEqualTo(RedisSettings.DEFAULT_PORT);
    assertThat(s.db()).isZero();
    assertThat(s.timeout()).isEqualTo(RedisSettings.DEFAULT_TIMEOUT);
  }

  @Test
  void redissMeansTls() {
    assertThat(RedisSettings.fromUri("rediss://h:1/0").tls()).isTrue();
  }

  @Test
  void timeoutQueryParameterIsHonoured() {
    assertThat(RedisSettings.fromUri("redis://h:1/0?timeout=250").timeout()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void toStringNeverShowsThePassword() {
    RedisSettings s = RedisSettings.fromUri("redis://alice:topsecret@h:1/2");
    assertThat(s.toString()).doesNotContain("topsecret").contains("alice:***@h:1/2");
    assertThat(s.redactedUrl()).isEqualTo("redis://alice:***@h:1/2");
  }

  @Test
  void badUrlsAreRefusedWithoutLeakingThePassword() {
    assertThatThrownBy(() -> RedisSettings.fromUri("http://h:1")).hasMessageContaining("redis://");
    assertThatThrownBy(() -> RedisSettings.fromUri("redis://:secret@h:1/zero")).hasMessageContaining("database")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> RedisSettings.of("h", 0, 0, Duration.ofSeconds(1))).hasMessageContaining("port");
    assertThatThrownBy(() -> RedisSettings.of("h", 1, -1, Duration.ofSeconds(1))).hasMessageContaining("database");
    assertThatThrownBy(() -> RedisSettings.of("h", 1, 0, Duration.ZERO)).hasMessageContaining("timeout");
  }
}
