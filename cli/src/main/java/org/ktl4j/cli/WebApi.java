package org.ktl4j.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.ktl4j.UnavailableException;
import org.ktl4j.client.Keyword;
import org.ktl4j.client.KeywordValue;
import org.ktl4j.client.NoSuchKeywordException;
import org.ktl4j.client.NoSuchServiceException;
import org.ktl4j.client.Service;
import org.ktl4j.internal.protocol.Names;
import org.ktl4j.internal.protocol.RateLimitedLog;
import org.slf4j.LoggerFactory;

/**
 * The JSON API of {@code ktl web}, under {@code /api/}: the services, a service's keyword definitions, its live
 * values as server-sent events ({@link EventStream}, fed by one {@link ServiceFeed} per service), a keyword's
 * stored history ({@link Keyword#history(int)}, for the plot), and writes ({@link WebWrites}). The guide's
 * section on {@code ktl web} lists the endpoints and their JSON.
 *
 * <p>Every path segment is hostile until {@link Names} accepts it (400 otherwise); names are checked on the raw,
 * still percent-encoded path, so an encoded character is refused, not decoded. A request that a browser marks as
 * sent by another site's page is refused with 403 before anything else ({@link WebOrigins#notCrossSite}), so that
 * no other site can read the API or hold its event streams. Unknown services and keywords are 404, a Redis that
 * cannot be reached 503. The keywords endpoint re-reads the definitions each time ({@link Service#refresh()}), so a
 * reloaded page, or one whose event stream reconnected, shows the dispatcher's current ones. Thread-safe. Cost:
 * one Redis round trip per request (two for the keywords), except the event streams, which share one subscription
 * per service.
 */
final class WebApi implements HttpHandler, AutoCloseable {
  /** Values a history request returns without {@code ?n=}. */
  static final int DEFAULT_HISTORY = 100;
  /** Most values one history request returns (the page plots at most 500). */
  static final int MAX_HISTORY = 1000;

  private static final RateLimitedLog watchdogFailed =
      new RateLimitedLog(LoggerFactory.getLogger(WebApi.class), java.time.Duration.ofMinutes(1));

  private final ClientSession session;
  private final boolean allowWrites;
  private final WebOrigins origins;
  private final WebWrites writes;
  private final Executor streamThreads;
  private final Semaphore streamSlots;
  private final int maxStreams;
  private final Map<String, ServiceFeed> feeds = new ConcurrentHashMap<>();
  private volatile boolean closed;

  WebApi(ClientSession session, boolean allowWrites, WebOrigins origins, Executor streamThreads, int maxStreams) {
    this.session = session;
    this.allowWrites = allowWrites;
    this.origins = origins;
    this.writes = new WebWrites(allowWrites, origins);
    this.streamThreads = streamThreads;
    this.streamSlots = new Semaphore(maxStreams);
    this.maxStreams = maxStreams;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    if (!origins.notCrossSite(ex)) {
      WebResponses.error(ex, 403, "cross-origin request refused: " + Names.printable(path) + " answers only ktl "
          + "web's own page, and this request came from another (Origin " + header(ex, "Origin")
          + ", Sec-Fetch-Site " + header(ex, "Sec-Fetch-Site") + ")");
      return;
    }
    String[] p = path.substring("/api/".length()).split("/", -1);
    String route = p.length == 1 ? p[0] : p.length == 3 || p.length == 4 ? p[0] + "/" + p[2] : "";
    String method = switch (route) {
      case "services" -> "GET";
      case "services/events" -> p.length == 3 ? "GET" : null;
      case "services/keywords" -> p.length == 3 ? "GET" : "POST";
      case "services/history" -> p.length == 4 ? "GET" : null;
      default -> null;
    };
    if (method == null) {
      WebResponses.error(ex, 404, "no such endpoint: " + Names.printable(path));
      return;
    }
    if (!ex.getRequestMethod().equals(method)) {
      ex.getResponseHeaders().set("Allow", method);
      WebResponses.error(ex, 405, ex.getRequestMethod() + " is not allowed on " + Names.printable(path)
          + "; use " + method);
      return;
    }
    try {
      if (p.length == 1) {
        services(ex);
        return;
      }
      String name = Names.service(p[1]);
      if (route.equals("services/history")) {
        int n = count(ex.getRequestURI().getRawQuery());
        history(ex, session.service(name).keyword(Names.keyword(p[3])), n);
      } else if (p.length == 4) {
        String keyword = Names.keyword(p[3]);
        writes.write(ex, name + "." + keyword, () -> session.service(name).keyword(keyword));
      } else if (route.equals("services/events")) {
        events(ex, session.service(name));
      } else {
        keywords(ex, session.service(name));
      }
    } catch (NoSuchServiceException | NoSuchKeywordException e) {
      WebResponses.error(ex, 404, e.getMessage());
    } catch (UnavailableException e) {
      WebResponses.error(ex, 503, e.getMessage());
    } catch (IllegalArgumentException e) {
      WebResponses.error(ex, 400, e.getMessage()); // a name Names refused, or a bad ?n=
    }
  }

