package org.ktl4j.cli;

import com.sun.net.httpserver.HttpExchange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which requests come from {@code ktl web}'s own page: the checks that keep a web page served from elsewhere from
 * driving the telescope through an operator's browser.
 *
 * <ul>
 *   <li>{@link #hostAllowed}: on a loopback address, the {@code Host} header must name it ({@code 127.0.0.1:PORT},
 *       {@code localhost:PORT}, {@code [::1]:PORT}), so that a page whose DNS name is re-bound to 127.0.0.1 (DNS
 *       rebinding) gets no answer at all. On another address any host name is accepted: the server cannot know
 *       every name it is reached by.</li>
 *   <li>{@link #sameOrigin}: a write must carry an {@code Origin} header equal to {@code http://} + its
 *       {@code Host}; browsers always send {@code Origin} with a POST, and a page elsewhere cannot forge it. A
 *       request without one (curl) is refused too: scripts write with {@code ktl modify}.</li>
 * </ul>
 *
 * <p>Immutable; thread-safe. Cost: a few string comparisons per request.
 */
final class WebOrigins {
  private final Set<String> hosts; // lowercase host:port values; empty: any

  WebOrigins(InetSocketAddress bound) {
    InetAddress a = bound.getAddress();
    int port = bound.getPort();
    if (a.isLoopbackAddress()) {
      hosts = Set.copyOf(List.of(hostPort(a, port), "localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port));
    } else {
      hosts = Set.of();
    }
  }

  /** {@code 127.0.0.1:8765} or {@code [::1]:8765}: how a URL names the address. */
  static String hostPort(InetAddress a, int port) {
    String h = a.getHostAddress();
    return (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
  }

  /** Whether the request's {@code Host} header names this server (always true off loopback, if present). */
  boolean hostAllowed(HttpExchange ex) {
    String host = ex.getRequestHeaders().getFirst("Host");
    if (host == null || host.isBlank()) {
      return false;
    }
    return hosts.isEmpty() || hosts.contains(host.strip().toLowerCase(Locale.ROOT));
  }

  /** Whether the request comes from a page served here: {@code Origin} is {@code http://HOST}, HOST allowed. */
  boolean sameOrigin(HttpExchange ex) {
    String origin = ex.getRequestHeaders().getFirst("Origin");
    String host = ex.getRequestHeaders().getFirst("Host");
    return origin != null && host != null && hostAllowed(ex)
        && origin.strip().equalsIgnoreCase("http://" + host.strip());
  }
}
