package org.ktl4j.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.UnavailableException;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.protocol.Reply;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import org.ktl4j.type.KtlType;

/** One dispatcher per service: the lease. */
@ExtendWith(RedisExtension.class)
class LeaseTest {
  private static final DispatcherConfig SHORT_LEASE = DispatcherConfig.builder().leaseTtl(Duration.ofSeconds(1)).build();

  private static DispatcherService dispatcher(String service, RedisEndpoint endpoint) {
    return DispatcherService.builder(service)
        .keyword(KeywordDefinition.builder("COUNTER", KtlType.INTEGER).build())
        .config(SHORT_LEASE).endpoint(endpoint).build();
  }

  @Test
  void secondDispatcherIsRefusedWhileTheFirstLives(RedisServer server) {
    String service = server.serviceName("lease");
    try (RedisEndpoint e1 = Fixtures.endpoint(server); RedisEndpoint e2 = Fixtures.endpoint(server);
         DispatcherService first = dispatcher(service, e1); DispatcherService second = dispatcher(service, e2)) {
      first.start();
      assertThatThrownBy(second::start).isInstanceOf(UnavailableException.class)
          .hasMessageContaining(service).hasMessageContaining("already served")
          .hasMessageContaining("pid " + ProcessHandle.current().pid());
      assertThat(first.state()).isEqualTo(DispatcherService.State.READY);
    }
  }

  @Test
  void dispatcherWhoseLeaseIsTakenStopsServingAndSaysWhy(RedisServer server) throws Exception {
    String service = server.serviceName("stolen");
    try (RedisEndpoint e1 = Fixtures.endpoint(server); DispatcherService d = dispatcher(service, e1);
         var redis = server.newClient()) {
      d.start();
      redis.set("ktl:{" + service + "}:dispatcher",
          "{\"id\":\"intruder\",\"host\":\"elsewhere\",\"pid\":99,\"version\":\"x\",\"started\":\"1.000000\"}");
      assertThat(d.awaitStopped(Duration.ofSeconds(20))).isTrue();
      assertThat(d.stopReason()).get().asString().contains("elsewhere").contains("pid 99");
      assertThat(RawWriter.numSub(redis, "ktl:{" + service + "}:modify"))
          .as("no longer subscribed").isZero();
    }
  }

  @Test
  void newDispatcherTakesOverAfterKillDashNineAndSeqContinues(RedisServer server) throws Exception {
    String service = server.serviceName("takeover");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ChildDispatcher.class.getName(), server.url(), service).redirectErrorStream(true).start();
    AtomicBoolean ready = new AtomicBoolean();
    Thread pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.equals("READY")) {
            ready.set(true);
          }
        }
      } catch (Exception e) {
        // child gone
      }
    }, "child-output");
    pump.setDaemon(true);
    pump.start();
    try {
      await().atMost(Duration.ofSeconds(60)).untilTrue(ready);
      long seqBefore;
      try (RawWriter w = new RawWriter(server, service)) {
        for (int i = 0; i < 5; i++) {
          assertThat(w.write("COUNTER", Integer.toString(i))).isInstanceOf(Reply.Stored.class);
        }
        seqBefore = Long.parseLong(w.stored("COUNTER").get("seq"));
      }
      child.destroyForcibly().waitFor();
      try (RedisEndpoint e = Fixtures.endpoint(server); DispatcherService next = dispatcher(service, e);
           RawWriter w = new RawWriter(server, service)) {
        next.start(); // waits out the stale lease
        Reply.Stored s = (Reply.Stored) w.write("COUNTER", "100");
        assertThat(s.seq()).isEqualTo(seqBefore + 1);
        assertThat(w.redis.get("ktl:{" + service + "}:dispatcher")).contains("\"pid\":" + ProcessHandle.current().pid());
      }
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void closeReleasesTheLeaseAndLeavesTheValues(RedisServer server) {
    String service = server.serviceName("release");
    try (RedisEndpoint e = Fixtures.endpoint(server); var redis = server.newClient()) {
      DispatcherService d = dispatcher(service, e);
      d.start();
      d.keyword("COUNTER").set("7");
      d.close();
      assertThat(redis.exists("ktl:{" + service + "}:dispatcher")).isFalse();
      assertThat(redis.hget("ktl:{" + service + "}:kw:COUNTER", "ascii")).isEqualTo("7");
      assertThat(redis.hget("ktl:{" + service + "}:kw:DISPSTA", "ascii")).isEqualTo("stopping");
      assertThat(d.state()).isEqualTo(DispatcherService.State.STOPPED);
      // a pool reports termination just before its last thread has fully exited: allow that moment
      await("no dispatcher thread survives close()").atMost(Duration.ofSeconds(10))
          .until(() -> Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
              .noneMatch(n -> n.startsWith("ktl-" + service)));
    }
  }
}
