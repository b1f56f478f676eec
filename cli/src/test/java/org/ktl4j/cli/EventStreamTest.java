package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.ktl4j.client.KeywordUpdate;
import org.ktl4j.client.KeywordValue;

/**
 * {@link EventStream}'s bounded queue, without a network: a full queue is coalesced to the latest update per
 * keyword, with the skipped updates counted; one that is still full closes the stream instead of growing; a write
 * that makes no progress is ended by the watchdog's check.
 */
class EventStreamTest {

  /** An exchange that collects what the stream writes, once {@link #gate} is opened: a browser that reads late. */
  static final class Collected extends HttpExchange {
    final ByteArrayOutputStream written = new ByteArrayOutputStream();
    final CountDownLatch gate = new CountDownLatch(1);
    volatile boolean closed;
    final OutputStream body = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        try {
          gate.await();
        } catch (InterruptedException e) {
          throw new InterruptedIOException();
        }
        synchronized (written) {
          written.write(b, off, len);
        }
      }
    };

    List<JsonObject> events() {
      List<JsonObject> events = new ArrayList<>();
      String text;
      synchronized (written) {
        text = written.toString(StandardCharsets.US_ASCII);
      }
      for (String line : text.split("\n")) {
        if (line.startsWith("data: ")) {
          events.add(JsonParser.parseString(line.substring(6)).getAsJsonObject());
        }
      }
      return events;
    }

    @Override public Headers getRequestHeaders() { return new Headers(); }
    @Override public Headers getResponseHeaders() { return new Headers(); }
    @Override public URI getRequestURI() { return URI.create("/api/services/svc/events"); }
    @Override public String getRequestMethod() { return "GET"; }
    @Override public HttpContext getHttpContext() { return null; }
    @Override public void close() { closed = true; }
    @Override public InputStream getRequestBody() { return InputStream.nullInputStream(); }
    @Override public OutputStream getResponseBody() { return body; }
    @Override public void sendResponseHeaders(int code, long length) {}
    @Override public InetSocketAddress getRemoteAddress() { return new InetSocketAddress("127.0.0.1", 1); }
    @Override public int getResponseCode() { return 200; }
    @Override public InetSocketAddress getLocalAddress() { return new InetSocketAddress("127.0.0.1", 2); }
    @Override public String getProtocol() { return "HTTP/1.1"; }
    @Override public Object getAttribute(String name) { return null; }
    @Override public void setAttribute(String name, Object value) {}
    @Override public void setStreams(InputStream i, OutputStream o) {}
    @Override public HttpPrincipal getPrincipal() { return null; }
  }

  private static KeywordUpdate update(String keyword, long seq) {
    return new KeywordUpdate(new KeywordValue("svc", keyword, Long.toString(seq), seq, Instant.ofEpochSecond(seq),
        seq, "test"), 0, false);
  }

  @Test
  void aFullQueueIsCoalescedToTheLatestUpdatePerKeywordWithTheSkippedOnesCounted() throws InterruptedException {
    Collected exchange = new Collected();
    List<EventStream> ended = new java.util.concurrent.CopyOnWriteArrayList<>();
    EventStream stream = new EventStream("svc", 2, exchange, ended::add);

    Thread writer = new Thread(stream, "event-stream-test");
    writer.start(); // blocks on its first write until the gate opens

    int offered = EventStream.MIN_CAPACITY + 10;
    for (int i = 1; i <= offered; i++) {
      stream.offer(update(i % 2 == 0 ? "A" : "B", i));
    }
    stream.offer(update("C", offered + 1));
    exchange.gate.countDown();
    await().atMost(Duration.ofSeconds(30)).until(() -> exchange.events().stream()
        .anyMatch(e -> e.get("keyword").getAsString().equals("C")));
    stream.close("test over");
    writer.join(Duration.ofSeconds(30).toMillis());

    // the queue overflowed once: its updates became one per keyword, then the later ones queued as they came
    List<JsonObject> events = exchange.events();
    assertThat(events.size()).isLessThan(20);
    assertThat(events.subList(0, 2)).extracting(e -> e.get("keyword").getAsString()).containsExactly("B", "A");
    assertThat(events.get(0).get("coalesced").getAsLong()).isGreaterThan(100);
    assertThat(events.get(events.size() - 1).get("keyword").getAsString()).isEqualTo("C");
    long coalesced = events.stream().mapToLong(e -> e.get("coalesced").getAsLong()).sum();
    assertThat(coalesced + events.size()).as("every update delivered or counted").isEqualTo(offered + 1);
    assertThat(ended).containsExactly(stream);
    assertThat(exchange.closed).isTrue();
  }

  @Test
  void aQueueStillFullAfterCoalescingClosesTheStream() {
    Collected exchange = new Collected();
    EventStream stream = new EventStream("svc", 1, exchange, s -> {});

    for (int i = 0; i <= EventStream.MIN_CAPACITY; i++) {
      stream.offer(update("K" + i, i + 1)); // all distinct: nothing to coalesce
    }
    stream.offer(update("LATE", 1000));
    exchange.gate.countDown();
    stream.run(); // ends at once: the stream was closed when the queue overflowed

    assertThat(exchange.events()).isEmpty();
    assertThat(exchange.closed).isTrue();
  }

  @Test
  void aWriteThatMakesNoProgressIsEndedByTheWatchdogCheck() throws InterruptedException {
    Collected exchange = new Collected(); // its gate stays shut: a browser that never reads
    List<EventStream> ended = new java.util.concurrent.CopyOnWriteArrayList<>();
    EventStream stream = new EventStream("svc", 1, exchange, ended::add);
    Thread writer = new Thread(stream, "event-stream-test");
    writer.start();

    long stall = java.util.concurrent.TimeUnit.SECONDS.toNanos(EventStream.STALL_SECONDS + 1);
    // as if the clock were past the limit, once the thread is in its write
    await().atMost(Duration.ofSeconds(30)).until(() -> stream.closeIfStalled(System.nanoTime() + stall));
    writer.join(Duration.ofSeconds(30).toMillis());

    assertThat(writer.isAlive()).isFalse();
    assertThat(ended).containsExactly(stream);
    assertThat(exchange.closed).isTrue();
    assertThat(exchange.events()).isEmpty();
  }
}
