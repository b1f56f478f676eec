package org.ktl4j.client;

import java.time.Duration;
import java.util.List;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.RedisServer;
import org.ktl4j.type.KtlType;

/** Dispatchers and endpoints for the client tests. */
final class TestServices {
  private TestServices() {}

  static RedisEndpoint endpoint(RedisServer server) {
    return RedisEndpoint.open(RedisSettings.fromUri(server.url()).withTimeout(Duration.ofSeconds(2)));
  }

  static List<KeywordDefinition> everyType() {
    return List.of(
        KeywordDefinition.builder("FLAG", KtlType.BOOLEAN).build(),
        KeywordDefinition.builder("COUNT", KtlType.INTEGER).range(0, 100).build(),
        KeywordDefinition.builder("BIG", KtlType.INT64).build(),
        KeywordDefinition.builder("TEMP", KtlType.FLOAT).units("degC").build(),
        KeywordDefinition.builder("AZ", KtlType.DOUBLE).units("deg").range(0, 360).build(),
        KeywordDefinition.builder("NAME", KtlType.STRING).help("A name").build(),
        KeywordDefinition.builder("SHUTTER", KtlType.ENUMERATED).labels("closed", "open", "moving").build(),
        KeywordDefinition.builder("FAULTS", KtlType.MASK).enumerator(0, "power").enumerator(1, "cooling").build(),
        KeywordDefinition.builder("PIXELS", KtlType.INTEGER_ARRAY).length(3).build(),
        KeywordDefinition.builder("OFFSETS", KtlType.DOUBLE_ARRAY).length(2).build(),
        KeywordDefinition.builder("EL", KtlType.DOUBLE).range(0, 90).build(),
        KeywordDefinition.builder("FOCUS", KtlType.DOUBLE).build(),
        KeywordDefinition.builder("UNSET", KtlType.INTEGER).build(),
        KeywordDefinition.builder("SERIAL", KtlType.STRING).readonly(true).initialValue("SN-1").build());
  }

  /** A started dispatcher with every type, a check hook on EL and a failing write hook on FOCUS. */
  static DispatcherService dispatcher(String service, RedisEndpoint endpoint) {
    DispatcherService d = DispatcherService.builder(service).definitions(everyType()).endpoint(endpoint)
        .setup(s -> {
          s.keyword("EL").onCheck(v -> {
            if (v.asDouble() < 15) {
              throw new IllegalArgumentException("below the horizon limit");
            }
          });
          s.keyword("FOCUS").onWrite(v -> {
            if (v.asDouble() < 0) {
              throw new IllegalStateException("stage not responding");
            }
          });
        }).build();
    d.start();
    return d;
  }
}
