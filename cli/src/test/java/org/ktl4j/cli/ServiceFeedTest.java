package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.client.Service;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;

/**
 * {@link ServiceFeed} on a real Redis and dispatcher: the whole-service subscription lives only while a stream
 * watches, and is opened again for the next one.
 */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceFeedTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private TestDispatchers dispatchers;
  private RedisEndpoint endpoint;
  private Service client;

  @BeforeAll
  void start(RedisServer server) {
    String service = server.serviceName("cliwebfeed");
    dispatchers = TestDispatchers.start(server, service);
    endpoint = RedisEndpoint.open(RedisSettings.fromUri(server.url()));
    client = Service.open(service, endpoint);
  }

  @AfterAll
  void stop() {
    if (client != null) {
      client.close();
    }
    if (endpoint != null) {
      endpoint.close();
    }
    if (dispatchers != null) {
      dispatchers.close();
    }
  }

  /** A running stream of the feed, whose browser reads at once; returns what it collects. */
  private static EventStreamTest.Collected watch(ServiceFeed feed, EventStream[] stream) {
    EventStreamTest.Collected exchange = new EventStreamTest.Collected();
    exchange.gate.countDown();
    stream[0] = new EventStream("svc", 20, exchange, feed::remove);
    assertThat(feed.add(stream[0])).isTrue();
    Thread t = new Thread(stream[0], "service-feed-test");
    t.setDaemon(true);
    t.start();
    return exchange;
  }

  private static boolean got(EventStreamTest.Collected c, String keyword, String ascii) {
    return c.events().stream().anyMatch(e -> e.get("keyword").getAsString().equals(keyword)
        && e.get("ascii").getAsString().equals(ascii));
  }

  @Test
  void theSubscriptionClosesWithTheLastStreamAndReopensForTheNext() {
    try (ServiceFeed feed = new ServiceFeed(client)) {
      EventStream[] first = new EventStream[1];
      EventStreamTest.Collected one = watch(feed, first);
      await().atMost(WAIT).until(() -> got(one, "NAME", "M 31"));
      assertThat(feed.watched()).isTrue();

      first[0].close("tab closed");
      await().atMost(WAIT).until(() -> !feed.watched());
      client.keyword("NAME").write("while nobody watched");

      EventStream[] second = new EventStream[1];
      EventStreamTest.Collected two = watch(feed, second);
      await().atMost(WAIT).until(() -> got(two, "NAME", "while nobody watched"));
      assertThat(feed.watched()).isTrue();
      assertThat(got(one, "NAME", "while nobody watched")).isFalse();
    }
  }
}
