package org.ktl4j.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.ktl4j.UnavailableException;
import org.ktl4j.client.Keyword;
import org.ktl4j.client.NoSuchKeywordException;
import org.ktl4j.client.NoSuchServiceException;
import org.ktl4j.client.Service;
import org.ktl4j.protocol.Names;

/**
 * The JSON API of {@code ktl web}, under {@code /api/}: the services, a service's keyword definitions, its live
 * values as server-sent events ({@link EventStream}, fed by one {@link ServiceFeed} per service), and writes
 * ({@link WebWrites}). The guide's section on {@code ktl web} lists the endpoints and their JSON.
 *
 * <p>Every path segment is hostile until {@link Names} accepts it (400 otherwise); names are checked on the raw,
 * still percent-encoded path, so an encoded character is refused, not decoded. Unknown services and keywords are
 * 404, a Redis that cannot be reached 503. Thread-safe. Cost: one Redis round trip per request, except the event
 * streams, which share one subscription per service.
 */
final class WebApi implements HttpHandler, AutoCloseable {
  private final ClientSession session;
  private final boolean allowWrites;
  private final WebWrites writes;
  private final Executor streamThreads;
  private final Semaphore streamSlots;
  private final int maxStreams;
  private final Map<String, ServiceFeed> feeds = new ConcurrentHashMap<>();
  private volatile boolean closed;

  WebApi(ClientSession session, boolean allowWrites, WebOrigins origins, Executor streamThreads, int maxStreams) {
    this.session = session;
    this.allowWrites = allowWrites;
    this.writes = new WebWrites(allowWrites, origins);
    this.streamThreads = streamThreads;
    this.streamSlots = new Semaphore(maxStreams);
    this.maxStreams = maxStreams;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    String[] p = path.substring("/api/".length()).split("/", -1);
    String route = p.length == 1 ? p[0] : p.length == 3 || p.length == 4 ? p[0] + "/" + p[2] : "";
    String method = switch (route) {
      case "services", "services/events" -> "GET";
      case "services/keywords" -> p.length == 3 ? "GET" : "POST";
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
      if (p.length == 4) {
        String keyword = Names.keyword(p[3]);
        writes.write(ex, session.service(name).keyword(keyword));
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
      WebResponses.error(ex, 400, e.getMessage()); // a name Names refused
    }
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

  /** Starts an event stream on a stream thread, or answers 503 when {@link WebServer#MAX_STREAMS} are open. */
  private void events(HttpExchange ex, Service svc) throws IOException {
    if (closed || !streamSlots.tryAcquire()) {
      ex.getResponseHeaders().set("Retry-After", "10");
      WebResponses.error(ex, 503, "too many open event streams (at most " + maxStreams + "); close a tab");
      return;
    }
    ServiceFeed feed = feeds.computeIfAbsent(svc.name(), n -> new ServiceFeed(svc));
    EventStream stream = new EventStream(svc.name(), ex, ended -> {
      feed.remove(ended);
      streamSlots.release();
    });
    WebResponses.securityHeaders(ex);
    ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    ex.sendResponseHeaders(200, 0);
    try {
      streamThreads.execute(stream);
    } catch (RejectedExecutionException e) { // the server is stopping
      streamSlots.release();
      ex.close();
      return;
    }
    feed.add(stream);
  }

  /** Ends every feed (their subscriptions and streams). */
  @Override
  public void close() {
    closed = true;
    feeds.values().forEach(ServiceFeed::close);
  }
}
