package org.ktl4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.client.Service;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.examples.client.MonitorExample;
import org.ktl4j.examples.client.ReadExample;
import org.ktl4j.examples.client.WaitForExample;
import org.ktl4j.examples.client.WriteExample;
import org.ktl4j.examples.telescope.TelescopeSetup;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;

/** The example telescope and every client example, run against a real dispatcher. */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TelescopeExamplesTest {
  private RedisEndpoint endpoint;
  private DispatcherService dispatcher;
  private Service telescope;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

  @BeforeAll
  void start(RedisServer server) {
    // the example uses the service name "telescope"; an external test server must not have one already
    endpoint = RedisEndpoint.open(RedisSettings.fromUri(server.url()));
    dispatcher = DispatcherService.builder("telescope").bundle(TelescopeSetup.bundle()).setup(new TelescopeSetup())
        .config(TelescopeSetup.config()).endpoint(endpoint).build();
    dispatcher.start();
    telescope = Service.open("telescope", endpoint);
  }

  @AfterAll
  void stop() {
    telescope.close();
    dispatcher.close();
    endpoint.close();
  }

  private String output() {
    String s = buffer.toString(StandardCharsets.UTF_8);
    buffer.reset();
    return s;
  }

  @Test
  void readExamplePrintsValuesWithUnits() {
    ReadExample.run(telescope, out);
    assertThat(output()).contains("AZ = ").contains(" deg").contains("SITE = Maunakea")
        .containsPattern("\\d+ recent values of AZ, the oldest \\d");
  }

  @Test
  void writeExampleShowsStoredValueAndRefusal() throws Exception {
    WriteExample.run(telescope, out);
    String s = output();
    assertThat(s).contains("TARGEL stored as 30.0").contains("refused (REJECTED)").contains("horizon limit")
        .contains("DOMESHUT = closed");
  }

  @Test
  void monitorExampleSeesBroadcastsWhileSlewing() throws Exception {
    int seen = MonitorExample.run(telescope, out, 5);
    assertThat(seen).isEqualTo(5);
    assertThat(output()).contains("AZ = ");
  }

  @Test
  void waitForExampleReachesTheTarget() {
    assertThat(WaitForExample.run(telescope, out)).isTrue();
    assertThat(output()).contains("on target with the dome open: true");
  }

  @Test
  void demoNarratesEveryStep() throws Exception {
    boolean ok = new TelescopeDemo(telescope, out).run();
    String s = output();
    assertThat(ok).as(s).isTrue();
    assertThat(s).contains("== 1.").contains("TARGAZ").contains("ack").contains("done : stored '60.0'")
        .contains("code REJECTED").contains("broadcasts received").contains("expression held");
  }
}
