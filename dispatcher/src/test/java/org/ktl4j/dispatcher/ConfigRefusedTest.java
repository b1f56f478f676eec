package org.ktl4j.dispatcher;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.UnavailableException;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisOptions;
import org.ktl4j.testkit.RedisServer;
import org.ktl4j.type.KtlType;

/** Managed Redis without CONFIG: a clear refusal that says which server setting to make. */
@ExtendWith(RedisExtension.class)
@RedisOptions(args = {"--rename-command", "CONFIG", ""})
class ConfigRefusedTest {

  @Test
  void startWithoutConfigIsRefusedWithTheSettingToMake(RedisServer server) {
    String service = server.serviceName("noconfig");
    try (RedisEndpoint e = Fixtures.endpoint(server);
         DispatcherService d = DispatcherService.builder(service)
             .keyword(KeywordDefinition.builder("X", KtlType.INTEGER).build()).endpoint(e).build()) {
      assertThatThrownBy(d::start).isInstanceOf(UnavailableException.class)
          .hasMessageContaining(service).hasMessageContaining("notify-keyspace-events Kh")
          .hasMessageContaining(server.host() + ":" + server.port());
    }
  }

  @Test
  void startWithTheCheckTurnedOffSucceeds(RedisServer server) {
    String service = server.serviceName("noconfigok");
    try (RedisEndpoint e = Fixtures.endpoint(server);
         DispatcherService d = DispatcherService.builder(service)
             .keyword(KeywordDefinition.builder("X", KtlType.INTEGER).build()).endpoint(e)
             .config(DispatcherConfig.builder().checkNotifications(false).build()).build()) {
      d.start();
    }
  }
}
