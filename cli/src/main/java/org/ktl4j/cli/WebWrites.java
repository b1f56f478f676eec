package org.ktl4j.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
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
 * {@code "stage":"unavailable"} (503, no dispatcher); every answer names the {@code value} written too. The wait
 * is bounded: the client's write timeout plus {@link #MARGIN} (then 504, should the client's own timeout not
 * fire). The read-only and origin checks come before the keyword is looked up (which may read Redis). At most
 * {@value #MAX_PENDING} writes wait at once (503 beyond), so that reads keep a request thread.
 *
 * <p>Thread-safe. Cost: a request thread held until {@code done} (the client's write timeout at most).
 */
final class WebWrites {
  /** Writes waiting for their {@code done} at once. */
  static final int MAX_PENDING = WebServer.REQUEST_THREADS / 2;
  /** Waited for {@code done} beyond the client's write timeout, which should have answered first. */
  static final Duration MARGIN = Duration.ofSeconds(5);

  private final boolean allowed;
  private final WebOrigins origins;
  private final Semaphore pending = new Semaphore(MAX_PENDING);

  WebWrites(boolean allowed, WebOrigins origins) {
    this.allowed = allowed;
    this.origins = origins;
  }

  /**
   * Checks the request and writes its value to the keyword {@code lookup} finds ({@code name} is
   * {@code SERVICE.KEYWORD}, for messages); answers as the class comment says.
   */
  void write(HttpExchange ex, String name, Supplier<Keyword> lookup) throws IOException {
    if (!allowed) {
      WebResponses.error(ex, 403, "ktl web is read-only: start it with --allow-writes to write " + name);
      return;
    }
    if (!origins.sameOrigin(ex)) {
      WebResponses.error(ex, 403, "cross-origin write to " + name + " refused: the Origin header ('"
          + Names.printable(ex.getRequestHeaders().getFirst("Origin")) + "') is not this server's page");
      return;
    }
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.strip().toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      WebResponses.error(ex, 415, "write to " + name + " refused: the body must be JSON (Content-Type: "
          + "application/json): {\"value\":\"...\"}");
      return;
    }
    String value;
    try {
      value = value(WebResponses.body(ex));
    } catch (WebResponses.TooLargeException e) {
      WebResponses.error(ex, 413, "write to " + name + " refused: " + e.getMessage());
      return;
    }
    if (value == null) {
      WebResponses.error(ex, 400, "write to " + name + " refused: the body must be {\"value\":\"...\"}, the "
          + "value a string");
      return;
    }
    Keyword kw = lookup.get();
    if (!pending.tryAcquire()) {
      ex.getResponseHeaders().set("Retry-After", "1");
      WebResponses.error(ex, 503, "write of '" + Names.printable(value) + "' to " + kw.fullName() + " refused: "
          + MAX_PENDING + " writes are already waiting for their dispatcher; try again");
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
    Duration wait = kw.service().config().writeTimeout().plus(MARGIN);
    try {
      handle = kw.writeAsync(value);
      WriteResult done = handle.done().get(wait.toMillis(), TimeUnit.MILLISECONDS);
      WebResponses.json(ex, 200, JsonLines.line(w -> {
        names(w, kw, value);
        w.name("stage").value("done").name("ack").value(true);
        w.name("ascii").value(done.ascii()).name("seq").value(done.seq());
      }));
    } catch (ExecutionException e) {
      failed(ex, kw, value, e.getCause(), acknowledged(handle));
    } catch (TimeoutException e) {
      failed(ex, kw, value, new KtlTimeoutException("no done for " + kw.fullName() + " = '" + Names.printable(value)
          + "' within " + wait.toSeconds() + " s"), acknowledged(handle));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failed(ex, kw, value, new UnavailableException("ktl web is stopping; the write of '" + Names.printable(value)
          + "' to " + kw.fullName() + " may still be done"), acknowledged(handle));
    } catch (RefusedException | UnavailableException e) { // refused locally, or no dispatcher, before sending
      failed(ex, kw, value, e, false);
    }
  }

  private static void failed(HttpExchange ex, Keyword kw, String value, Throwable cause, boolean ack)
      throws IOException {
    if (cause instanceof RefusedException r) {
      WebResponses.json(ex, 422, JsonLines.line(w -> {
        names(w, kw, value);
        w.name("stage").value("refused").name("ack").value(ack);
        w.name("code").value(r.code().name()).name("reason").value(r.reason());
        w.name("message").value(RefusalText.of(r, kw.type()));
      }));
    } else {
      boolean timeout = cause instanceof KtlTimeoutException;
      WebResponses.json(ex, timeout ? 504 : 503, JsonLines.line(w -> {
        names(w, kw, value);
        w.name("stage").value(timeout ? "timeout" : "unavailable").name("ack").value(ack);
        w.name("message").value(cause.getMessage());
      }));
    }
  }

  private static boolean acknowledged(WriteHandle handle) {
    CompletableFuture<Void> ack = handle == null ? null : handle.ack();
    return ack != null && ack.isDone() && !ack.isCompletedExceptionally();
  }

  private static void names(com.google.gson.stream.JsonWriter w, Keyword kw, String value) throws IOException {
    w.name("service").value(kw.service().name()).name("keyword").value(kw.name()).name("value").value(value);
  }
}
