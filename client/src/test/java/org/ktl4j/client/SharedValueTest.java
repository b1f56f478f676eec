package org.ktl4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;

/** One value handed to several listeners is immutable: an array one listener changes is its own copy. */
@ExtendWith(RedisExtension.class)
class SharedValueTest {

  @Test
  void aListenerThatChangesTheArrayItGotDoesNotChangeWhatAnotherListenerSees(RedisServer server) throws Exception {
    String name = server.serviceName("shared");
    CountDownLatch firstChangedIt = new CountDownLatch(1);
    List<double[]> firstSaw = new CopyOnWriteArrayList<>();
    List<double[]> secondSaw = new CopyOnWriteArrayList<>();
    try (RedisEndpoint endpoint = TestServices.endpoint(server);
         DispatcherService d = TestServices.dispatcher(name, endpoint);
         Service s = Service.open(name, endpoint)) {
      Keyword offsets = s.keyword("OFFSETS");
      try (Subscription first = offsets.subscribe(u -> {
             double[] mine = (double[]) u.binary();
             mine[0] = -999;
             firstSaw.add((double[]) u.value().binary());
             firstChangedIt.countDown();
           }, false);
           Subscription second = offsets.subscribe(u -> {
             try {
               firstChangedIt.await(30, TimeUnit.SECONDS); // read only after the first listener changed its array
             } catch (InterruptedException e) {
               Thread.currentThread().interrupt();
             }
             secondSaw.add((double[]) u.binary());
           }, false)) {
        offsets.write("1.5 2.5");

        await().atMost(Duration.ofSeconds(30)).until(() -> !firstSaw.isEmpty() && !secondSaw.isEmpty());
        assertThat(firstChangedIt.getCount()).isZero();
        assertThat(secondSaw.get(0)).containsExactly(1.5, 2.5);
        assertThat(firstSaw.get(0)).as("the value itself is unchanged too").containsExactly(1.5, 2.5);
        assertThat(first.latest()).get().extracting(v -> (double[]) v.binary()).isEqualTo(new double[] {1.5, 2.5});
      }
    }
  }

  @Test
  void arrayBinariesAreCopiedOnConstructionAndAccess() {
    int[] pixels = {1, 2, 3};
    KeywordValue v = new KeywordValue("svc", "PIXELS", "1 2 3", pixels, java.time.Instant.EPOCH, 1, "test");

    pixels[0] = 100;
    ((int[]) v.binary())[1] = 200;

    assertThat((int[]) v.binary()).containsExactly(1, 2, 3);
    assertThat(v).isEqualTo(new KeywordValue("svc", "PIXELS", "1 2 3", new int[] {1, 2, 3}, java.time.Instant.EPOCH,
        1, "test"));
  }
}
