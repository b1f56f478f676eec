package org.ktl4j.cli;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of {@code ktl web}: the JDK's {@link HttpServer} on one address, the page's static files
 * ({@link WebStaticFiles}) and the JSON API ({@link WebApi}). It owns its threads and stops them in
 * {@link #close()}:
 *
 * <ul>
 *   <li>{@value #REQUEST_THREADS} request threads {@code ktl-web-N}, with at most {@value #REQUEST_BACKLOG}
 *       requests waiting (more are dropped with a logged warning);</li>
 *   <li>at most {@value #MAX_STREAMS} event-stream threads {@code ktl-web-events-N}, one per open
 *       {@link EventStream} (a browser tab), started on demand and ended when idle; a stream beyond the limit is
 *       answered 503;</li>
 *   <li>the JDK server's own dispatcher thread.</li>
 * </ul>
 *
 * <p>Every request must name this server in its {@code Host} header ({@link WebOrigins}); any failure is answered
 * as a JSON error, never as a stack trace. Thread-safe. Cost: the threads above, and one
 * {@link ServiceFeed} per service watched.
 */
final class WebServer implements AutoCloseable {
  /** Threads that answer requests (writes wait for the dispatcher's {@code done} on them). */
  static final int REQUEST_THREADS = 4;
  /** Requests accepted while every request thread is busy. */
  static final int REQUEST_BACKLOG = 256;
  /** Event streams (browser tabs) served at once. */
  static final int MAX_STREAMS = 32;

  private static final Logger log = LoggerFactory.getLogger(WebServer.class);

  private final HttpServer http;
  private final ThreadPoolExecutor requests;
  private final ThreadPoolExecutor streams;
  private final WebOrigins origins;
  private final WebApi api;

  private WebServer(HttpServer http, ClientSession session, boolean allowWrites) {
    this.http = http;
    this.origins = new WebOrigins(http.getAddress());
    this.requests = new ThreadPoolExecutor(REQUEST_THREADS, REQUEST_THREADS, 0, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(REQUEST_BACKLOG), named("ktl-web-"),
        (r, pool) -> log.warn("ktl web: {} requests waiting; dropping one", REQUEST_BACKLOG));
    // the queue never holds more than MAX_STREAMS tasks: WebApi takes a slot before it submits a stream
    this.streams = new ThreadPoolExecutor(MAX_STREAMS, MAX_STREAMS, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), named("ktl-web-events-"));
    streams.allowCoreThreadTimeOut(true);
    this.api = new WebApi(session, allowWrites, origins, streams, MAX_STREAMS);
    http.setExecutor(requests);
    http.createContext("/api/", guarded(api));
    http.createContext("/", guarded(new WebStaticFiles()));
  }

  /**
   * Binds {@code address} ({@code port 0}: a free port) and starts serving.
   *
   * @throws IllegalArgumentException if the address cannot be bound (in use, not this machine's)
   */
  static WebServer start(InetSocketAddress address, ClientSession session, boolean allowWrites) {
    HttpServer http;
    try {
      http = HttpServer.create(address, 64);
    } catch (BindException e) {
      throw new IllegalArgumentException("cannot listen on " + WebOrigins.hostPort(address.getAddress(),
          address.getPort()) + ": " + e.getMessage() + " (use --port to choose another port, --port 0 for any)", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    WebServer server = new WebServer(http, session, allowWrites);
    http.start();
    return server;
  }

  /** {@code http://127.0.0.1:8765/}: where the page is. */
  String url() {
    InetSocketAddress a = http.getAddress();
    return "http://" + WebOrigins.hostPort(a.getAddress(), a.getPort()) + "/";
  }

  /** The handler behind the Host check, answering any failure as a JSON error. */
  private HttpHandler guarded(HttpHandler handler) {
    return ex -> {
      try {
        if (!origins.hostAllowed(ex)) {
          WebResponses.error(ex, 403, "Host header '" + printable(ex.getRequestHeaders().getFirst("Host"))
              + "' does not name this server; use the address ktl web printed");
          return;
        }
        handler.handle(ex);
      } catch (IOException e) {
        ex.close(); // the browser went away
      } catch (RuntimeException e) {
        log.warn("ktl web: {} {} failed: {}", ex.getRequestMethod(), printable(ex.getRequestURI().getRawPath()),
            e.toString());
        try {
          WebResponses.error(ex, 500, "internal error: " + e.getMessage());
        } catch (IOException | RuntimeException again) {
          ex.close(); // headers were sent already
        }
      }
    };
  }

  private static String printable(String s) {
    return org.ktl4j.internal.protocol.Names.printable(s);
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Stops accepting, ends every event stream and subscription, and stops the threads. Idempotent. */
  @Override
  public void close() {
    http.stop(0);
    api.close();
    requests.shutdownNow();
    streams.shutdownNow();
    try {
      requests.awaitTermination(5, TimeUnit.SECONDS);
      streams.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** For tests and logs: the address served. */
  InetSocketAddress address() {
    return http.getAddress();
  }
}
