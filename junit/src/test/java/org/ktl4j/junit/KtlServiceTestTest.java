package org.ktl4j.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.ktl4j.ErrorCode;
import org.ktl4j.RefusedException;
import org.ktl4j.client.KeywordUpdate;
import org.ktl4j.client.Service;
import org.ktl4j.client.Subscription;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.redis.RedisEndpoint;

/** A user's dispatcher under test: bundle and setup from the test class path, a Service handed to the tests. */
@KtlServiceTest(service = "lamp", bundle = "lamp/lamp.xml", setup = LampSetup.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KtlServiceTestTest {

  @Test
  @Order(1)
  void theSetupRefusesBrightnessWhileTheLampIsOff(Service lamp) {
    assertThat(lamp.keyword("POWER").readAscii()).isEqualTo("off");
    assertThatThrownBy(() -> lamp.keyword("BRIGHTNESS").write("40")).isInstanceOf(RefusedException.class)
        .hasMessageContaining("the lamp is off")
        .satisfies(e -> assertThat(((RefusedException) e).code()).isEqualTo(ErrorCode.REJECTED));
  }

  @Test
  @Order(2)
  void writesAndSubscriptionsWork(Service lamp) {
    List<KeywordUpdate> updates = new CopyOnWriteArrayList<>();
    try (Subscription s = lamp.keyword("BRIGHTNESS").subscribe(updates::add, false)) {
      lamp.keyword("POWER").write("on");
      assertThat(lamp.keyword("BRIGHTNESS").write("40").ascii()).isEqualTo("40");
      await().atMost(Duration.ofSeconds(10)).until(() -> updates.stream().anyMatch(u -> u.ascii().equals("40")));
    }
  }

  @Test
  @Order(3)
  void theDispatcherAndTheEndpointAreGivenTooForValuesSetFromCode(DispatcherService dispatcher, Service lamp,
      RedisEndpoint endpoint) {
    dispatcher.keyword("BRIGHTNESS").set("75"); // as the hardware would report it
    await().atMost(Duration.ofSeconds(10)).until(() -> "75".equals(lamp.keyword("BRIGHTNESS").readAscii()));
    assertThat(endpoint.settings().host()).isEqualTo("127.0.0.1");
  }
}
