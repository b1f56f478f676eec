package org.ktl4j.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.internal.protocol.Keys;
import org.ktl4j.internal.protocol.Reply;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import org.ktl4j.type.KtlType;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPubSub;

/**
 * The hostile-input suite (issue 9): a deterministic fuzz mix on the modify channel — random bytes, truncated JSON,
 * wrong types in every field position, 10,000-deep nesting, 1 MB and 10 MB fields, control characters, bad names,
 * numbers like {@code 1e309}, {@code NaN}, {@code -0}, reply channels that are not ours — interleaved with
 * well-formed requests. The dispatcher keeps serving, answers every well-formed request that asked for replies
 * exactly once, publishes nowhere it should not, changes no value it should not, and logs within its bound.
 */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {
  private RedisServer server;
  private RedisEndpoint endpoint;
  private DispatcherService dispatcher;
  private RawWriter writer;
  private String service;
  private Keys keys;
  /** Every channel anything was published on during the test, but the modify channel, seen by a PSUBSCRIBE observer. */
  private final Set<String> published = ConcurrentHashMap.newKeySet();
  private Connection observerConnection;
  private JedisPubSub observer;

  @BeforeAll
  void start(RedisServer server) {
    this.server = server;
    service = server.serviceName("hostile");
    keys = Keys.of(service);
    endpoint = Fixtures.endpoint(server);
    dispatcher = DispatcherService.builder(service)
        .keyword(KeywordDefinition.builder("TEXT", KtlType.STRING).build())
        .keyword(KeywordDefinition.builder("N", KtlType.INTEGER).range(0, 1000).build())
        .keyword(KeywordDefinition.builder("X", KtlType.DOUBLE).build())
        .keyword(KeywordDefinition.builder("GUARD", KtlType.INTEGER).build())
        .endpoint(endpoint).build();
    dispatcher.start();
    writer = new RawWriter(server, service);
    observerConnection = new Connection(new HostAndPort(server.host(), server.port()), server.clientConfig().build());
    observer = new JedisPubSub() {
      @Override
      public void onPMessage(String pattern, String channel, String message) {
        published.add(channel);
      }
    };
    // every channel but the modify channel itself, whose megabyte messages would make Redis drop this observer
    String[] patterns = {"__keyspace@*", "__keyevent@*", "ktl:{other}:*", "ktl:{" + service + "}:reply:*",
        "ktl:{" + service + "}:kw:*", "ktl:{" + service + "}:dispatcher*", "ktl:{" + service + "}:keywords*"};
    Thread t = new Thread(() -> {
      try {
        observer.proceedWithPatterns(observerConnection, patterns);
      } catch (RuntimeException e) {
        // closed
      }
    }, "hostile-observer");
    t.setDaemon(true);
    t.start();
    await().atMost(Duration.ofSeconds(10)).until(observer::isSubscribed);
    assertThat(writer.write("GUARD", "7")).isInstanceOf(Reply.Stored.class);
  }

  @AfterAll
  void stop() {
    observer.punsubscribe();
    observerConnection.close();
    writer.close();
    dispatcher.close();
    endpoint.close();
  }

  @Test
  void theFuzzMixNeverStopsTheDispatcherAndWellFormedRequestsAreAnsweredExactlyOnce() {
    await().atMost(Duration.ofSeconds(10)).until(() -> published.contains(keys.keyspaceChannel(0, "GUARD")));
    published.clear(); // GUARD's event from the set-up: from now on nothing may touch it
    Map<String, String> guardBefore = writer.stored("GUARD");
    Random random = new Random(20261129);
    List<String> wellFormed = new ArrayList<>();
    String reply = writer.replyChannel;
    for (int round = 0; round < 300; round++) {
      for (String hostile : hostileMessages(random, round)) {
        writer.publishRaw(hostile);
      }
      // a well-formed request that asked for a reply: valid or not as a value, it must get exactly one done
      String value = switch (round % 6) {
        case 0 -> Integer.toString(random.nextInt(1000));
        case 1 -> "1e309";
        case 2 -> "NaN";
        case 3 -> "-0";
        case 4 -> "0x10";
        default -> "5000"; // out of range
      };
      wellFormed.add(writer.send(round % 2 == 0 ? "N" : "X", value));
    }
    writer.publishRaw("{" + "x".repeat(10 * 1024 * 1024)); // a 10 MB message, discarded unread
    writer.send("TEXT", "c".repeat(1 << 20)); // a 1 MB value: over the message limit, never answered (not ours)
    for (String id : wellFormed) {
      writer.awaitDone(id);
    }
    String sentinel = writer.send("TEXT", "still serving");
    assertThat(writer.awaitDone(sentinel)).isInstanceOf(Reply.Stored.class);
    for (String id : wellFormed) {
      assertThat(writer.all(id).stream().filter(r -> !(r instanceof Reply.Ack)).count()).as("dones of %s", id)
          .isEqualTo(1);
    }
    assertThat(writer.stored("GUARD")).isEqualTo(guardBefore);
    await().atMost(Duration.ofSeconds(10)).until(() -> published.contains(keys.keyspaceChannel(0, "TEXT")));
    for (String channel : published) {
      assertThat(channel).as("published on").satisfiesAnyOf(
          c -> assertThat(c).isEqualTo(reply),
          c -> assertThat(c).isEqualTo("__keyspace@0__:" + keys.lease()), // lease renewals
          c -> assertThat(c).startsWith("__keyspace@0__:ktl:{" + service + "}:kw:")
              .isNotEqualTo(keys.keyspaceChannel(0, "GUARD")));
    }
    assertThat(dispatcher.refusals.total(RefusalLog.Kind.OVERSIZED)).isGreaterThanOrEqualTo(2);
    assertThat(dispatcher.refusals.total(RefusalLog.Kind.BAD_REPLY_CHANNEL)).isGreaterThan(0);
    assertThat(dispatcher.refusals.total(RefusalLog.Kind.MALFORMED)).isGreaterThan(0);
  }

  @Test
  void tenThousandBadMessagesWithDistinctClientsProduceAFewLogLines() {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    long before = dispatcher.refusals.total(RefusalLog.Kind.UNANSWERED) + dispatcher.refusals.total(RefusalLog.Kind.BAD_REQUEST)
        + dispatcher.refusals.total(RefusalLog.Kind.NO_SUCH_KEYWORD) + dispatcher.refusals.total(RefusalLog.Kind.MALFORMED);
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      for (int i = 0; i < 10_000; i++) {
        String client = "\"client\":\"evil-" + i + "\\nFAKE " + i + " INFO forged line\"";
        String message = switch (i % 4) {
          case 0 -> "{\"id\":\"" + i + "\",\"keyword\":\"NOPE" + i + "\",\"value\":\"1\"," + client + "}";
          case 1 -> "{\"id\":\"" + i + "\",\"keyword\":\"N\",\"value\":\"-5\",\"client\":\"evil-" + i + "\"}";
          case 2 -> "{\"id\":\"" + i + "\",\"keyword\":\"N\",\"value\":\"1\",\"reply\":\"" + writer.replyChannel + "\","
              + client + "}";
          default -> "{\"id\":\"" + i + "\",\"client\":\"evil-" + i + "\",";
        };
        writer.publishRaw(message);
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> dispatcher.refusals.total(RefusalLog.Kind.UNANSWERED)
          + dispatcher.refusals.total(RefusalLog.Kind.BAD_REQUEST) + dispatcher.refusals.total(RefusalLog.Kind.NO_SUCH_KEYWORD)
          + dispatcher.refusals.total(RefusalLog.Kind.MALFORMED) >= before + 10_000);
      dispatcher.refusals.summarize();
    } finally {
      System.setErr(original);
    }
    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines()
        .filter(l -> l.contains("service " + service)).toList();
    assertThat(lines).hasSizeBetween(1, 30); // at least the first of a category and its summary were captured
    assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("\nFAKE");
    assertThat(writer.write("N", "3")).isInstanceOf(Reply.Stored.class);
  }

  /** A handful of hostile messages for one round; deterministic for a given random. */
  private List<String> hostileMessages(Random random, int round) {
    List<String> out = new ArrayList<>();
    String reply = writer.replyChannel;
    // random bytes (as text) and truncated JSON of a valid request
    byte[] junk = new byte[1 + random.nextInt(200)];
    random.nextBytes(junk);
    out.add(new String(junk, StandardCharsets.ISO_8859_1));
    String valid = "{\"id\":\"h" + round + "\",\"keyword\":\"GUARD\",\"value\":\"99\",\"reply\":\"" + reply + "\"}";
    out.add(valid.substring(0, random.nextInt(valid.length() - 1)));
    // wrong types in every field position, and repeated fields: answered BAD_REQUEST, never stored
    String[] fields = {"id", "keyword", "value", "reply", "client", "deadline", "ack_deadline"};
    String field = fields[round % fields.length];
    String wrong = round % 2 == 0 ? "{\"a\":[1]}" : "[1,2,3]";
    List<String> parts = new ArrayList<>(List.of("\"id\":\"w" + round + "\"", "\"keyword\":\"GUARD\"", "\"value\":\"99\"",
        "\"reply\":\"" + reply + "\""));
    parts.removeIf(p -> p.startsWith("\"" + field + "\""));
    parts.add(random.nextInt(parts.size() + 1), "\"" + field + "\":" + wrong);
    out.add("{" + String.join(",", parts) + "}");
    out.add("{\"id\":\"d" + round + "\",\"keyword\":\"GUARD\",\"value\":\"1\",\"value\":\"2\",\"reply\":\"" + reply + "\"}");
    // reply channels that are not ours: nothing may be published there
    String[] foreign = {"ktl:{other}:modify", "ktl:{other}:reply:AAAAAAAAAAAAAAAAAAAA", "ktl:{" + service + "}:kw:GUARD",
        "__keyspace@0__:ktl:{" + service + "}:kw:GUARD", "ktl:{" + service + "}:modify", "ktl:{" + service + "}:reply:x"};
    out.add("{\"id\":\"f" + round + "\",\"keyword\":\"GUARD\",\"value\":\"98\",\"reply\":\"" + foreign[round % foreign.length]
        + "\"}");
    // control characters and bad names
    out.add("{\"id\":\"c" + round + "\",\"keyword\":\"GU\\u001b[2JARD\",\"value\":\"97\",\"client\":\"a\\u009bb\"}");
    out.add("{\"id\":\"u" + round + "\",\"keyword\":\"\\uFB01lter\",\"value\":\"1\"}");
    out.add("{\"id\":\"k" + round + "\",\"keyword\":\"GUARD\",\"value\":\"96\",\"client\":\"x\\u202e\"}");
    if (round % 50 == 0) {
      out.add("{\"id\":\"n" + round + "\",\"reply\":\"" + reply + "\",\"x\":" + "[".repeat(10_000) + "]".repeat(10_000)
          + ",\"keyword\":\"GUARD\",\"value\":\"95\"}");
      out.add("{\"id\":\"m" + round + "\",\"keyword\":\"GUARD\",\"value\":\"94\",\"client\":\"" + "y".repeat(1 << 20) + "\"}");
      out.add("{\"id\":\"" + "i".repeat(100_000) + "\",\"keyword\":\"GUARD\",\"value\":\"93\",\"reply\":\"" + reply + "\"}");
    }
    return out;
  }
}
