package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
 * {@code ktl web} over HTTP, as a child process (so that SIGTERM stops it as Ctrl-C would): the API's answers, the
 * read-only default, writes with {@code --allow-writes}, refusals with their code and reason, and the checks on
 * names, origins, hosts and body sizes.
 */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebCommandTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Pattern SERVING = Pattern.compile("ktl web: serving (http://127\\.0\\.0\\.1:\\d+/) \\((.*)\\)");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
  private TestDispatchers dispatchers;
  private RedisEndpoint endpoint;
  private Service client;
  private String service;
  private KtlProcess readOnly;
  private KtlProcess writable;
  private String readOnlyUrl;
  private String writableUrl;

  @BeforeAll
  void start(RedisServer server) {
    service = server.serviceName("cliweb");
    dispatchers = TestDispatchers.start(server, service);
    endpoint = RedisEndpoint.open(RedisSettings.fromUri(server.url()));
    client = Service.open(service, endpoint);
    readOnly = KtlProcess.start(server.url(), "web", "--port", "0", "--host", "web.example");
    writable = KtlProcess.start(server.url(), "web", "--port", "0", "--allow-writes");
    readOnlyUrl = serving(readOnly, "read-only");
    writableUrl = serving(writable, "writes allowed");
  }

  /** Waits for the one line a started {@code ktl web} prints; returns its URL. */
  static String serving(KtlProcess web, String mode) {
    await().atMost(WAIT).until(() -> !web.stdout().isEmpty() || !web.isAlive());
    assertThat(web.stdout()).as(web.output()).hasSize(1);
    Matcher m = SERVING.matcher(web.stdout().get(0));
    assertThat(m.matches()).as(web.output()).isTrue();
    assertThat(m.group(2)).isEqualTo(mode);
    return m.group(1);
  }

  @AfterAll
  void stop() throws Exception {
    try {
      for (KtlProcess web : Stream.of(readOnly, writable).filter(p -> p != null).toList()) {
        web.terminate();
        assertThat(web.awaitExit()).as(web.output()).isZero();
        assertThat(web.errorLines()).isEmpty();
      }
    } finally { // null-safe: a failed start leaves some unset
      Stream.of(readOnly, writable).filter(p -> p != null).forEach(KtlProcess::close);
      Stream.<AutoCloseable>of(client, endpoint, dispatchers).filter(c -> c != null).forEach(c -> {
        try {
          c.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
    }
  }

  private HttpResponse<String> get(String base, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A write as the page sends it: JSON, with the page's own Origin. */
  private HttpResponse<String> post(String base, String keyword, String body) throws Exception {
    return post(base, "api/services/" + service + "/keywords/" + keyword, body, base.replaceAll("/$", ""));
  }

  private HttpResponse<String> post(String base, String path, String body, String origin) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(WAIT)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (origin != null) {
      b.header("Origin", origin);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject json(HttpResponse<String> r) {
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  @Test
  void servicesAndKeywordsAreListedWithUnitsAndHelp() throws Exception {
    HttpResponse<String> services = get(readOnlyUrl, "api/services");
    HttpResponse<String> keywords = get(readOnlyUrl, "api/services/" + service + "/keywords");

    assertThat(services.statusCode()).isEqualTo(200);
    assertThat(json(services).get("writes").getAsBoolean()).isFalse();
    assertThat(json(services).getAsJsonArray("services").toString()).contains("\"" + service + "\"");
    assertThat(keywords.statusCode()).isEqualTo(200);
    JsonObject az = json(keywords).getAsJsonArray("keywords").asList().stream().map(e -> e.getAsJsonObject())
        .filter(k -> k.get("keyword").getAsString().equals("AZ")).findFirst().orElseThrow();
    assertThat(az.get("units").getAsString()).isEqualTo("deg");
    assertThat(az.get("help").getAsString()).isEqualTo("Actual azimuth");
    assertThat(az.get("max").getAsInt()).isEqualTo(360);
  }

  @Test
  void thePageIsServedWithHeadersThatForbidFraming() throws Exception {
    HttpResponse<String> page = get(readOnlyUrl, "");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<script src=\"app.js\"");
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString().contains("default-src 'self'");
    assertThat(get(readOnlyUrl, "app.js").statusCode()).isEqualTo(200);
    assertThat(get(readOnlyUrl, "../pom.xml").statusCode()).isEqualTo(404);
  }

  @Test
  void aReadOnlyServerRefusesWritesWith403() throws Exception {
    HttpResponse<String> r = post(readOnlyUrl, "COUNT", "{\"value\":\"7\"}");

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(json(r).get("error").getAsString()).contains("read-only", "--allow-writes");
  }

  @Test
  void aWriteIsStoredAndAnsweredWithItsSeqWhenWritesAreAllowed() throws Exception {
    HttpResponse<String> r = post(writableUrl, "COUNT", "{\"value\":\"42\"}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonObject answer = json(r);
    assertThat(answer.get("stage").getAsString()).isEqualTo("done");
    assertThat(answer.get("ack").getAsBoolean()).isTrue();
    assertThat(answer.get("ascii").getAsString()).isEqualTo("42");
    assertThat(answer.get("value").getAsString()).isEqualTo("42");
    assertThat(answer.get("seq").getAsLong()).isEqualTo(client.keyword("COUNT").read().orElseThrow().seq());
    assertThat(client.keyword("COUNT").readAscii()).isEqualTo("42");
  }

  @Test
  void aWriteTheDispatcherRefusesIsAnsweredWithItsCodeAndReason() throws Exception {
    HttpResponse<String> r = post(writableUrl, "EL", "{\"value\":\"5\"}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    JsonObject answer = json(r);
    assertThat(answer.get("stage").getAsString()).isEqualTo("refused");
    assertThat(answer.get("code").getAsString()).isEqualTo("REJECTED");
    assertThat(answer.get("reason").getAsString()).endsWith("below the horizon limit");
    assertThat(answer.get("message").getAsString()).startsWith("REJECTED: " + service + ".EL: value '5.0' rejected");
  }

  @Test
  void badServiceAndKeywordNamesAre400AndUnknownOnes404() throws Exception {
    assertThat(get(readOnlyUrl, "api/services/bad%20name/keywords").statusCode()).isEqualTo(400);
    assertThat(get(readOnlyUrl, "api/services/" + service + "%0a/keywords").statusCode()).isEqualTo(400);
    assertThat(post(writableUrl, "1NOPE", "{\"value\":\"1\"}").statusCode()).isEqualTo(400);
    assertThat(post(writableUrl, "NOPE", "{\"value\":\"1\"}").statusCode()).isEqualTo(404);
    assertThat(get(readOnlyUrl, "api/services/nosuchservice/keywords").statusCode()).isEqualTo(404);
    assertThat(get(readOnlyUrl, "api/nothing").statusCode()).isEqualTo(404);
  }

  @Test
  void aCrossOriginOrOriginlessWriteIsRefused() throws Exception {
    String path = "api/services/" + service + "/keywords/COUNT";
    HttpResponse<String> foreign = post(writableUrl, path, "{\"value\":\"9\"}", "http://evil.example");
    HttpResponse<String> none = post(writableUrl, path, "{\"value\":\"9\"}", null);

    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(json(foreign).get("error").getAsString()).contains("cross-origin", "evil.example");
    assertThat(none.statusCode()).isEqualTo(403);
    assertThat(client.keyword("COUNT").readAscii()).isNotEqualTo("9");
  }

  /** The status line of a GET of the API's service list sent with {@code host} as its Host header. */
  private static String statusWithHost(String base, String host) throws Exception {
    URI uri = URI.create(base);
    try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
      s.setSoTimeout((int) WAIT.toMillis());
      OutputStream out = s.getOutputStream();
      out.write(("GET /api/services HTTP/1.1\r\nHost: " + host.replace("PORT", "" + uri.getPort())
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }
  }

  @Test
  void aRequestForAnotherHostNameIsRefused() throws Exception {
    assertThat(statusWithHost(readOnlyUrl, "rebound.example:PORT")).startsWith("HTTP/1.1 403");
  }

  @Test
  void aHostNameGivenWithTheHostOptionIsAccepted() throws Exception {
    assertThat(statusWithHost(readOnlyUrl, "web.example:PORT")).startsWith("HTTP/1.1 200");
    assertThat(statusWithHost(writableUrl, "web.example:PORT")).startsWith("HTTP/1.1 403");
  }

  @Test
  void anApiRequestFromAnotherSitesPageIsRefused() throws Exception {
    String events = readOnlyUrl + "api/services/" + service + "/events";
    HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(URI.create(events)).timeout(WAIT)
        .header("Origin", "http://evil.example").build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> crossSite = http.send(HttpRequest.newBuilder(URI.create(readOnlyUrl + "api/services"))
        .timeout(WAIT).header("Sec-Fetch-Site", "cross-site").build(), HttpResponse.BodyHandlers.ofString());

    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(json(foreign).get("error").getAsString()).contains("cross-origin request refused", "evil.example");
    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(get(readOnlyUrl, "api/services").statusCode()).as("no Origin: the page or a tool").isEqualTo(200);
  }

  @Test
  void malformedAndOversizedBodiesAreRefused() throws Exception {
    assertThat(post(writableUrl, "COUNT", "7").statusCode()).isEqualTo(400);
    assertThat(post(writableUrl, "COUNT", "{\"value\":7}").statusCode()).isEqualTo(400);
    String big = "{\"value\":\"" + "x".repeat(WebResponses.MAX_BODY_BYTES) + "\"}";
    assertThat(post(writableUrl, "NAME", big).statusCode()).isEqualTo(413);
  }

  @Test
  void theHistoryHoldsTheLastStoredValuesOldestFirst() throws Exception {
    client.keyword("AZ").write("10");
    client.keyword("AZ").write("20");
    long last = client.keyword("AZ").write("30").seq();

    HttpResponse<String> r = get(readOnlyUrl, "api/services/" + service + "/history/AZ?n=2");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    var values = json(r).getAsJsonArray("values").asList().stream().map(e -> e.getAsJsonObject()).toList();
    assertThat(values).extracting(v -> v.get("ascii").getAsString()).containsExactly("20.000", "30.000");
    assertThat(values.get(1).get("seq").getAsLong()).isEqualTo(last);
    assertThat(get(readOnlyUrl, "api/services/" + service + "/history/AZ?n=0").statusCode()).isEqualTo(400);
    assertThat(get(readOnlyUrl, "api/services/" + service + "/history/AZ?n=x&y").statusCode()).isEqualTo(400);
    assertThat(get(readOnlyUrl, "api/services/" + service + "/history/UNSET").body()).contains("\"values\":[]");
  }

  @Test
  void eventStreamsBeyondTheLimitAreAnswered503(RedisServer server) throws Exception {
    try (KtlProcess web = KtlProcess.start(server.url(), "web", "--port", "0")) { // its own: the streams fill it
      String base = serving(web, "read-only");
      HttpRequest events = HttpRequest.newBuilder(URI.create(base + "api/services/" + service + "/events"))
          .timeout(WAIT).build();
      List<InputStream> open = new ArrayList<>();
      try {
        for (int i = 0; i < WebServer.MAX_STREAMS; i++) {
          HttpResponse<InputStream> r = http.send(events, HttpResponse.BodyHandlers.ofInputStream()); // headers only
          open.add(r.body());
          assertThat(r.statusCode()).as("stream %d", i + 1).isEqualTo(200);
        }
        HttpResponse<String> refused = http.send(events, HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(json(refused).get("error").getAsString()).contains("too many open event streams");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
      } finally {
        for (InputStream in : open) {
          in.close();
        }
      }
      // each stream's slot comes back when its browser is gone (found by the next keepalive write)
      await().atMost(WAIT).until(() -> {
        HttpResponse<InputStream> r = http.send(events, HttpResponse.BodyHandlers.ofInputStream());
        r.body().close();
        return r.statusCode() == 200;
      });
    }
  }

  @Test
  void theEventStreamSendsEachValueTheDispatcherStores() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<Flow.Subscription> subscribed = new CompletableFuture<>();
    http.sendAsync(HttpRequest.newBuilder(URI.create(readOnlyUrl + "api/services/" + service + "/events"))
        .timeout(WAIT).build(),
        HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<String>() {
          @Override
          public void onSubscribe(Flow.Subscription s) {
            subscribed.complete(s);
            s.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(String line) {
            lines.add(line);
          }

          @Override
          public void onError(Throwable e) {}

          @Override
          public void onComplete() {}
        }));
    try {
      await().atMost(WAIT).until(() -> lines.stream().anyMatch(l -> l.contains("\"keyword\":\"AZ\"")));
      long seq = client.keyword("NAME").write("seen on the stream").seq();

      await().atMost(WAIT).untilAsserted(() -> assertThat(lines).anySatisfy(l -> assertThat(l)
          .startsWith("data: {\"keyword\":\"NAME\",\"ascii\":\"seen on the stream\",\"binary\":\"seen on the stream\","
              + "\"seq\":" + seq + ",")));
      assertThat(lines).contains("event: value");
    } finally {
      subscribed.thenAccept(Flow.Subscription::cancel);
    }
  }
}
