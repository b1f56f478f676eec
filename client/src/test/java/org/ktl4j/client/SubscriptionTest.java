package org.ktl4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.dispatcher.DispatcherConfig;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import org.ktl4j.type.KtlType;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.SafeEncoder;

/** Subscriptions: order, isolation of slow callbacks, priming, scale. */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubscriptionTest {
  private RedisEndpoint endpoint;
  private DispatcherService dispatcher;
  private Service service;

  @BeforeAll
  void start(RedisServer server) {
    String name = server.serviceName("subs");
    endpoint = TestServices.endpoint(server);
    dispatcher = TestServices.dispatcher(name, endpoint);
    service = Service.open(name, endpoint);
  }

  @AfterAll
  void stop() {
    service.close();
    dispatcher.close();
    endpoint.close();
  }

  @Test
  void updatesArriveInSeqOrderAndEndWithTheLastValue() {
    List<KeywordUpdate> got = new CopyOnWriteArrayList<>();
    Keyword count = service.keyword("COUNT");
    count.write("0");
    try (Subscription s = count.subscribe(got::add, false)) {
      WriteResult last = null;
      for (int i = 1; i <= 100; i++) {
        last = count.write(Integer.toString(i));
      }
      long lastSeq = last.seq();
      await().atMost(Duration.ofSeconds(20)).until(() -> !got.isEmpty() && got.get(got.size() - 1).seq() == lastSeq);
      for (int i = 1; i < got.size(); i++) {
        assertThat(got.get(i).seq()).isGreaterThan(got.get(i - 1).seq());
        assertThat(got.get(i).seq() - got.get(i - 1).seq() - 1).isEqualTo(got.get(i).coalesced());
      }
      assertThat(got.get(got.size() - 1).ascii()).isEqualTo("100");
      assertThat(s.latest()).get().extracting(KeywordValue::ascii).isEqualTo("100");
    }
  }

  @Test
  void slowCallbackOnOneKeywordDoesNotDelayAnother() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch slowEntered = new CountDownLatch(1);
    List<KeywordUpdate> slow = new CopyOnWriteArrayList<>();
    List<KeywordUpdate> fast = new CopyOnWriteArrayList<>();
    Keyword a = service.keyword("TEMP");
    Keyword b = service.keyword("BIG");
    try (Subscription sa = a.subscribe(u -> {
          slow.add(u);
          slowEntered.countDown();
          try {
            release.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }, false);
         Subscription sb = b.subscribe(fast::add, false)) {
      a.write("1.0");
      assertThat(slowEntered.await(20, TimeUnit.SECONDS)).isTrue();
      for (int i = 2; i <= 5; i++) {
        a.write(i + ".0");
      }
      for (int i = 1; i <= 10; i++) {
        b.write(Integer.toString(i));
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> !fast.isEmpty() && fast.get(fast.size() - 1).ascii().equals("10"));
      assertThat(slow).hasSize(1);
      release.countDown();
      await().atMost(Duration.ofSeconds(20)).until(() -> slow.get(slow.size() - 1).ascii().equals("5.0"));
      assertThat(slow.size()).as("intermediate values were coalesced").isLessThan(5);
      assertThat(slow.get(slow.size() - 1).coalesced()).isGreaterThan(0);
    }
  }

  @Test
  void primingReadDeliversTheCurrentValueFirst() {
    service.keyword("NAME").write("primed");
    List<KeywordUpdate> got = new CopyOnWriteArrayList<>();
    try (Subscription s = service.keyword("NAME").subscribe(got::add)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !got.isEmpty());
      assertThat(got.get(0).ascii()).isEqualTo("primed");
      assertThat(got.get(0).resync()).isTrue();
    }
  }

  @Test
  void serviceWideSubscriptionSeesEveryKeyword() {
    List<String> got = new CopyOnWriteArrayList<>();
    try (Subscription s = service.subscribeAll(u -> got.add(u.keyword() + "=" + u.ascii()), false)) {
      service.keyword("FLAG").write("true");
      service.keyword("SHUTTER").write("open");
      await().atMost(Duration.ofSeconds(10)).until(() -> got.contains("FLAG=true") && got.contains("SHUTTER=open"));
    }
  }

  @Test
  void tenThousandSubscribedKeywordsUseOnePubSubConnectionAndFewThreads(RedisServer server) {
    String name = server.serviceName("many");
    List<KeywordDefinition> defs = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      defs.add(KeywordDefinition.builder("K" + i, KtlType.INTEGER).initialValue("0").build());
    }
    try (DispatcherService d = DispatcherService.builder(name).definitions(defs).endpoint(endpoint).build()) {
      d.start();
      try (Service many = Service.open(name, endpoint)) {
        AtomicInteger updates = new AtomicInteger();
        List<Subscription> subs = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
          subs.add(many.keyword("K" + i).subscribe(u -> updates.incrementAndGet(), false));
        }
        many.keyword("K9999").write("1");
        many.keyword("K0").write("1");
        await().atMost(Duration.ofSeconds(20)).until(() -> updates.get() >= 2);
        try (RedisClient redis = server.newClient()) {
          String clients = SafeEncoder.encode((byte[]) redis.sendCommand(Protocol.Command.CLIENT, "LIST"));
          List<String> pubsub = clients.lines().filter(l -> l.contains("name=ktl-pubsub")).toList();
          assertThat(pubsub).as("one pub/sub connection for the whole process").hasSize(1);
          assertThat(pubsub.get(0)).containsPattern("sub=1000[0-9]");
        }
        long threads = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("ktl-")).count();
        // fixed pools, whatever the number of keywords: the client's callback, completion, fetch and timer threads,
        // one pub/sub connection's three, and the workers, checkers and timer of the two dispatchers in this JVM
        long bound = ClientConfig.DEFAULT_CALLBACK_THREADS + 4 + 2 + 3
            + 2 * (DispatcherConfig.DEFAULT_WORKERS + DispatcherConfig.DEFAULT_CHECKERS + 1);
        assertThat(threads).as("threads do not grow with keywords").isLessThanOrEqualTo(bound);
        subs.forEach(Subscription::close);
      }
    }
  }
}