  private static String header(HttpExchange ex, String name) {
    String v = ex.getRequestHeaders().getFirst(name);
    return v == null ? "none" : "'" + Names.printable(v) + "'";
  }

  /** {@code {"writes":B,"services":[NAME…]}}. */
  private void services(HttpExchange ex) throws IOException {
    var names = session.serviceNames();
    WebResponses.json(ex, 200, JsonLines.line(w -> {
      w.name("writes").value(allowWrites);
      w.name("services").beginArray();
      for (String n : names) {
        w.value(n);
      }
      w.endArray();
    }));
  }

  /** {@code {"service":S,"writes":B,"keywords":[DEFINITION…]}}, a definition as {@code ktl describe --json}. */
  private void keywords(HttpExchange ex, Service svc) throws IOException {
    svc.refresh(); // the dispatcher may have restarted with other definitions since they were read
    WebResponses.json(ex, 200, JsonLines.line(w -> {
      w.name("service").value(svc.name());
      w.name("writes").value(allowWrites);
      w.name("keywords").beginArray();
      for (Keyword kw : svc.keywords()) {
        w.beginObject();
        JsonLines.definition(w, kw);
        w.endObject();
      }
      w.endArray();
    }));
  }

  /**
   * {@code {"service":S,"keyword":K,"values":[VALUE…]}}: the last {@code n} stored values, oldest first, each with
   * the value fields of {@link JsonLines#value}; empty when the dispatcher keeps no history.
   */
  private void history(HttpExchange ex, Keyword kw, int n) throws IOException {
    List<KeywordValue> values = kw.history(n);
    WebResponses.json(ex, 200, JsonLines.line(w -> {
      w.name("service").value(kw.service().name());
      w.name("keyword").value(kw.name());
      w.name("values").beginArray();
      for (KeywordValue v : values) {
        w.beginObject();
        JsonLines.value(w, Optional.of(v));
        w.endObject();
      }
      w.endArray();
    }));
  }

  /**
   * The {@code n} of a history query ({@code ?n=N}): {@value #DEFAULT_HISTORY} without one.
   *
   * @throws IllegalArgumentException unless it is 1 to {@value #MAX_HISTORY}
   */
  static int count(String query) {
    if (query == null || query.isEmpty()) {
      return DEFAULT_HISTORY;
    }
    if (!query.matches("n=\\d{1,5}")) {
      throw new IllegalArgumentException("the history query must be n=N, N from 1 to " + MAX_HISTORY + ", not '"
          + Names.printable(query) + "'");
    }
    int n = Integer.parseInt(query.substring(2));
    if (n < 1 || n > MAX_HISTORY) {
      throw new IllegalArgumentException("n must be 1 to " + MAX_HISTORY + ", got " + n);
    }
    return n;
  }

  /**
   * Starts an event stream on a stream thread, or answers 503 when {@link WebServer#MAX_STREAMS} are open or the
   * service's subscription cannot be opened. The slot taken is released on every path that does not hand the
   * stream to its thread (whose end releases it).
   */
  private void events(HttpExchange ex, Service svc) throws IOException {
    if (closed || !streamSlots.tryAcquire()) {
      ex.getResponseHeaders().set("Retry-After", "10");
      WebResponses.error(ex, 503, "too many open event streams (at most " + maxStreams + "); close a tab");
      return;
    }
    ServiceFeed feed = feeds.computeIfAbsent(svc.name(), n -> new ServiceFeed(svc));
    EventStream stream = new EventStream(svc.name(), svc.keywords().size(), ex, ended -> {
      feed.remove(ended);
      streamSlots.release();
    });
    boolean started = false;
    try {
      if (!feed.add(stream)) { // subscribes first: a failure can still be answered (503, by handle)
        WebResponses.error(ex, 503, "ktl web is stopping");
        return;
      }
      WebResponses.securityHeaders(ex);
      ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      ex.sendResponseHeaders(200, 0);
      streamThreads.execute(stream);
      started = true;
    } catch (RejectedExecutionException e) { // the server is stopping; the headers are sent
      ex.close();
    } finally {
      if (!started) {
        stream.close("not started");
        feed.remove(stream);
        streamSlots.release();
      }
    }
  }

  /** Ends the event streams whose socket write stalled; run by {@link WebServer}'s watchdog. Never throws. */
  void closeStalledStreams() {
    try {
      long now = System.nanoTime();
      feeds.values().forEach(f -> f.closeStalled(now));
    } catch (RuntimeException e) {
      watchdogFailed.warn(() -> "ktl web: the event-stream watchdog failed: " + Names.printable(e.toString()));
    }
  }

  /** Ends every feed (their subscriptions and streams). */
  @Override
  public void close() {
    closed = true;
    feeds.values().forEach(ServiceFeed::close);
  }
}
