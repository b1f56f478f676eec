package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.client.Keyword;
import org.ktl4j.client.Service;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;

/** {@code ktl monitor} in the test JVM while the test writes values: priming, updates, --count, the whole service. */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitorCommandTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String LINE = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z  ";

  private final ExecutorService runner = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "monitor-test-ktl");
    t.setDaemon(true);
    return t;
  });
  private TestDispatchers dispatchers;
  private RedisEndpoint endpoint;
  private Service client;
  private String url;
  private String service;

  @BeforeAll
  void start(RedisServer server) {
    url = server.url();
    service = server.serviceName("climonitor");
    dispatchers = TestDispatchers.start(server, service);
    endpoint = RedisEndpoint.open(RedisSettings.fromUri(url));
    client = Service.open(service, endpoint);
  }

  @AfterAll
  void stop() {
    runner.shutdownNow();
    client.close();
    endpoint.close();
    dispatchers.close();
  }

  /** Starts {@code ktl monitor -s service --redis url more...} on another thread. */
  private Running monitor(String... more) {
    String[] args = KtlRun.onService("monitor", service, url, more);
    KtlRun run = new KtlRun();
    return new Running(run, CompletableFuture.supplyAsync(() -> run.execute(args), runner));
  }

  private record Running(KtlRun run, CompletableFuture<KtlRun> done) {
    KtlRun finish() throws Exception {
      return done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    void awaitLines(int n) {
      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(done).as("monitor still running: %s", run).isNotDone();
        assertThat(run.out()).hasSizeGreaterThanOrEqualTo(n);
      });
    }
  }

  @Test
  void monitorPrintsTheCurrentValueThenEachUpdateUntilCount() throws Exception {
    Keyword count = client.keyword("COUNT");
    count.write("1");

    Running m = monitor("--count", "3", "COUNT");
    m.awaitLines(1);
    count.write("2");
    m.awaitLines(2);
    long last = count.write("3").seq();
    KtlRun run = m.finish();

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).hasSize(3);
    assertThat(run.out().get(0)).matches(LINE + service + "\\.COUNT = 1  \\(seq \\d+\\)");
    assertThat(run.out().get(1)).matches(LINE + service + "\\.COUNT = 2  \\(seq \\d+\\)");
    assertThat(run.out().get(2)).isEqualTo(ValueFormat.timestamp(count.read().orElseThrow().timestamp()) + "  "
        + service + ".COUNT = 3  (seq " + last + ")");
  }

  @Test
  void monitorShowsUnitsAndTheBinaryFormOnRequest() throws Exception {
    KtlRun plain = monitor("--count", "1", "AZ").finish();
    KtlRun binary = monitor("--count", "1", "--binary", "SHUTTER").finish();

    assertThat(plain.out()).singleElement().asString().matches(LINE + service + "\\.AZ = \\d+\\.\\d{3} deg  \\(seq \\d+\\)");
    assertThat(binary.out()).singleElement().asString().matches(LINE + service + "\\.SHUTTER = [01]  \\(seq \\d+\\)");
  }

  @Test
  void monitorWithoutKeywordsFollowsTheWholeService() throws Exception {
    List<String> set = client.keywords().stream().filter(k -> k.read().isPresent()).map(Keyword::name).toList();

    Running m = monitor("--count", Integer.toString(set.size() + 1));
    m.awaitLines(set.size());
    client.keyword("NAME").write("whole service");
    KtlRun run = m.finish();

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out().subList(0, set.size())).extracting(l -> l.split("  ")[1].split(" ")[0])
        .containsExactlyInAnyOrderElementsOf(set.stream().map(k -> service + "." + k).toList());
    assertThat(run.out().get(set.size())).matches(LINE + service + "\\.NAME = whole service  \\(seq \\d+\\)");
  }

  @Test
  void noPrimeMonitorPrintsOnlyNewValues() throws Exception {
    Running m = monitor("--no-prime", "--count", "1", "SHUTTER", "TRACKING");
    // without priming there is nothing to see until a write; keep writing until the monitor has subscribed
    await().atMost(WAIT).until(() -> {
      client.keyword("TRACKING").write("off");
      return !m.run().out().isEmpty();
    });
    KtlRun run = m.finish();

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).singleElement().asString().matches(LINE + service + "\\.TRACKING = off  \\(seq \\d+\\).*");
  }

  @Test
  void fewerUpdatesThanCountBeforeTheTimeoutExitsThree() throws Exception {
    KtlRun run = monitor("--no-prime", "--count", "1", "--timeout", "0.2", "UNSET").finish();

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.TIMEOUT);
    assertThat(run.err()).contains("0 of 1 updates");
  }

  @Test
  void unknownKeywordIsAUsageError() throws Exception {
    KtlRun run = monitor("NOPE").finish();

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("no keyword 'NOPE'");
  }
}
