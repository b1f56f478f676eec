package org.ktl4j.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ktl4j.ErrorCode;
import org.ktl4j.internal.protocol.Reply;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;

/** MODIFY as the contract describes it, driven with raw Jedis calls: every type, every refusal code. */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModifyTest {
  private RedisEndpoint endpoint;
  private DispatcherService dispatcher;
  private RawWriter writer;
  private String service;

  @BeforeAll
  void start(RedisServer server) {
    service = server.serviceName("modify");
    endpoint = Fixtures.endpoint(server);
    dispatcher = DispatcherService.builder(service).definitions(Fixtures.everyType()).endpoint(endpoint).build();
    dispatcher.start();
    writer = new RawWriter(server, service);
  }

  @AfterAll
  void stop() {
    writer.close();
    dispatcher.close();
    endpoint.close();
  }

  @ParameterizedTest(name = "{0} = ''{1}'' is stored as ''{2}''")
  @CsvSource(delimiter = '|', value = {
      "FLAG    | yes                  | true",
      "FLAG    | 0                    | false",
      "LAMP    | ON                   | on",
      "COUNT   | 42                   | 42",
      "COUNT   | ' 7 '                | 7",
      "BIG     | 9223372036854775807  | 9223372036854775807",
      "TEMP    | 21.5                 | 21.5",
      "AZ      | 120.5                | 120.500",
      "NAME    | 'hello wörld ✓'      | 'hello wörld ✓'",
      "SHUTTER | Open                 | open",
      "SHUTTER | 2                    | moving",
      "FAULTS  | 'door power'         | 'power, door'",
      "FAULTS  | 0                    | none",
      "PIXELS  | '1  2   3'             | '1 2 3'",
      "IDS     | '-5 9000000000'      | '-5 9000000000'",
      "az      | 10                   | 10.000",
  })
  void validWriteIsStoredInCanonicalForm(String keyword, String value, String canonical) {
    String id = writer.send(keyword, value);
    Reply done = writer.awaitDone(id);
    assertThat(done).isInstanceOf(Reply.Stored.class);
    Reply.Stored stored = (Reply.Stored) done;
    assertThat(stored.ascii()).isEqualTo(canonical);
    assertThat(writer.all(id)).containsExactly(done); // no write hook: done implies the ack, and is the only reply
    Map<String, String> hash = writer.stored(keyword.toUpperCase());
    assertThat(hash).containsEntry("ascii", canonical).containsEntry("origin", "raw-writer")
        .containsEntry("seq", Long.toString(stored.seq())).containsKey("ts");
  }

  @ParameterizedTest(name = "{0} = ''{1}'' is refused with {2}")
  @CsvSource(delimiter = '|', value = {
      "COUNT   | 3.5                   | BAD_VALUE",
      "COUNT   | 101                   | OUT_OF_RANGE",
      "COUNT   | ''                    | BAD_VALUE",
      "COUNT   | 99999999999           | BAD_VALUE",
      "BIG     | 9223372036854775808   | BAD_VALUE",
      "AZ      | nan                   | BAD_VALUE",
      "AZ      | 1e309                 | BAD_VALUE",
      "AZ      | 400                   | OUT_OF_RANGE",
      "FLAG    | maybe                 | BAD_VALUE",
      "SHUTTER | ajar                  | BAD_VALUE",
      "FAULTS  | smoke                 | BAD_VALUE",
      "PIXELS  | '1 2'                 | BAD_VALUE",
      "PIXELS  | '1 x 3'               | BAD_VALUE",
      "SERIAL  | SN-2                  | READ_ONLY",
      "DISPCLK | 5                     | READ_ONLY",
      "NOPE    | 1                     | NO_SUCH_KEYWORD",
      "'bad name!' | 1                 | BAD_REQUEST",
      "'\u017Fhutter' | closed          | BAD_REQUEST", // long s: Unicode upper-cases it to SHUTTER
  })
  void refusalReachesTheWriterAndNothingIsStored(String keyword, String value, ErrorCode code) {
    Map<String, String> before = writer.stored(keyword.toUpperCase());
    String id = writer.send(keyword, value);
    Reply done = writer.awaitDone(id);
    assertThat(done).isInstanceOf(Reply.Failed.class);
    Reply.Failed failed = (Reply.Failed) done;
    assertThat(failed.code()).isEqualTo(code);
    assertThat(failed.error()).contains(keyword.equals("'bad name!'") ? "bad name!" : keyword);
    assertThat(writer.all(id)).as("no ack before a refusal").hasSize(1);
    if (keyword.equals("DISPCLK")) { // the heartbeat stores a new value every second by itself
      assertThat(writer.stored(keyword)).doesNotContainEntry("ascii", value);
    } else {
      assertThat(writer.stored(keyword.toUpperCase())).isEqualTo(before);
    }
  }

  @Test
  void refusalMessageNamesServiceKeywordValueAndReason() {
    Reply.Failed f = (Reply.Failed) writer.write("SHUTTER", "ajar");
    assertThat(f.error()).contains(service).contains("SHUTTER").contains("ajar").contains("closed")
        .contains("open").contains("moving");
    Reply.Failed range = (Reply.Failed) writer.write("AZ", "400");
    assertThat(range.error()).contains(service + ".AZ").contains("400").contains("360");
  }

  @Test
  void everyAcceptedWriteRaisesSeqEvenWhenUnchanged() {
    Reply.Stored first = (Reply.Stored) writer.write("COUNT", "11");
    Reply.Stored second = (Reply.Stored) writer.write("COUNT", "11");
    assertThat(second.seq()).isEqualTo(first.seq() + 1);
    assertThat(writer.stored("COUNT")).containsEntry("seq", Long.toString(second.seq()));
  }

  @Test
  void fireAndForgetIsStoredWithoutReplies() {
    writer.redis.publish(writer.modifyChannel(), "{\"id\":\"ff1\",\"keyword\":\"NAME\",\"value\":\"fire and forget\"}");
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(() -> "fire and forget".equals(writer.stored("NAME").get("ascii")));
    assertThat(writer.stored("NAME")).containsEntry("origin", "anonymous");
    assertThat(writer.all("ff1")).isEmpty();
  }

  @Test
  void definitionsAndServiceAreListed() {
    Map<String, String> defs = writer.redis.hgetAll("ktl:{" + service + "}:keywords");
    assertThat(defs).containsKeys("AZ", "SHUTTER", "DISPCLK", "DISPSTA");
    assertThat(defs.get("AZ")).contains("\"type\":\"double\"").contains("\"units\":\"deg\"");
    assertThat(writer.redis.smembers("ktl:services")).contains(service);
    assertThat(writer.redis.get("ktl:{" + service + "}:dispatcher")).contains("\"pid\"");
    assertThat(writer.stored("DISPSTA")).containsEntry("ascii", "ready");
    assertThat(writer.stored("SERIAL")).containsEntry("ascii", "SN-1");
  }

  @Test
  void publishReachesExactlyOneSubscriber() {
    long receivers = writer.redis.publish(writer.modifyChannel(), "{\"id\":\"x\",\"keyword\":\"NAME\",\"value\":\"y\"}");
    assertThat(receivers).isEqualTo(1);
  }
}
