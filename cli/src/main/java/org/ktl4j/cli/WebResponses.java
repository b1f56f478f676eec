package org.ktl4j.cli;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * How {@code ktl web} answers an HTTP request: JSON bodies (written with {@link JsonLines}, so pure ASCII), one-line
 * JSON errors ({@code {"error":"..."}}), the security headers every answer carries, and reading a request body with
 * a size cap. The headers forbid framing (so no other page can lay the write buttons under its own), sniffing and
 * caching, and limit scripts to the page's own.
 *
 * <p>Stateless; thread-safe. Cost: one copy of each body.
 */
final class WebResponses {
  /** Largest request body read, in bytes: a write's JSON is far smaller. */
  static final int MAX_BODY_BYTES = 64 * 1024;
  /** Bytes of a too large body read and dropped before it is refused. */
  static final int MAX_DRAINED_BYTES = 1024 * 1024;

  /** A body over {@link #MAX_BODY_BYTES}. */
  static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException() {
      super("request body over " + MAX_BODY_BYTES + " bytes");
    }
  }

  private WebResponses() {}

  /** The headers of every answer, static files included. */
  static void securityHeaders(HttpExchange ex) {
    Headers h = ex.getResponseHeaders();
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    h.set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'none'");
    h.set("Referrer-Policy", "no-referrer");
    h.set("Cache-Control", "no-store");
  }

  /** Sends {@code json} (one object) with {@code status} and closes the exchange. */
  static void json(HttpExchange ex, int status, String json) throws IOException {
    send(ex, status, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends {@code {"error": message}} with {@code status} and closes the exchange. */
  static void error(HttpExchange ex, int status, String message) throws IOException {
    json(ex, status, JsonLines.line(w -> w.name("error").value(message)));
  }

  /** Sends a body with {@code status} and closes the exchange. */
  static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
    securityHeaders(ex);
    ex.getResponseHeaders().set("Content-Type", contentType + "; charset=utf-8");
    if ("HEAD".equals(ex.getRequestMethod())) {
      ex.sendResponseHeaders(status, -1);
      ex.close();
      return;
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (var out = ex.getResponseBody()) {
      out.write(body);
    }
    ex.close();
  }

  /**
   * The request body as UTF-8 text, read up to {@link #MAX_BODY_BYTES}. The time is bounded too: the JDK server
   * closes a connection whose request (body included) is not read within {@link WebServer#REQUEST_READ_SECONDS} s,
   * and the read here then fails with an {@link IOException}.
   *
   * @throws TooLargeException if it is longer; up to {@link #MAX_DRAINED_BYTES} more are read and dropped, so
   *     that a client still sending its body reads the answer, and the connection is closed after the answer
   */
  static String body(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
      if (bytes.length > MAX_BODY_BYTES) {
        byte[] sink = new byte[8192];
        long left = MAX_DRAINED_BYTES;
        for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0; ) {
          left -= n;
        }
        ex.getResponseHeaders().set("Connection", "close");
        throw new TooLargeException();
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }
}
