package org.ktl4j.dispatcher;

import java.time.Duration;
import java.util.List;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.RedisServer;
import org.ktl4j.type.KtlType;

/** Keyword sets and endpoints shared by the dispatcher tests. */
final class Fixtures {
  private Fixtures() {}

  static RedisEndpoint endpoint(RedisServer server) {
    return RedisEndpoint.open(RedisSettings.fromUri(server.url()).withTimeout(Duration.ofSeconds(2)));
  }

  /** One keyword of every type. */
  static List<KeywordDefinition> everyType() {
    return List.of(
        KeywordDefinition.builder("FLAG", KtlType.BOOLEAN).build(),
        KeywordDefinition.builder("LAMP", KtlType.BOOLEAN).labels("off", "on").build(),
        KeywordDefinition.builder("COUNT", KtlType.INTEGER).range(0, 100).build(),
        KeywordDefinition.builder("BIG", KtlType.INT64).build(),
        KeywordDefinition.builder("TEMP", KtlType.FLOAT).units("degC").build(),
        KeywordDefinition.builder("AZ", KtlType.DOUBLE).units("deg").range(0, 360).format("%.3f").build(),
        KeywordDefinition.builder("NAME", KtlType.STRING).build(),
        KeywordDefinition.builder("SHUTTER", KtlType.ENUMERATED).labels("closed", "open", "moving").build(),
        KeywordDefinition.builder("FAULTS", KtlType.MASK).enumerator(0, "power").enumerator(1, "cooling")
            .enumerator(3, "door").build(),
        KeywordDefinition.builder("PIXELS", KtlType.INTEGER_ARRAY).length(3).build(),
        KeywordDefinition.builder("OFFSETS", KtlType.DOUBLE_ARRAY).length(2).build(),
        KeywordDefinition.builder("RATES", KtlType.FLOAT_ARRAY).length(2).build(),
        KeywordDefinition.builder("IDS", KtlType.INT64_ARRAY).length(2).build(),
        KeywordDefinition.builder("SERIAL", KtlType.STRING).readonly(true).initialValue("SN-1").build());
  }
}
