package org.ktl4j.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Protocol section 4.1: every field of a MODIFY request is checked before anything is done with it. */
class RequestFieldsTest {
  private static final Keys K = Keys.of("tel");
  private static final String REPLY = "ktl:{tel}:reply:AbCdEf0123456789_-xy";

  private static ModifyMessage decode(String json) {
    return ProtocolJson.decodeModify(json, K);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ktl:{other}:reply:AbCdEf0123456789", "ktl:{tel}:modify", "ktl:{tel}:kw:AZ",
      "__keyspace@0__:ktl:{tel}:kw:AZ", "ktl:{tel}:reply:short", "ktl:{tel}:reply:", "ktl:{tel}:reply:has space1234567",
      "ktl:{tel}:reply:AbCdEf0123456789:x", "ktl:{tel}:reply:AbCdEf0123456789\n", "KTL:{tel}:reply:AbCdEf0123456789",
      "ktl:{TEL}:reply:AbCdEf0123456789"})
  void aReplyThatIsNotAReplyChannelOfTheServiceIsNeverKept(String reply) {
    ModifyMessage m = decode("{\"id\":\"1\",\"keyword\":\"AZ\",\"value\":\"1\",\"reply\":" + json(reply) + "}");
    assertThat(m).isInstanceOf(BadRequest.class);
    assertThat(((BadRequest) m).reply()).isEmpty();
    assertThat(((BadRequest) m).reason()).startsWith("field 'reply' is not a reply channel of service tel");
    assertThat(((BadRequest) m).problem()).isEqualTo(BadRequest.Problem.BAD_REPLY);
  }

  @Test
  void aTokenOfSixtyFourCharactersIsTheLongest() {
    String token = "a".repeat(Keys.MAX_REPLY_TOKEN);
    assertThat(K.isReplyChannel("ktl:{tel}:reply:" + token)).isTrue();
    assertThat(K.isReplyChannel("ktl:{tel}:reply:" + token + "a")).isFalse();
    assertThatThrownBy(() -> K.replyChannel("bad token!")).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a b", "1\n2", "é", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "id\u001b[2J", "a/b", "{}"})
  void anIdOutsideItsAlphabetOrLengthIsABadRequest(String id) {
    BadRequest b = (BadRequest) decode("{\"id\":" + json(id) + ",\"keyword\":\"AZ\",\"value\":\"1\",\"reply\":\""
        + REPLY + "\"}");
    assertThat(b.reason()).contains("'id'");
    assertThat(b.reply()).hasValue(REPLY);
    assertThat(b.id()).isEmpty();
  }

  @Test
  void idsFromOtherClientsStillWork() {
    for (String id : new String[] {"1", "7f0c1a2e-5d1b-4c3a-9a0e-0123456789ab", "host:1234.17", "a_b"}) {
      assertThat(decode("{\"id\":" + json(id) + ",\"keyword\":\"AZ\",\"value\":\"1\"}")).isInstanceOf(ModifyMessage.Valid.class);
    }
  }

  @Test
  void aClientOfMoreThan128CharactersOrWithControlsIsABadRequest() {
    String ok = "x".repeat(ModifyRequest.MAX_CLIENT_LENGTH);
    assertThat(decode(request("client", ok))).isInstanceOf(ModifyMessage.Valid.class);
    for (String bad : new String[] {ok + "x", "x".repeat(1 << 20), "alice\nFAKE LOG LINE", "a\u001b]52;c;ZWNobw==\u0007",
        "bidi\u202e", "c1\u009b"}) {
      BadRequest b = (BadRequest) decode(request("client", bad));
      assertThat(b.reason()).contains("'client'");
      assertThat(b.reply()).hasValue(REPLY);
      assertThat(b.reason()).doesNotContain("\n").doesNotContain("\u001b");
    }
  }

  @Test
  void aClientIsCountedInCharactersNotUtf16Units() {
    String emoji = "\uD83D\uDE00".repeat(ModifyRequest.MAX_CLIENT_LENGTH); // 128 characters, 256 UTF-16 units
    assertThat(decode(request("client", emoji))).isInstanceOf(ModifyMessage.Valid.class);
    assertThat(decode(request("client", emoji + "x"))).isInstanceOf(BadRequest.class);
  }

  @Test
  void aKeywordThatIsNoNameIsABadRequestNamingItEscaped() {
    BadRequest b = (BadRequest) decode(request("keyword", "A\u001b[31mZ"));
    assertThat(b.reason()).contains("'keyword'").contains("\\x1b").doesNotContain("\u001b");
    assertThat(b.keyword()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"id", "keyword", "value", "reply", "client", "deadline", "ack_deadline"})
  void aWrongTypedFieldIsABadRequestWhereverItStands(String field) {
    List<String> fields = new ArrayList<>(List.of("\"id\":\"1\"", "\"keyword\":\"AZ\"", "\"value\":\"1\"",
        "\"reply\":\"" + REPLY + "\""));
    fields.removeIf(f -> f.startsWith("\"" + field + "\""));
    for (int position = 0; position <= fields.size(); position++) {
      for (String wrong : new String[] {"{\"a\":1}", "[1,2]"}) {
        List<String> all = new ArrayList<>(fields);
        all.add(position, "\"" + field + "\":" + wrong);
        BadRequest b = (BadRequest) decode("{" + String.join(",", all) + "}");
        assertThat(b.reason()).contains("'" + field + "'");
        if (!field.equals("reply")) {
          assertThat(b.reply()).as("reply kept with %s at %d", field, position).hasValue(REPLY);
        }
      }
    }
  }

  @Test
  void fieldOrderNeverChangesTheOutcome() {
    List<String> fields = new ArrayList<>(List.of("\"id\":\"1\"", "\"keyword\":\"AZ\"", "\"value\":[1]",
        "\"reply\":\"" + REPLY + "\"", "\"client\":\"me\"", "\"extra\":{\"deep\":[1,2,{}]}"));
    Random random = new Random(42);
    ModifyMessage first = null;
    for (int i = 0; i < 200; i++) {
      Collections.shuffle(fields, random);
      ModifyMessage m = decode("{" + String.join(",", fields) + "}");
      if (first == null) {
        first = m;
      }
      assertThat(m).isEqualTo(first);
    }
    assertThat(((BadRequest) first).reply()).hasValue(REPLY);
  }

  @Test
  void aRepeatedFieldIsABadRequest() {
    BadRequest b = (BadRequest) decode("{\"id\":\"1\",\"keyword\":\"AZ\",\"value\":\"1\",\"value\":\"2\",\"reply\":\""
        + REPLY + "\"}");
    assertThat(b.reason()).contains("more than once");
    BadRequest twoReplies = (BadRequest) decode("{\"id\":\"1\",\"keyword\":\"AZ\",\"value\":\"1\",\"reply\":\""
        + REPLY + "\",\"reply\":\"ktl:{tel}:reply:ZZZZZZZZZZZZZZZZZZZZ\"}");
    assertThat(twoReplies.reason()).contains("more than once");
  }

  @Test
  void deepNestingIsMalformedAndNeverThrows() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    ModifyMessage m = decode("{\"id\":\"1\",\"reply\":\"" + REPLY + "\",\"extra\":" + deep + ",\"keyword\":\"AZ\",\"value\":\"1\"}");
    assertThat(m).isInstanceOf(BadRequest.class);
    assertThat(((BadRequest) m).reply()).isEmpty(); // not well-formed enough to trust: answered nowhere
  }

  @Test
  void malformedJsonIsNeverAnsweredWhereverTheReplyStands() {
    for (String json : new String[] {"{\"reply\":\"" + REPLY + "\",\"id\":\"1\",", "{\"reply\":\"" + REPLY + "\"} x",
        "{\"reply\":\"" + REPLY + "\",\"id\":1 2}"}) {
      assertThat(((BadRequest) decode(json)).reply()).as(json).isEmpty();
      assertThat(((BadRequest) decode(json)).problem()).isEqualTo(BadRequest.Problem.MALFORMED);
    }
  }

  @Test
  void aReplyGivenTwiceOrNotAsAStringIsAnsweredNowhereWhateverTheOrder() {
    String other = "ktl:{tel}:reply:ZZZZZZZZZZZZZZZZZZZZ";
    for (String[] replies : new String[][] {{"null", json(REPLY)}, {"[]", json(REPLY)}, {json(REPLY), json(other)}}) {
      for (int order = 0; order < 2; order++) {
        String first = replies[order];
        String second = replies[1 - order];
        BadRequest b = (BadRequest) decode("{\"id\":\"1\",\"reply\":" + first + ",\"keyword\":\"AZ\",\"value\":\"1\","
            + "\"reply\":" + second + "}");
        assertThat(b.reply()).as("%s then %s", first, second).isEmpty();
        assertThat(b.problem()).isEqualTo(BadRequest.Problem.BAD_REPLY);
      }
    }
  }

  @Test
  void rawControlCharactersInsideAStringAreMalformedAsForAnyStrictParser() {
    ModifyMessage m = decode("{\"id\":\"1\",\"keyword\":\"AZ\",\"value\":\"a\u0001b\",\"reply\":\"" + REPLY + "\"}");
    assertThat(m).isInstanceOf(BadRequest.class);
    assertThat(((BadRequest) m).reply()).isEmpty();
    assertThat(decode("{'id':'1','keyword':'AZ','value':'1'}")).isInstanceOf(BadRequest.class);
  }

  @Test
  void theReasonOfMalformedJsonQuotesNothingRaw() {
    BadRequest b = (BadRequest) decode("{\"\\u001b[31mEVIL\\n\": tru}");
    assertThat(b.reason()).doesNotContain("\u001b").doesNotContain("\n");
  }

  private static String request(String field, String value) {
    StringBuilder b = new StringBuilder("{");
    for (String f : new String[] {"id", "keyword", "value", "reply", "client"}) {
      String v = f.equals(field) ? value : switch (f) {
        case "id" -> "1";
        case "keyword" -> "AZ";
        case "value" -> "1";
        case "reply" -> REPLY;
        default -> "me";
      };
      b.append(b.length() > 1 ? "," : "").append('"').append(f).append("\":").append(json(v));
    }
    return b.append('}').toString();
  }

  private static String json(String s) {
    return new com.google.gson.Gson().toJson(s);
  }
}
