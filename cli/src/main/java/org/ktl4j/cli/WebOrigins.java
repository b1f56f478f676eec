package org.ktl4j.cli;

import com.sun.net.httpserver.HttpExchange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which requests come from {@code ktl web}'s own page: the checks that keep a web page served from elsewhere from
 * driving the telescope through an operator's browser.
 *
 * <ul>
 *   <li>{@link #hostAllowed}: the {@code Host} header must name this server with its port, so that a page whose DNS
 *       name is re-bound to this server's address (DNS rebinding) gets no answer at all. Allowed are the bound
 *       address as an IP literal ({@code 192.0.2.7:PORT}; bound to {@code 0.0.0.0} or {@code ::}, every address of
 *       this machine's interfaces, as they were when the server started), on loopback also {@code localhost:PORT},
 *       {@code 127.0.0.1:PORT} and {@code [::1]:PORT}, and every name given with {@code --host NAME}
 *       ({@code NAME:PORT}).</li>
 *   <li>{@link #notCrossSite}: every API request that a browser marks as coming from another page (an
 *       {@code Origin} other than this server's, or {@code Sec-Fetch-Site: cross-site}/{@code same-site}) is
 *       refused, so that no other site can read the API or hold its event streams.</li>
 *   <li>{@link #sameOrigin}: a write must carry an {@code Origin} header equal to {@code http://} + its
 *       {@code Host}; browsers always send {@code Origin} with a POST, and a page elsewhere cannot forge it. A
 *       request without one (curl) is refused too: scripts write with {@code ktl modify}.</li>
 * </ul>
 *
 * <p>Immutable; thread-safe. Cost: a few string comparisons per request.
 */
final class WebOrigins {
  /** What {@code --host} accepts: a DNS name or an IP literal (IPv6 in brackets), without a port. */
  private static final Pattern HOST_NAME =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]{2,45}\\]");

  private final Set<String> hosts; // lowercase host:port values

  /** The checks of a server bound to {@code bound}, reached also by the {@code names} of {@code --host}. */
  WebOrigins(InetSocketAddress bound, Collection<String> names) {
    this(bound, names, bound.getAddress().isAnyLocalAddress() ? interfaceAddresses() : List.of());
  }

  /** As above, {@code local} being this machine's addresses (used only when bound to the wildcard address). */
  WebOrigins(InetSocketAddress bound, Collection<String> names, Collection<InetAddress> local) {
    InetAddress a = bound.getAddress();
    int port = bound.getPort();
    List<String> allowed = new ArrayList<>();
    allowed.add(hostPort(a, port));
    if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
      allowed.addAll(List.of("localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port));
    }
    if (a.isAnyLocalAddress()) {
      local.forEach(l -> allowed.add(hostPort(l, port)));
    }
    for (String n : names) {
      allowed.add(checkedName(n) + ":" + port);
    }
    Set<String> set = new HashSet<>();
    for (String h : allowed) {
      String c = canonical(h);
      set.add(c);
      if (port == 80) { // a browser leaves the default port out of Host
        set.add(c.substring(0, c.lastIndexOf(':')));
      }
    }
    hosts = Set.copyOf(set);
  }

  /**
   * A {@code Host} value in the one form compared: lowercase, an IPv6 literal in the JDK's full form ({@code [::1]}
   * and {@code [0:0:0:0:0:0:0:1]} are one address). A bracketed text is parsed as an IPv6 literal only, never
   * looked up in DNS.
   */
  private static String canonical(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    int close = h.indexOf(']');
    if (h.startsWith("[") && close > 0) {
      try {
        return hostPort(InetAddress.getByName(h.substring(0, close + 1)), 0).replaceFirst(":0$", "")
            + h.substring(close + 1);
      } catch (UnknownHostException e) {
        return h; // not an IPv6 literal: matches nothing allowed
      }
    }
    return h;
  }

  /**
   * A {@code --host} value, stripped.
   *
   * @throws IllegalArgumentException unless it is a DNS name or an IP literal without a port
   */
  static String checkedName(String name) {
    String n = name.strip();
    if (!HOST_NAME.matcher(n).matches()) {
      throw new IllegalArgumentException("--host '" + org.ktl4j.internal.protocol.Names.printable(name)
          + "': not a host name (letters, digits, '.', '-'; an IPv6 address in brackets; no port)");
    }
    return n;
  }

  private static List<InetAddress> interfaceAddresses() {
    List<InetAddress> all = new ArrayList<>();
    try {
      for (NetworkInterface i : NetworkInterface.networkInterfaces().toList()) {
        all.addAll(i.inetAddresses().toList());
      }
    } catch (SocketException e) {
      // no interfaces listed: only the loopback names and --host names are accepted
    }
    return all;
  }

  /** {@code 127.0.0.1:8765} or {@code [::1]:8765}: how a URL names the address (without an IPv6 scope). */
  static String hostPort(InetAddress a, int port) {
    String h = a.getHostAddress();
    int scope = h.indexOf('%');
    if (scope >= 0) {
      h = h.substring(0, scope);
    }
    return (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
  }

  /** Whether the request's {@code Host} header names this server. */
  boolean hostAllowed(HttpExchange ex) {
    return hostAllowed(ex.getRequestHeaders().getFirst("Host"));
  }

  /** Whether a {@code Host} header value names this server. */
  boolean hostAllowed(String host) {
    return host != null && host.length() <= 300 && hosts.contains(canonical(host));
  }

  /**
   * Whether the request may be an API request from the page or a tool: no {@code Origin}, or this server's, and no
   * {@code Sec-Fetch-Site} saying another site (or another port of this one) sent it.
   */
  boolean notCrossSite(HttpExchange ex) {
    return notCrossSite(ex.getRequestHeaders().getFirst("Host"), ex.getRequestHeaders().getFirst("Origin"),
        ex.getRequestHeaders().getFirst("Sec-Fetch-Site"));
  }

  /** {@link #notCrossSite(HttpExchange)} on header values (each null when absent). */
  boolean notCrossSite(String host, String origin, String fetchSite) {
    if (fetchSite != null) {
      String s = fetchSite.strip().toLowerCase(Locale.ROOT);
      if (s.equals("cross-site") || s.equals("same-site")) {
        return false;
      }
    }
    return origin == null || sameOrigin(host, origin);
  }

  /** Whether the request comes from a page served here: {@code Origin} is {@code http://HOST}, HOST allowed. */
  boolean sameOrigin(HttpExchange ex) {
    return sameOrigin(ex.getRequestHeaders().getFirst("Host"), ex.getRequestHeaders().getFirst("Origin"));
  }

  /** {@link #sameOrigin(HttpExchange)} on header values (each null when absent). */
  boolean sameOrigin(String host, String origin) {
    return origin != null && host != null && hostAllowed(host)
        && origin.strip().equalsIgnoreCase("http://" + host.strip());
  }
}
