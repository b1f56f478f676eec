package org.ktl4j.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A headless Chromium driven through the DevTools protocol with the JDK alone ({@link HttpClient} and its
 * {@link WebSocket}): start it, {@link #navigate} one page, {@link #evaluate} JavaScript in it. Enough for an end to
 * end test of {@code ktl web}; not a general driver.
 *
 * <p>It runs {@code chromium --headless=new} with a fresh profile directory and {@code --remote-debugging-port=0},
 * reads the {@code DevTools listening on ws://…} line from its stderr to learn the port, and talks to the first page
 * target. {@link #close()} kills the browser and its child processes and deletes the profile. If {@code chromium}
 * is not on the PATH, {@link #start()} fails with a message saying how to install it.
 *
 * <p>Thread-safe for one test at a time. Cost: a browser (a few hundred MB) per instance.
 */
final class HeadlessChromium implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(60);
  private static final Duration CALL = Duration.ofSeconds(30);
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://[^\\s]+)");

  private final Process process;
  private final Path profile;
  private final List<String> stderr = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<Integer, CompletableFuture<JsonObject>> calls = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private WebSocket page;

  private HeadlessChromium(Process process, Path profile) {
    this.process = process;
    this.profile = profile;
  }

  /**
   * Starts a headless Chromium and connects to its page.
   *
   * @throws AssertionError if {@code chromium} is not installed
   */
  static HeadlessChromium start() throws IOException, InterruptedException {
    String binary = binary();
    Path profile = Files.createTempDirectory("ktl-web-chromium-");
    Process p = new ProcessBuilder(binary, "--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--disable-crash-reporter",
        "--disable-breakpad", "--remote-debugging-port=0",
        "--user-data-dir=" + profile, "about:blank").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    HeadlessChromium chromium = new HeadlessChromium(p, profile);
    try {
      chromium.connect();
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      try {
        chromium.close();
      } catch (RuntimeException | Error again) {
        e.addSuppressed(again); // the start's failure is the one to report
      }
      throw e;
    }
    return chromium;
  }

  /** The chromium binary on the PATH; fails the test (not skips it) if there is none. */
  private static String binary() {
    for (String name : List.of("chromium", "chromium-browser")) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
        Path p = Path.of(dir, name);
        if (!dir.isEmpty() && Files.isExecutable(p)) {
          return p.toString();
        }
      }
    }
    throw new AssertionError("chromium is not on the PATH: the ktl web end-to-end test needs a headless Chromium. "
        + "Install it (Debian: sudo apt-get install chromium), then run the test again.");
  }

  private void connect() throws IOException, InterruptedException {
    CompletableFuture<String> browserUrl = new CompletableFuture<>();
    Thread pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          stderr.add(line);
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            browserUrl.complete(m.group(1));
          }
        }
      } catch (IOException e) {
        // the browser is gone
      }
      browserUrl.completeExceptionally(new IllegalStateException("chromium exited: " + stderr));
    }, "chromium-stderr");
    pump.setDaemon(true);
    pump.start();
    String ws;
    try {
      ws = browserUrl.get(STARTUP.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("chromium did not start its DevTools server: " + stderr, e);
    }
    URI browser = URI.create(ws);
    String list = http.send(HttpRequest.newBuilder(URI.create("http://" + browser.getAuthority() + "/json/list"))
        .timeout(CALL).build(), HttpResponse.BodyHandlers.ofString()).body();
    String pageUrl = null;
    for (JsonElement t : JsonParser.parseString(list).getAsJsonArray()) {
      JsonObject target = t.getAsJsonObject();
      if (target.get("type").getAsString().equals("page")) {
        pageUrl = target.get("webSocketDebuggerUrl").getAsString();
        break;
      }
    }
    if (pageUrl == null) {
      throw new IllegalStateException("chromium has no page target: " + list);
    }
    page = http.newWebSocketBuilder().connectTimeout(CALL).buildAsync(URI.create(pageUrl), new Listener())
        .join();
  }

  /** Receives the DevTools answers (text frames, possibly in parts) and completes the waiting calls. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder message = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      message.append(data);
      if (last) {
        JsonObject json = JsonParser.parseString(message.toString()).getAsJsonObject();
        message.setLength(0);
        if (json.has("id")) {
          CompletableFuture<JsonObject> call = calls.remove(json.get("id").getAsInt());
          if (call != null) {
            call.complete(json);
          }
        }
      }
      ws.request(1);
      return null;
    }
  }

  /** Sends one DevTools command and waits for its result. */
  JsonObject call(String method, JsonObject params) {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonObject> answer = new CompletableFuture<>();
    calls.put(id, answer);
    JsonObject message = new JsonObject();
    message.addProperty("id", id);
    message.addProperty("method", method);
    message.add("params", params);
    synchronized (this) {
      page.sendText(message.toString(), true).orTimeout(CALL.toSeconds(), TimeUnit.SECONDS).join();
    }
    JsonObject json = answer.orTimeout(CALL.toSeconds(), TimeUnit.SECONDS).join();
    if (json.has("error")) {
      throw new IllegalStateException(method + " failed: " + json.get("error"));
    }
    return json.getAsJsonObject("result");
  }

  /** Loads {@code url} in the page. */
  void navigate(String url) {
    JsonObject params = new JsonObject();
    params.addProperty("url", url);
    call("Page.navigate", params);
  }

  /**
   * Evaluates a JavaScript expression in the page (awaiting a promise) and returns its value as a string: a
   * string as it is, anything else as JSON; {@code null} for undefined or null.
   */
  String evaluate(String expression) {
    JsonObject params = new JsonObject();
    params.addProperty("expression", expression);
    params.addProperty("returnByValue", true);
    params.addProperty("awaitPromise", true);
    JsonObject result = call("Runtime.evaluate", params);
    if (result.has("exceptionDetails")) {
      throw new IllegalStateException("'" + expression + "' threw: " + result.get("exceptionDetails"));
    }
    JsonElement value = result.getAsJsonObject("result").get("value");
    if (value == null || value.isJsonNull()) {
      return null;
    }
    return value.isJsonPrimitive() && value.getAsJsonPrimitive().isString() ? value.getAsString() : value.toString();
  }

  /** What chromium printed on stderr, for assertion messages. */
  List<String> stderr() {
    return List.copyOf(stderr);
  }

  /**
   * Kills the browser and every process it started (children of children too, each killed before it can start
   * another), and deletes its profile directory.
   */
  @Override
  public void close() {
    if (page != null) {
      page.abort();
    }
    // the tree as first seen (before any kill reparents a grandchild), then whatever its members start meanwhile
    java.util.Set<ProcessHandle> killed = new java.util.LinkedHashSet<>();
    killed.add(process.toHandle());
    for (int round = 0; round < 5; round++) {
      killed.addAll(killed.stream().flatMap(ProcessHandle::descendants).toList());
      List<ProcessHandle> alive = killed.stream().filter(ProcessHandle::isAlive).toList();
      if (alive.isEmpty()) {
        break;
      }
      alive.forEach(ProcessHandle::destroyForcibly);
    }
    try {
      for (ProcessHandle p : killed) {
        p.onExit().get(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // deleting the profile below may then fail: reported by the walk
    }
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete chromium's profile " + profile, e);
    }
  }
}
