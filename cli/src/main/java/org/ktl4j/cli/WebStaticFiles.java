package org.ktl4j.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The page of {@code ktl web}: three files from the classpath ({@code org/ktl4j/cli/web/}: {@code index.html},
 * {@code app.js}, {@code style.css}), plain HTML, JavaScript and CSS with no library and no build step. Only those
 * paths are served (any other is 404), so no request can name another resource. Read once, on construction.
 *
 * <p>Immutable; thread-safe. Cost: the three files in memory (a few tens of KiB).
 */
final class WebStaticFiles implements HttpHandler {
  private record File(String type, byte[] bytes) {}

  private final Map<String, File> files = Map.of(
      "/", load("index.html", "text/html"),
      "/index.html", load("index.html", "text/html"),
      "/app.js", load("app.js", "text/javascript"),
      "/style.css", load("style.css", "text/css"));

  @Override
  public void handle(HttpExchange ex) throws IOException {
    File f = files.get(ex.getRequestURI().getRawPath());
    if (f == null) {
      WebResponses.error(ex, 404, "not found");
    } else if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
      ex.getResponseHeaders().set("Allow", "GET, HEAD");
      WebResponses.error(ex, 405, ex.getRequestMethod() + " is not allowed; use GET");
    } else {
      WebResponses.send(ex, 200, f.type(), f.bytes());
    }
  }

  private static File load(String name, String type) {
    try (InputStream in = WebStaticFiles.class.getResourceAsStream("web/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the ktl web page is missing from the jar: org/ktl4j/cli/web/" + name);
      }
      return new File(type, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
