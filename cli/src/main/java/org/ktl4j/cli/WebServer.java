package org.ktl4j.cli;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ktl4j.internal.protocol.Names;
import org.ktl4j.internal.protocol.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of {@code ktl web}: the JDK's {@link HttpServer} on one address, the page's static files
 * ({@link WebStaticFiles}) and the JSON API ({@link WebApi}). It owns its threads and stops them in
 * {@link #close()}:
 *
 * <ul>
 *   <li>{@value #REQUEST_THREADS} request threads {@code ktl-web-N}, with at most {@value #REQUEST_BACKLOG}
 *       requests waiting; a request beyond that has its connection closed at once (the JDK server closes it when
 *       the executor refuses), with a rate-limited warning;</li>
 *   <li>at most {@value #MAX_STREAMS} event-stream threads {@code ktl-web-events-N}, one per open
 *       {@link EventStream} (a browser tab), started on demand and ended when idle; a stream beyond the limit is
 *       answered 503;</li>
 *   <li>one watchdog thread {@code ktl-web-watchdog}, which every {@value #WATCHDOG_SECONDS} s ends the event
 *       streams whose socket write made no progress for {@value EventStream#STALL_SECONDS} s (a browser that
 *       stopped reading);</li>
 *   <li>the JDK server's own dispatcher and timer threads.</li>
 * </ul>
 *
 * <p>A request must be read within {@value #REQUEST_READ_SECONDS} s, headers and body (the JDK server's
 * {@code sun.net.httpserver.maxReqTime}, set unless the user set it), so that a slow sender cannot hold a request
 * thread; there is no response deadline, which would cut the long-lived event streams (the watchdog bounds those).
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
  /** Seconds a client has to send a request's headers and body (the JDK's {@code maxReqTime}). */
  static final int REQUEST_READ_SECONDS = 30;
  /** Seconds between the watchdog's looks at the event streams. */
  static final int WATCHDOG_SECONDS = 5;

  private static final Logger log = LoggerFactory.getLogger(WebServer.class);
  private static final RateLimitedLog overloaded = new RateLimitedLog(log, Duration.ofMinutes(1));
  private static final RateLimitedLog failures = new RateLimitedLog(log, Duration.ofMinutes(1));

  private final HttpServer http;
  private final ThreadPoolExecutor requests;
  private final ThreadPoolExecutor streams;
  private final ScheduledExecutorService watchdog;
  private final WebOrigins origins;
  private final WebApi api;

  private WebServer(HttpServer http, ClientSession session, boolean allowWrites, List<String> hosts) {
    this.http = http;
    this.origins = new WebOrigins(http.getAddress(), hosts);
    // refusing by throwing makes the JDK server close the connection at once (the client sees it), where a
    // handler that only logged would leave the connection open, unanswered, for ever
    this.requests = new ThreadPoolExecutor(REQUEST_THREADS, REQUEST_THREADS, 0, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(REQUEST_BACKLOG), named("ktl-web-"), (r, pool) -> {
          overloaded.warn(() -> "ktl web: " + REQUEST_BACKLOG + " requests waiting; closing a new connection");
          throw new RejectedExecutionException("ktl web: " + REQUEST_BACKLOG + " requests waiting");
        });
    // the queue never holds more than MAX_STREAMS tasks: WebApi takes a slot before it submits a stream
    this.streams = new ThreadPoolExecutor(MAX_STREAMS, MAX_STREAMS, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(MAX_STREAMS), named("ktl-web-events-"));
    streams.allowCoreThreadTimeOut(true);
    this.api = new WebApi(session, allowWrites, origins, streams, MAX_STREAMS);
    this.watchdog = Executors.newSingleThreadScheduledExecutor(named("ktl-web-watchdog"));
    watchdog.scheduleWithFixedDelay(api::closeStalledStreams, WATCHDOG_SECONDS, WATCHDOG_SECONDS, TimeUnit.SECONDS);
    http.setExecutor(requests);
    http.createContext("/api/", guarded(api));
    http.createContext("/", guarded(new WebStaticFiles()));
  }

  /**
   * Binds {@code address} ({@code port 0}: a free port) and starts serving.
   *
   * @throws IllegalArgumentException if the address cannot be bound (in use, not this machine's)
   */
  static WebServer start(InetSocketAddress address, ClientSession session, boolean allowWrites,
      List<String> hosts) {
    hosts.forEach(WebOrigins::checkedName); // refused before anything is bound
    // read once, when the JDK server's classes load: so before the first HttpServer.create
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(REQUEST_READ_SECONDS));
    }
    HttpServer http;
    try {
      http = HttpServer.create(address, 64);
    } catch (BindException e) {
      throw new IllegalArgumentException("cannot listen on " + WebOrigins.hostPort(address.getAddress(),
          address.getPort()) + ": " + e.getMessage() + " (use --port to choose another port, --port 0 for any)", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    WebServer server = new WebServer(http, session, allowWrites, hosts);
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
        failures.warn(() -> "ktl web: " + printable(ex.getRequestMethod()) + " "
            + printable(ex.getRequestURI().getRawPath()) + " failed: " + printable(e.toString()));
        try {
          WebResponses.error(ex, 500, "internal error: " + e.getMessage());
        } catch (IOException | RuntimeException again) {
          ex.close(); // headers were sent already
        }
      }
    };
  }

  private static String printable(String s) {
    return Names.printable(s);
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix.endsWith("-") ? prefix + n.incrementAndGet() : prefix);
      t.setDaemon(true);
      return t;
    };
  }

  /** Stops accepting, ends every event stream and subscription, and stops the threads. Idempotent. */
  @Override
  public void close() {
    http.stop(0);
    watchdog.shutdownNow();
    api.close();
    requests.shutdownNow();
    streams.shutdownNow();
    try {
      watchdog.awaitTermination(5, TimeUnit.SECONDS);
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
