package org.ktl4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.dispatcher.DispatcherConfig;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.RedisServer;
import org.ktl4j.type.KtlType;

/**
 * Dispatchers for the client command tests, in the test JVM: a service with one keyword of most types, a check
 * hook on {@code EL} (refuses below 15) and a write hook on {@code SLOW} that blocks until {@link #release()}.
 * The heartbeat runs once an hour, so a whole-service monitor sees only what a test writes.
 */
final class TestDispatchers implements AutoCloseable {
  private final RedisEndpoint endpoint;
  private final DispatcherService dispatcher;
  private final CountDownLatch slowWrites = new CountDownLatch(1);

  private TestDispatchers(RedisServer server, String service) {
    endpoint = RedisEndpoint.open(RedisSettings.fromUri(server.url()).withTimeout(Duration.ofSeconds(2)));
    dispatcher = DispatcherService.builder(service).definitions(keywords()).endpoint(endpoint)
        .config(DispatcherConfig.builder().heartbeatPeriod(Duration.ofHours(1)).build())
        .setup(s -> {
          s.keyword("EL").onCheck(v -> {
            if (v.asDouble() < 15) {
              throw new IllegalArgumentException("below the horizon limit");
            }
          });
          s.keyword("SLOW").onWrite(v -> slowWrites.await());
        }).build();
    dispatcher.start();
  }

  /** Starts the test service's dispatcher on {@code server}. */
  static TestDispatchers start(RedisServer server, String service) {
    return new TestDispatchers(server, service);
  }

  static List<KeywordDefinition> keywords() {
    return List.of(
        KeywordDefinition.builder("AZ", KtlType.DOUBLE).units("deg").range(0, 360).format("%.3f")
            .help("Actual azimuth").initialValue("120.5").build(),
        KeywordDefinition.builder("EL", KtlType.DOUBLE).units("deg").range(0, 90).initialValue("45").build(),
        KeywordDefinition.builder("TRACKING", KtlType.BOOLEAN).labels("off", "on").initialValue("on").build(),
        KeywordDefinition.builder("SHUTTER", KtlType.ENUMERATED).labels("closed", "open")
            .help("Dome shutter").initialValue("open").build(),
        KeywordDefinition.builder("FAULTS", KtlType.MASK).enumerator(0, "power").enumerator(1, "cooling")
            .initialValue("power, cooling").build(),
        KeywordDefinition.builder("PIXELS", KtlType.INTEGER_ARRAY).length(3).initialValue("1 2 3").build(),
        KeywordDefinition.builder("NAME", KtlType.STRING).initialValue("M 31").build(),
        KeywordDefinition.builder("COUNT", KtlType.INTEGER).range(0, 100).initialValue("0").build(),
        KeywordDefinition.builder("SERIAL", KtlType.STRING).readonly(true).initialValue("SN-1")
            .help("Serial number").build(),
        KeywordDefinition.builder("SLOW", KtlType.INTEGER).initialValue("0").build(),
        KeywordDefinition.builder("UNSET", KtlType.INTEGER).build());
  }

  DispatcherService dispatcher() {
    return dispatcher;
  }

  /** Lets the blocked writes of {@code SLOW} finish. */
  void release() {
    slowWrites.countDown();
  }

  @Override
  public void close() {
    release();
    dispatcher.close();
    endpoint.close();
  }

  /** A local TCP port where nothing listens (it was free a moment ago). */
  static int closedPort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
