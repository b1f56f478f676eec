package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ktl4j.cli.KtlRun.ktl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisOptions;
import org.ktl4j.testkit.RedisServer;
import org.ktl4j.testkit.TestCertificates;

/** Every {@code ktl} command through a {@code rediss://} server: CA file, client certificates, one-line failures. */
class TlsCommandsTest {

  private static String rediss(RedisServer server) {
    return server.tls().orElseThrow().url();
  }

  private static TestCertificates certs(RedisServer server) {
    return server.tls().orElseThrow().certificates();
  }

  /** {@code ktl COMMAND -s SERVICE --redis rediss://… TLS-OPTIONS MORE…}. */
  private static KtlRun run(String command, String service, RedisServer server, List<String> tls, String... more) {
    List<String> args = new ArrayList<>(List.of(command, "-s", service, "--redis", rediss(server)));
    args.addAll(tls);
    args.addAll(List.of(more));
    return ktl(args.toArray(String[]::new));
  }

  private static void everyClientCommandWorks(RedisServer server, String service, List<String> tls) {
    KtlRun list = run("list", service, server, tls);
    assertThat(list.exitCode()).as(list.toString()).isZero();
    assertThat(list.out()).anySatisfy(l -> assertThat(l).contains("COUNTER"));

    KtlRun modify = run("modify", service, server, tls, "COUNTER=5");
    assertThat(modify.exitCode()).as(modify.toString()).isZero();

    KtlRun waitfor = run("waitfor", service, server, tls, "-t", "30", "COUNTER == 5");
    assertThat(waitfor.exitCode()).as(waitfor.toString()).isZero();

    KtlRun show = run("show", service, server, tls, "--terse", "COUNTER");
    assertThat(show.exitCode()).as(show.toString()).isZero();
    assertThat(show.out()).containsExactly("5");

    KtlRun monitor = run("monitor", service, server, tls, "-c", "1", "-t", "30", "COUNTER");
    assertThat(monitor.exitCode()).as(monitor.toString()).isZero();
    assertThat(String.join("\n", monitor.out())).contains("5");
  }

  /** The dispatcher in its own JVM, configured by the environment only (URL and CA file). */
  private static KtlProcess dispatcherFromEnvironment(RedisServer server, String service, Map<String, String> tlsEnv) {
    Map<String, String> env = new java.util.HashMap<>(tlsEnv);
    env.put("KTL_REDIS_URL", rediss(server));
    return KtlProcess.start(env, List.of("dispatcher", "--config=" + KtlProcess.bundle("clitest.xml"),
        "--service=" + service));
  }

  private static void assertOneLine(KtlRun run, int exitCode, String line) {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(exitCode);
    assertThat(run.err().lines().toList()).as(run.toString()).hasSize(1);
    assertThat(run.err()).startsWith(line);
  }

  @ExtendWith(RedisExtension.class)
  @RedisOptions(tls = RedisOptions.Tls.ON)
  @Nested
  class ServerCertificate {

    @Test
    void dispatcherAndEveryClientCommandWorkThroughTls(RedisServer server) {
      String service = server.serviceName("tlscli");
      try (KtlProcess daemon = dispatcherFromEnvironment(server, service,
              Map.of("KTL_REDIS_CACERT", certs(server).caCert().toString()));
           RawWriter plain = new RawWriter(server.url(), service)) {
        DispatcherCommandTest.awaitReady(daemon, plain);
        everyClientCommandWorks(server, service, List.of("--redis-cacert", certs(server).caCert().toString()));
      }
    }

    @Test
    void wrongCaIsOneClearLine(RedisServer server) {
      KtlRun run = run("show", "nosuch", server, List.of("--redis-cacert", certs(server).otherCaCert().toString()));
      assertOneLine(run, ExitCodes.UNAVAILABLE, "ktl: TLS handshake with Redis at 127.0.0.1:" + server.tls().get().port()
          + " failed: the server's certificate is not signed by the CA in " + certs(server).otherCaCert());
    }

