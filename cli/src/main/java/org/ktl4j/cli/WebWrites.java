package org.ktl4j.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import org.ktl4j.KtlTimeoutException;
import org.ktl4j.RefusedException;
import org.ktl4j.UnavailableException;
import org.ktl4j.client.Keyword;
import org.ktl4j.client.WriteHandle;
import org.ktl4j.client.WriteResult;
import org.ktl4j.internal.protocol.Names;

/**
 * Writes from {@code ktl web}'s page ({@code POST /api/services/SVC/keywords/KW}, body {@code {"value":"…"}}):
 * refused with 403 unless the server was started with {@code --allow-writes}, and unless the request comes from
 * the page itself ({@link WebOrigins#sameOrigin}); the body must be JSON ({@code Content-Type: application/json},
 * which a plain HTML form cannot send) of at most {@link WebResponses#MAX_BODY_BYTES}.
 *
 * <p>The write goes through the client library ({@link Keyword#writeAsync}) and the answer waits for the
 * dispatcher's {@code done} or refusal: {@code {"service","keyword","stage":"done","ack":true,"ascii","seq"}} (200),
 * {@code {…,"stage":"refused","ack":B,"code","reason","message"}} (422), {@code "stage":"timeout"} (504) or
 * {@code "stage":"unavailable"} (503, no dispatcher). At most {@value #MAX_PENDING} writes wait at once (503
 * beyond), so that reads keep a request thread.
 *
 * <p>Thread-safe. Cost: a request thread held until {@code done} (the client's write timeout at most).
 */
final class WebWrites {
  /** Writes waiting for their {@code done} at once. */
  static final int MAX_PENDING = WebServer.REQUEST_THREADS / 2;

  private final boolean allowed;
  private final WebOrigins origins;
  private final Semaphore pending = new Semaphore(MAX_PENDING);

  WebWrites(boolean allowed, WebOrigins origins) {
    this.allowed = allowed;
    this.origins = origins;
  }

  /** Checks the request and writes its value to {@code kw}; answers as the class comment says. */
  void write(HttpExchange ex, Keyword kw) throws IOException {
    if (!allowed) {
      WebResponses.error(ex, 403, "ktl web is read-only: start it with --allow-writes to write " + kw.fullName());
      return;
    }
    if (!origins.sameOrigin(ex)) {
      WebResponses.error(ex, 403, "cross-origin write refused: the Origin header ('"
          + Names.printable(ex.getRequestHeaders().getFirst("Origin")) + "') is not this server's page");
      return;
    }
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.strip().toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      WebResponses.error(ex, 415, "a write's body must be JSON (Content-Type: application/json): {\"value\":\"...\"}");
      return;
    }
    String value;
    try {
      value = value(WebResponses.body(ex));
    } catch (WebResponses.TooLargeException e) {
      WebResponses.error(ex, 413, e.getMessage());
      return;
    }
    if (value == null) {
      WebResponses.error(ex, 400, "a write's body must be {\"value\":\"...\"}, the value a string");
      return;
    }
    if (!pending.tryAcquire()) {
      ex.getResponseHeaders().set("Retry-After", "1");
      WebResponses.error(ex, 503, MAX_PENDING + " writes are already waiting for their dispatcher; try again");
      return;
    }
    try {
      answer(ex, kw, value);
    } finally {
      pending.release();
    }
  }

  /** The {@code value} string of {@code {"value":"..."}}, or null if the body is anything else. */
  private static String value(String body) {
    try {
      JsonElement json = JsonParser.parseString(body);
      if (!json.isJsonObject() || !json.getAsJsonObject().has("value")) {
        return null;
      }
      JsonElement v = json.getAsJsonObject().get("value");
      return v.isJsonPrimitive() && v.getAsJsonPrimitive().isString() ? v.getAsString() : null;
    } catch (JsonParseException | IllegalStateException e) {
      return null;
    }
  }

  private static void answer(HttpExchange ex, Keyword kw, String value) throws IOException {
    WriteHandle handle = null;
    try {
      handle = kw.writeAsync(value);
      WriteResult done = handle.done().join();
      WebResponses.json(ex, 200, JsonLines.line(w -> {
        names(w, kw);
        w.name("stage").value("done").name("ack").value(true);
        w.name("ascii").value(done.ascii()).name("seq").value(done.seq());
      }));
    } catch (CompletionException e) {
      failed(ex, kw, e.getCause(), acknowledged(handle));
    } catch (RefusedException | UnavailableException e) { // refused locally, or no dispatcher, before sending
      failed(ex, kw, e, false);
    }
  }

  private static void failed(HttpExchange ex, Keyword kw, Throwable cause, boolean ack) throws IOException {
    if (cause instanceof RefusedException r) {
      WebResponses.json(ex, 422, JsonLines.line(w -> {
        names(w, kw);
        w.name("stage").value("refused").name("ack").value(ack);
        w.name("code").value(r.code().name()).name("reason").value(r.reason());
        w.name("message").value(RefusalText.of(r, kw.type()));
      }));
    } else {
      boolean timeout = cause instanceof KtlTimeoutException;
      WebResponses.json(ex, timeout ? 504 : 503, JsonLines.line(w -> {
        names(w, kw);
        w.name("stage").value(timeout ? "timeout" : "unavailable").name("ack").value(ack);
        w.name("message").value(cause.getMessage());
      }));
    }
  }

  private static boolean acknowledged(WriteHandle handle) {
    CompletableFuture<Void> ack = handle == null ? null : handle.ack();
    return ack != null && ack.isDone() && !ack.isCompletedExceptionally();
  }

  private static void names(com.google.gson.stream.JsonWriter w, Keyword kw) throws IOException {
    w.name("service").value(kw.service().name()).name("keyword").value(kw.name());
  }
}
