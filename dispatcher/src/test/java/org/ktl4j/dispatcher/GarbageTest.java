package org.ktl4j.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.ErrorCode;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.internal.protocol.Reply;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import org.ktl4j.type.KtlType;

/** Nothing on the modify channel stops the dispatcher. */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GarbageTest {
  private RedisEndpoint endpoint;
  private DispatcherService dispatcher;
  private RawWriter writer;

  @BeforeAll
  void start(RedisServer server) {
    String service = server.serviceName("garbage");
    endpoint = Fixtures.endpoint(server);
    dispatcher = DispatcherService.builder(service)
        .keyword(KeywordDefinition.builder("TEXT", KtlType.STRING).build())
        .keyword(KeywordDefinition.builder("N", KtlType.INTEGER).build())
        .endpoint(endpoint).build();
    dispatcher.start();
    writer = new RawWriter(server, service);
  }

  @AfterAll
  void stop() {
    writer.close();
    dispatcher.close();
    endpoint.close();
  }

  @Test
  void randomBytesAreIgnoredAndServiceGoesOn() {
    Random random = new Random(42);
    for (int i = 0; i < 200; i++) {
      byte[] junk = new byte[1 + random.nextInt(300)];
      random.nextBytes(junk);
      writer.redis.publish(writer.modifyChannel().getBytes(StandardCharsets.UTF_8), junk);
    }
    assertThat(writer.write("N", "1")).isInstanceOf(Reply.Stored.class);
  }

  @Test
  void truncatedJsonIsNeverAnsweredEvenWithAReplyChannelInIt() {
    long malformed = dispatcher.refusals.total(RefusalLog.Kind.MALFORMED);
    long answered = dispatcher.refusals.total(RefusalLog.Kind.BAD_REQUEST);
    String json = "{\"id\":\"t1\",\"reply\":\"" + writer.replyChannel + "\",\"keyword\":\"N\",\"value\":\"1";
    writer.publishRaw(json);
    await().atMost(Duration.ofSeconds(20)).until(() -> dispatcher.refusals.total(RefusalLog.Kind.MALFORMED) > malformed);
    assertThat(dispatcher.refusals.total(RefusalLog.Kind.BAD_REQUEST)).isEqualTo(answered);
    assertThat(writer.write("N", "2")).isInstanceOf(Reply.Stored.class);
    assertThat(writer.all("t1")).isEmpty();
  }

  @Test
  void missingFieldsAndWrongShapesAreBadRequests() {
    writer.publishRaw("{\"id\":\"m1\",\"reply\":\"" + writer.replyChannel + "\",\"keyword\":\"N\"}");
    writer.publishRaw("{\"id\":\"m2\",\"reply\":\"" + writer.replyChannel + "\",\"value\":\"3\"}");
    writer.publishRaw("{\"id\":\"m3\",\"reply\":\"" + writer.replyChannel + "\",\"keyword\":[1],\"value\":\"3\"}");
    writer.publishRaw("[1,2,3]");
    writer.publishRaw("null");
    writer.publishRaw("");
    assertThat(((Reply.Failed) writer.awaitDone("m1")).error()).contains("value");
    assertThat(((Reply.Failed) writer.awaitDone("m2")).error()).contains("keyword");
    assertThat(((Reply.Failed) writer.awaitDone("m3")).code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(writer.write("N", "3")).isInstanceOf(Reply.Stored.class);
  }

  @Test
  void aValueOverTheLimitIsRefusedNamingTheLimit() {
    String big = "x".repeat(100 * 1024);
    String id = writer.send("TEXT", big);
    Reply.Failed f = (Reply.Failed) writer.awaitDone(id);
    assertThat(f.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(f.error()).contains("TEXT").contains("limit").hasSizeLessThan(500);
    assertThat(writer.stored("TEXT")).doesNotContainValue(big);
  }

  @Test
  void tenMegabyteMessagesAreDiscardedUnreadAndServiceGoesOn() {
    long oversized = dispatcher.refusals.total(RefusalLog.Kind.OVERSIZED);
    String huge = "x".repeat(10 * 1024 * 1024);
    writer.send("TEXT", huge);
    writer.publishRaw("{" + huge);
    await().atMost(Duration.ofSeconds(20)).until(() -> dispatcher.refusals.total(RefusalLog.Kind.OVERSIZED) == oversized + 2);
    assertThat(writer.stored("TEXT")).doesNotContainValue(huge);
    assertThat(writer.write("TEXT", "small")).isInstanceOf(Reply.Stored.class);
  }
}
