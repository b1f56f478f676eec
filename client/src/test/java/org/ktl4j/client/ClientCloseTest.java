package org.ktl4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;

/** Everything closes cleanly: no client thread survives close(). */
@ExtendWith(RedisExtension.class)
class ClientCloseTest {

  @Test
  void noClientThreadSurvivesClose(RedisServer server) {
    String name = server.serviceName("closing");
    String tag = server.host() + ":" + server.port();
    try (RedisEndpoint dispatcherSide = TestServices.endpoint(server);
         DispatcherService d = TestServices.dispatcher(name, dispatcherSide)) {
      RedisEndpoint clientSide = TestServices.endpoint(server);
      Service s = Service.open(name, clientSide);
      s.keyword("COUNT").subscribe(u -> { });
      s.subscribeAll(u -> { });
      s.keyword("COUNT").write("3");
      s.keyword("COUNT").writeAsync("4").done().join();
      assertThat(threads("ktl-client", tag)).isNotEmpty();
      s.close();
      await().atMost(Duration.ofSeconds(10)).until(() -> threads("ktl-client", tag).isEmpty());
      clientSide.close();
      // the dispatcher's own endpoint still runs its pub/sub threads; the client's are gone
      await().atMost(Duration.ofSeconds(10)).until(() -> threads("ktl-pubsub", tag).size() == 3);
    }
  }

  private static List<String> threads(String prefix, String tag) {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.startsWith(prefix) && n.endsWith(tag)).toList();
  }
}
