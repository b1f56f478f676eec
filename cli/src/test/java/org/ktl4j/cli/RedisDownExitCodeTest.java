package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ktl4j.cli.KtlRun.ktl;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;

/**
 * While Redis is down (killed, as during a restart), every client command exits 4 (unavailable) with one line
 * naming the server and where its URL came from, never 1 (usage) and never a stack trace.
 */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisDownExitCodeTest {
  private RedisServer server;
  private String service;

  @BeforeAll
  void killRedisAfterAServiceExisted(RedisServer server) {
    server.requireControllable();
    this.server = server;
    service = server.serviceName("clidown");
    TestDispatchers.start(server, service).close();
    server.kill();
  }

  @AfterAll
  void restartRedis() {
    if (server != null) {
      server.restart();
    }
  }

  Stream<List<String>> commands() {
    return Stream.of(
        List.of("show", "-s", "SVC", "AZ"),
        List.of("show", "-s", "SVC"),
        List.of("show", "-s", "SVC", "--terse", "DISPSTA"),
        List.of("list"),
        List.of("list", "-s", "SVC"),
        List.of("modify", "-s", "SVC", "COUNT=3"),
        List.of("modify", "-s", "SVC", "--nowait", "COUNT=3"),
        List.of("monitor", "-s", "SVC", "AZ", "--count", "1", "--timeout", "30"),
        List.of("monitor", "-s", "SVC", "--count", "1", "--timeout", "30"),
        List.of("waitfor", "-s", "SVC", "-t", "30", "COUNT == 3"),
        List.of("waitfor", "-t", "30", "$SVC.COUNT == 3"),
        List.of("waitfor", "-s", "SVC", "-t", "0", "COUNT == 3"));
  }

  @ParameterizedTest(name = "ktl {0}")
  @MethodSource("commands")
  void everyClientCommandExitsFourWhileRedisIsDown(List<String> command) {
    List<String> args = new ArrayList<>();
    for (String a : command) {
      args.add(a.replace("SVC", service));
    }
    args.add("--redis");
    args.add(server.url());

    KtlRun run = ktl(args.toArray(new String[0]));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(run.err().lines().toList()).as(run.toString()).singleElement().asString()
        .startsWith("ktl: ").contains(server.host() + ":" + server.port()).contains("Redis URL from --redis")
        .doesNotContain("Redis URL from --redis) (Redis URL from");
  }
}
