package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.client.Service;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;

/**
 * {@code ktl web} end to end in a headless Chromium ({@link HeadlessChromium}): the page shows a value the
 * dispatcher stores as it is stored, plots it, and shows a write's {@code done} or its refusal's code and reason.
 * Needs {@code chromium} on the PATH (it fails, with how to install it, without one).
 */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebViewChromiumTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private TestDispatchers dispatchers;
  private RedisEndpoint endpoint;
  private Service client;
  private String service;
  private KtlProcess web;
  private String url;
  private HeadlessChromium chromium;

  @BeforeAll
  void startServer(RedisServer server) {
    service = server.serviceName("cliwebview");
    dispatchers = TestDispatchers.start(server, service);
    endpoint = RedisEndpoint.open(RedisSettings.fromUri(server.url()));
    client = Service.open(service, endpoint);
    web = KtlProcess.start(server.url(), "web", "--port", "0", "--allow-writes");
    url = WebCommandTest.serving(web, "writes allowed");
  }

  @AfterAll
  void stopServer() throws Exception {
    try {
      if (web != null) {
        web.terminate();
        assertThat(web.awaitExit()).as(web.output()).isZero();
      }
    } finally {
      if (web != null) {
        web.close();
      }
      if (client != null) { // null-safe: a failed start leaves some unset
        client.close();
      }
      if (endpoint != null) {
        endpoint.close();
      }
      if (dispatchers != null) {
        dispatchers.close();
      }
    }
  }

  @BeforeEach
  void startBrowser() throws Exception {
    chromium = HeadlessChromium.start();
  }

  @AfterEach
  void stopBrowser() {
    if (chromium != null) {
      chromium.close();
    }
  }

  /** Opens the page on the test service and waits until its event stream is live and the snapshot shown. */
  private void openPage() {
    chromium.navigate(url + "#" + service);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(chromium.evaluate("document.querySelector('#status')?.textContent")).isEqualTo("live");
      assertThat(cell("AZ", "td.value")).isNotNull().isNotEqualTo("(not set)");
    });
  }

  /** The text of a cell of a keyword's row, or null if there is no such cell yet. */
  private String cell(String keyword, String selector) {
    return chromium.evaluate("document.querySelector('tr[data-keyword=\"" + keyword + "\"] " + selector
        + "')?.textContent");
  }

  /** Types a value into a keyword's write field and clicks its write button, as an operator would. */
  private void writeOnThePage(String keyword, String value) {
    chromium.evaluate("(() => { const row = document.querySelector('tr[data-keyword=\"" + keyword + "\"]');"
        + " row.querySelector('input.new-value').value = '" + value + "';"
        + " row.querySelector('button.write-button').click(); return true; })()");
  }

  @Test
  void aValueTheDispatcherStoresAppearsOnThePageAndInItsPlot() {
    for (String az : new String[] {"100", "110"}) { // with the initial value, three values in the history
      dispatchers.dispatcher().keyword("AZ").set(az);
      // one at a time: values set faster than they are stored are stored (and kept) once
      await().atMost(WAIT).until(() -> client.keyword("AZ").readAscii().equals(az + ".000"));
    }
    openPage();
    assertThat(cell("AZ", "td.units")).isEqualTo("deg");
    assertThat(cell("AZ", "td.help")).isEqualTo("Actual azimuth");

    chromium.evaluate("document.querySelector('tr[data-keyword=\"AZ\"] button.plot').click()");
    await().atMost(WAIT).untilAsserted(() -> { // the stored history, not only the value the page received
      assertThat(chromium.evaluate("document.querySelector('#plot-title').textContent")).isEqualTo(service + ".AZ (deg)");
      assertThat(Integer.parseInt(chromium.evaluate("document.querySelectorAll('#plot circle').length")))
          .isGreaterThanOrEqualTo(3);
    });
    int before = Integer.parseInt(chromium.evaluate("document.querySelectorAll('#plot circle').length"));
    dispatchers.dispatcher().keyword("AZ").set("200.25");

    await().atMost(WAIT).untilAsserted(() -> assertThat(cell("AZ", "td.value")).isEqualTo("200.250"));
    await().atMost(WAIT).untilAsserted(() -> assertThat(
        Integer.parseInt(chromium.evaluate("document.querySelectorAll('#plot circle').length"))).isEqualTo(before + 1));
  }

  @Test
  void aRefusedWriteShowsTheDispatchersCodeAndReason() {
    openPage();

    writeOnThePage("EL", "5");

    await().atMost(WAIT).untilAsserted(() -> assertThat(cell("EL", ".result"))
        .startsWith("refused REJECTED: ").endsWith("below the horizon limit"));
    assertThat(cell("EL", "td.value")).isEqualTo("45.0");
  }

  @Test
  void anAcceptedWriteShowsDoneWithItsSeq() {
    openPage();

    writeOnThePage("COUNT", "17");

    await().atMost(WAIT).untilAsserted(() -> assertThat(cell("COUNT", ".result")).matches("ack, done: 17 \\(seq \\d+\\)"));
    assertThat(client.keyword("COUNT").readAscii()).isEqualTo("17");
    await().atMost(WAIT).untilAsserted(() -> assertThat(cell("COUNT", "td.value")).isEqualTo("17"));
  }
}
