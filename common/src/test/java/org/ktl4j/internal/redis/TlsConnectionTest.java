package org.ktl4j.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.UnavailableException;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.redis.SharedPool;
import org.ktl4j.redis.TlsFiles;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisOptions;
import org.ktl4j.testkit.RedisServer;
import org.ktl4j.testkit.TestCertificates;

/** The shared pool and the pub/sub connection over TLS, and the one-line errors of a failed handshake. */
class TlsConnectionTest {

  private static RedisSettings tls(RedisServer server, TlsFiles files) {
    return RedisSettings.fromUri(server.tls().orElseThrow().url()).withTlsFiles(files);
  }

  private static String ping(RedisConnections e) {
    return e.call("ping", c -> c.ping());
  }

  private static TestCertificates certs(RedisServer server) {
    return server.tls().orElseThrow().certificates();
  }

  @ExtendWith(RedisExtension.class)
  @RedisOptions(tls = RedisOptions.Tls.ON)
  @Nested
  class ServerCertificateOnly {
    @AfterEach
    void reset() {
      SharedPool.reset();
    }

    @Test
    void sharedPoolAndPubSubWorkWithTheCaFile(RedisServer server) throws Exception {
      SharedPool.configurePool(tls(server, TlsFiles.NONE.withCaCert(certs(server).caCert())));
      RedisConnections e = RedisConnections.of(SharedPool.endpoint());
      assertThat(ping(e)).isEqualTo("PONG");
      List<String> got = new CopyOnWriteArrayList<>();
      e.pubSub().subscribe("tls:chan", (p, c, m) -> got.add(m)).active().get(10, TimeUnit.SECONDS);
      e.call("publish", c -> c.publish("tls:chan", "over tls"));
      org.awaitility.Awaitility.await().until(() -> got.contains("over tls"));
    }

    @Test
    void localhostIsInTheCertificateToo(RedisServer server) {
      RedisSettings s = tls(server, TlsFiles.NONE.withCaCert(certs(server).caCert()));
      RedisSettings byName = new RedisSettings("localhost", s.port(), 0, s.timeout(), s.user(), s.password(), true,
          s.tlsFiles());
      try (RedisConnections e = RedisConnections.open(byName)) {
        assertThat(ping(e)).isEqualTo("PONG");
      }
    }

    @Test
    void wrongCaIsOneClearLine(RedisServer server) {
      RedisSettings s = tls(server, TlsFiles.NONE.withCaCert(certs(server).otherCaCert()));
      try (RedisConnections e = RedisConnections.open(s)) {
        assertThatThrownBy(() -> e.call("ping", c -> c.ping()))
            .isInstanceOf(UnavailableException.class)
            .hasMessageStartingWith("TLS handshake with Redis at 127.0.0.1:" + s.port() + " failed: the server's "
                + "certificate is not signed by the CA in " + certs(server).otherCaCert());
      }
    }

    @Test
    void wrongCaOnThePubSubConnectionIsNamedToo(RedisServer server) {
      RedisSettings s = tls(server, TlsFiles.NONE.withCaCert(certs(server).otherCaCert()));
      try (RedisConnections e = RedisConnections.open(s)) {
        e.pubSub().subscribe("x", (p, c, m) -> { });
        org.awaitility.Awaitility.await().until(() -> e.pubSub().lastError("x") != null
            && e.pubSub().lastError("x").contains("not signed by the CA in " + certs(server).otherCaCert()));
      }
    }

    @Test
    void defaultTrustStoreDoesNotTrustTheTestCa(RedisServer server) {
      try (RedisConnections e = RedisConnections.open(tls(server, TlsFiles.NONE))) {
        assertThatThrownBy(() -> e.call("ping", c -> c.ping()))
            .hasMessageContaining("not signed by a CA in the JDK's default trust store")
            .hasMessageContaining(RedisSettings.ENV_CACERT);
      }
    }

    @Test
    void plainPortWithRedissIsNamed(RedisServer server) {
      RedisSettings s = new RedisSettings(server.host(), server.port(), 0, RedisSettings.DEFAULT_TIMEOUT,
          java.util.Optional.empty(), java.util.Optional.empty(), true, TlsFiles.NONE.withCaCert(certs(server).caCert()));
      try (RedisConnections e = RedisConnections.open(s)) {
        assertThatThrownBy(() -> e.call("ping", c -> c.ping())).hasMessageContaining("TLS handshake")
            .hasMessageContaining(server.host() + ":" + server.port());
      }
    }
  }

  @ExtendWith(RedisExtension.class)
  @RedisOptions(tls = RedisOptions.Tls.CLIENT_CERTIFICATES, password = "tls-pw")
  @Nested
  class ClientCertificates {
    @Test
    void clientCertificateIsAccepted(RedisServer server) {
      TlsFiles files = TlsFiles.NONE.withCaCert(certs(server).caCert())
          .withClientCertificate(certs(server).clientCert(), certs(server).clientKeyPkcs1());
      try (RedisConnections e = RedisConnections.open(tls(server, files))) {
        assertThat(ping(e)).isEqualTo("PONG");
      }
    }

    @Test
    void missingClientCertificateIsOneClearLine(RedisServer server) {
      try (RedisConnections e = RedisConnections.open(tls(server, TlsFiles.NONE.withCaCert(certs(server).caCert())))) {
        assertThatThrownBy(() -> e.call("ping", c -> c.ping()))
            .isInstanceOf(UnavailableException.class)
            .hasMessageContaining("TLS handshake with Redis at 127.0.0.1:")
            .hasMessageContaining("requires a client certificate")
            .hasMessageNotContaining("tls-pw");
      }
    }
  }
}
