package org.ktl4j.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ktl4j.internal.redis.PubSubHub;

/** {@code redis-cluster://} URLs: seed nodes, credentials, TLS, and the one database a cluster has. */
class RedisClusterUrlTest {

  @Test
  void aClusterUrlNamesTheSeedNodes() {
    RedisSettings s = RedisSettings.fromUri("redis-cluster://alice:p%40ss@n1:7000,n2:7001,n3?timeout=700");
    assertThat(s.cluster()).isPresent();
    assertThat(s.sentinel()).isEmpty();
    assertThat(s.cluster().get().seeds()).isEqualTo(List.of("n1:7000", "n2:7001", "n3:6379"));
    assertThat(s.host()).isEqualTo("n1");
    assertThat(s.port()).isEqualTo(7000);
    assertThat(s.db()).isZero();
    assertThat(s.user()).contains("alice");
    assertThat(s.password()).contains("p@ss");
    assertThat(s.timeout()).isEqualTo(Duration.ofMillis(700));
    assertThat(s.redactedUrl()).isEqualTo("redis-cluster://alice:***@n1:7000,n2:7001,n3:6379");
    assertThat(s.toString()).doesNotContain("p@ss");
    assertThat(s.address()).isEqualTo("cluster n1:7000,n2:7001,n3:6379");
  }

  @Test
  void theUriFormTlsIpv6AndTheWithersKeepTheCluster() {
    assertThat(RedisSettings.fromUri(java.net.URI.create("rediss-cluster://n1:7000,n2:7001/0")).cluster().get().seeds())
        .containsExactly("n1:7000", "n2:7001");
    RedisSettings s = RedisSettings.fromUri("rediss-cluster://[::1]:7000,n2:7001/0");
    assertThat(s.tls()).isTrue();
    assertThat(org.ktl4j.internal.redis.JedisSettings.seeds(s.cluster().get())).extracting(h -> h.getHost() + " " + h.getPort())
        .containsExactly("::1 7000", "n2 7001");
    assertThat(s.withTimeout(Duration.ofSeconds(3)).cluster()).isPresent();
  }

  @Test
  void aDatabaseOtherThanZeroIsRefused() {
    assertThatThrownBy(() -> RedisSettings.fromUri("redis-cluster://:secret@n1:7000/2"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only database 0")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> new RedisSettings("n1", 7000, 1, Duration.ofSeconds(1), Optional.empty(),
        Optional.empty(), false, TlsFiles.NONE, Optional.empty(),
        Optional.of(new RedisSettings.Cluster(List.of("n1:7000")))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only database 0");
  }

  @Test
  void aBadSeedIsRefusedWithoutThePassword() {
    assertThatThrownBy(() -> RedisSettings.fromUri("redis-cluster://:secret@n1:port"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cluster seed node 'n1:port'")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> new RedisSettings.Cluster(List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one seed");
  }

  @Test
  void aPubSubHubOfItsOwnIsRefusedOnACluster() {
    assertThatThrownBy(() -> new PubSubHub(RedisSettings.fromUri("redis-cluster://n1:7000"), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RedisConnections.pubSub()");
  }
}