    @Test
    void dispatcherWithWrongCaExitsWithOneClearLine(RedisServer server) throws Exception {
      try (KtlProcess daemon = dispatcherFromEnvironment(server, server.serviceName("tlswrongca"),
          Map.of("KTL_REDIS_CACERT", certs(server).otherCaCert().toString()))) {
        assertThat(daemon.awaitExit()).as(daemon.output()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(daemon.errorLines()).as(daemon.output()).singleElement().asString()
            .contains("TLS handshake with Redis at 127.0.0.1:" + server.tls().get().port())
            .contains("not signed by the CA in " + certs(server).otherCaCert())
            .doesNotContain("Start redis-server");
        assertThat(daemon.stderr()).as(daemon.output()).noneSatisfy(l -> assertThat(l).startsWith("\tat "));
      }
    }

    @Test
    void missingCaFileIsOneClearLine(RedisServer server) {
      String missing = certs(server).directory().resolve("missing.pem").toString();
      assertOneLine(run("list", "x", server, List.of("--redis-cacert", missing)), ExitCodes.USAGE,
          "ktl: Redis CA certificate file " + missing + ": no such file");
    }

    @Test
    void nonPemCaFileIsOneClearLine(RedisServer server) {
      String key = certs(server).clientKey().toString();
      assertOneLine(run("list", "x", server, List.of("--redis-cacert", key)), ExitCodes.USAGE,
          "ktl: Redis CA certificate file " + key + ": not a PEM file with a '-----BEGIN CERTIFICATE-----' block");
    }

    @Test
    void tlsOptionWithAPlainUrlIsRefused(RedisServer server) {
      KtlRun run = ktl("list", "--redis", server.url(), "--redis-cacert", certs(server).caCert().toString());
      assertOneLine(run, ExitCodes.USAGE, "ktl: --redis-cacert " + certs(server).caCert() + " is given, but the Redis URL");
    }
  }

  @ExtendWith(RedisExtension.class)
  @RedisOptions(tls = RedisOptions.Tls.CLIENT_CERTIFICATES)
  @Nested
  class ClientCertificate {

    @Test
    void dispatcherAndEveryClientCommandWorkWithAClientCertificate(RedisServer server) {
      String service = server.serviceName("tlsmutual");
      TestCertificates c = certs(server);
      try (KtlProcess daemon = dispatcherFromEnvironment(server, service, Map.of(
              "KTL_REDIS_CACERT", c.caCert().toString(), "KTL_REDIS_CERT", c.clientCert().toString(),
              "KTL_REDIS_KEY", c.clientKeyPkcs1().toString()));
           RawWriter plain = new RawWriter(server.url(), service)) {
        DispatcherCommandTest.awaitReady(daemon, plain);
        everyClientCommandWorks(server, service, List.of("--redis-cacert", c.caCert().toString(),
            "--redis-cert", c.clientCert().toString(), "--redis-key", c.clientKey().toString()));
      }
    }

    @Test
    void withoutAClientCertificateIsOneClearLine(RedisServer server) {
      KtlRun run = run("list", "x", server, List.of("--redis-cacert", certs(server).caCert().toString()));
      assertOneLine(run, ExitCodes.UNAVAILABLE, "ktl: TLS handshake with Redis at 127.0.0.1:" + server.tls().get().port()
          + " failed: ");
      assertThat(run.err()).contains("client certificate").contains("--redis-cert");
    }

    @Test
    void certificateWithoutKeyIsOneClearLine(RedisServer server) {
      KtlRun run = run("list", "x", server, List.of("--redis-cert", certs(server).clientCert().toString()));
      assertOneLine(run, ExitCodes.USAGE, "ktl: --redis-cert " + certs(server).clientCert()
          + " is given without the key file");
    }
  }
}
