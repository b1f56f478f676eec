package org.ktl4j.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code redis-sentinel://} URLs: Sentinels, master name, database, credentials and TLS. */
class RedisSentinelUrlTest {

  @Test
  void aSentinelUrlNamesTheSentinelsTheMasterAndTheDatabase() {
    RedisSettings s = RedisSettings.fromUri("redis-sentinel://alice:p%40ss@s1:26379,s2:26380,s3/obs/2?timeout=500");
    assertThat(s.sentinel()).isPresent();
    assertThat(s.sentinel().get().masterName()).isEqualTo("obs");
    assertThat(s.sentinel().get().addresses()).isEqualTo(List.of("s1:26379", "s2:26380", "s3:26379"));
    assertThat(s.db()).isEqualTo(2);
    assertThat(s.user()).contains("alice");
    assertThat(s.password()).contains("p@ss");
    assertThat(s.timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(s.tls()).isFalse();
    assertThat(s.redactedUrl()).isEqualTo("redis-sentinel://alice:***@s1:26379,s2:26380,s3:26379/obs/2");
    assertThat(s.toString()).doesNotContain("p@ss");
    assertThat(s.address()).isEqualTo("master obs via Sentinel s1:26379,s2:26380,s3:26379");
  }

  @Test
  void aSentinelUrlGivenAsAUriIsParsedTheSameWay() {
    RedisSettings s = RedisSettings.fromUri(java.net.URI.create("redis-sentinel://s1:26379,s2:26380/obs/1"));
    assertThat(s.sentinel().get().addresses()).isEqualTo(List.of("s1:26379", "s2:26380"));
    assertThat(s.db()).isEqualTo(1);
  }

  @Test
  void ipv6SentinelsAreWrittenInBrackets() {
    RedisSettings s = RedisSettings.fromUri("redis-sentinel://[::1]:26380,[fe80::2]/obs");
    assertThat(s.sentinel().get().addresses()).isEqualTo(List.of("[::1]:26380", "[fe80::2]:26379"));
    assertThat(org.ktl4j.internal.redis.JedisSettings.sentinels(s.sentinel().get())).extracting(h -> h.getHost() + " " + h.getPort())
        .containsExactly("::1 26380", "fe80::2 26379");
    assertThatThrownBy(() -> RedisSettings.fromUri("redis-sentinel://::1/obs"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in brackets");
  }

  @Test
  void theTlsFormAndTheDefaultDatabase() {
    RedisSettings s = RedisSettings.fromUri("rediss-sentinel://s1:26379/obs");
    assertThat(s.tls()).isTrue();
    assertThat(s.db()).isZero();
    assertThat(s.withTimeout(Duration.ofSeconds(3)).sentinel()).as("kept by the withers").isPresent();
  }

  @Test
  void aSentinelUrlWithoutAMasterNameOrWithABadAddressIsRefusedWithoutItsPassword() {
    assertThatThrownBy(() -> RedisSettings.fromUri("redis-sentinel://:secret@s1:26379"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must name the master")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> RedisSettings.fromUri("redis-sentinel://s1:port/obs"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'s1:port' is not host:port");
    for (String url : List.of("redis-sentinel://u:zq?9k@h1:x/m", "redis-sentinel://:zq/9k@h1:26379",
        "redis-sentinel://u:zq/9k@h1:x/m")) {
      assertThatThrownBy(() -> RedisSettings.fromUri(url)).as(url).isInstanceOf(IllegalArgumentException.class)
          .hasMessageNotContaining("zq").hasMessageNotContaining("9k");
    }
    assertThat(RedisSettings.fromUri("redis-sentinel://u:zq/9k@h1:26379/m").password()).contains("zq/9k");
    assertThatThrownBy(() -> RedisSettings.fromUri("redis-sentinel://s1/bad name"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("master name");
  }
}
