package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ktl4j.cli.KtlRun.ktl;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;

/** {@code ktl list}: the services with their dispatchers, and one service's keyword definitions. */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListCommandTest {
  private TestDispatchers running;
  private String url;
  private String served;
  private String stopped;

  @BeforeAll
  void start(RedisServer server) {
    url = server.url();
    served = server.serviceName("clilistb");
    stopped = server.serviceName("clilista");
    running = TestDispatchers.start(server, served);
    TestDispatchers.start(server, stopped).close();
  }

  @AfterAll
  void stop() {
    running.close();
  }

  @Test
  void listShowsEachServiceSortedWithItsKeywordCountAndDispatcher() {
    KtlRun run = ktl("list", "--redis", url);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out().get(0)).matches("SERVICE +KEYWORDS +DISPATCHER");
    int keywords = TestDispatchers.keywords().size() + 7; // with DISPCLK, DISPSTA and the five statistics keywords
    assertThat(run.out()).anySatisfy(l -> assertThat(l).matches(served + " +" + keywords + " +running: host \\S+ pid "
        + ProcessHandle.current().pid() + " since \\d{4}-.*Z"));
    assertThat(run.out()).anySatisfy(l -> assertThat(l).matches(stopped + " +" + keywords + " +not running"));
    assertThat(run.out().stream().filter(l -> l.startsWith(stopped) || l.startsWith(served)).toList())
        .as("sorted").containsExactly(
            run.out().stream().filter(l -> l.startsWith(stopped)).findFirst().orElseThrow(),
            run.out().stream().filter(l -> l.startsWith(served)).findFirst().orElseThrow());
  }

  @Test
  void listOfAServiceDescribesEachKeywordInAlignedColumns() {
    KtlRun run = ktl("list", "-s", served, "--redis", url);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out().get(0)).matches("KEYWORD +TYPE +UNITS +RANGE +VALUES +ACCESS +HELP");
    assertThat(run.out()).anySatisfy(l -> assertThat(l).matches("AZ +double +deg +0\\.\\.360 +rw +Actual azimuth"))
        .anySatisfy(l -> assertThat(l).matches("SHUTTER +enumerated +0=closed, 1=open +rw +Dome shutter"))
        .anySatisfy(l -> assertThat(l).matches("TRACKING +boolean +0=off, 1=on +rw"))
        .anySatisfy(l -> assertThat(l).matches("FAULTS +mask +0=none, 1=power, 2=cooling +rw"))
        .anySatisfy(l -> assertThat(l).matches("PIXELS +integer array\\[3] +rw"))
        .anySatisfy(l -> assertThat(l).matches("COUNT +integer +0\\.\\.100 +rw"))
        .anySatisfy(l -> assertThat(l).matches("SERIAL +string +ro +Serial number"));
    int typeColumn = run.out().get(0).indexOf("TYPE");
    assertThat(run.out()).allSatisfy(l -> assertThat(l.charAt(typeColumn - 1)).isEqualTo(' '));
    assertThat(run.out().stream().filter(l -> l.startsWith("AZ ")).findFirst().orElseThrow().indexOf("double"))
        .isEqualTo(typeColumn);
  }

  @Test
  void listOfAnUnknownServiceIsAUsageError() {
    KtlRun run = ktl("list", "-s", "nosuchservice", "--redis", url);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains(served).contains(stopped);
  }
}
