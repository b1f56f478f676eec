package org.ktl4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;

/** Everything closes cleanly: no thread the client started survives close(). */
@ExtendWith(RedisExtension.class)
class ClientCloseTest {

  @Test
  void noClientThreadSurvivesClose(RedisServer server) {
    String name = server.serviceName("closing");
    // the dispatcher connects as "localhost", the client as the server's address: thread names tell them apart
    RedisSettings viaLocalhost = RedisSettings.fromUri(server.url().replace(server.host(), "localhost"));
    String clientTag = server.host() + ":" + server.port();
    try (RedisEndpoint dispatcherSide = RedisEndpoint.open(viaLocalhost);
         DispatcherService d = TestServices.dispatcher(name, dispatcherSide)) {
      Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
      RedisEndpoint clientSide = TestServices.endpoint(server);
      Service s = Service.open(name, clientSide);
      s.keyword("COUNT").subscribe(u -> { });
      s.subscribeAll(u -> { });
      s.keyword("COUNT").write("3");
      s.keyword("COUNT").writeAsync("4").done().join();
      List<Thread> started = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> !before.contains(t))
          .filter(t -> t.getName().startsWith("ktl-") && t.getName().endsWith(clientTag)).toList();
      assertThat(started).extracting(Thread::getName)
          .anyMatch(n -> n.startsWith("ktl-client-")).anyMatch(n -> n.startsWith("ktl-pubsub-"));
      s.close();
      clientSide.close();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(started).filteredOn(Thread::isAlive).extracting(Thread::getName).isEmpty());
      assertThat(d.state()).isEqualTo(DispatcherService.State.READY); // the dispatcher's own threads go on
    }
  }
}
