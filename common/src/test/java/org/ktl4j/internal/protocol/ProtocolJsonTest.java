package org.ktl4j.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ktl4j.ErrorCode;

class ProtocolJsonTest {
  private static final Keys K = Keys.of("t");
  private static final String REPLY = "ktl:{t}:reply:0123456789abcdef";

  @Test
  void modifyRequestRoundTrips() {
    ModifyRequest r = new ModifyRequest("7", "AZ", "12.5 \"deg\" ✓", Optional.of(REPLY), Optional.of("me"));
    ModifyMessage m = ProtocolJson.decodeModify(r.toJson(), K);
    assertThat(m).isEqualTo(new ModifyMessage.Valid(r));
  }

  @Test
  void requestWithoutReplyIsFireAndForget() {
    ModifyMessage m = ProtocolJson.decodeModify("{\"id\":\"1\",\"keyword\":\"az\",\"value\":\"3\",\"extra\":[1,{}]}", K);
    ModifyRequest r = ((ModifyMessage.Valid) m).request();
    assertThat(r.reply()).isEmpty();
    assertThat(r.client()).isEmpty();
    assertThat(r.keyword()).isEqualTo("az");
  }

  @Test
  void numericValueAndIdAreTakenAsTheirText() {
    ModifyRequest r = ((ModifyMessage.Valid) ProtocolJson.decodeModify("{\"id\":5,\"keyword\":\"N\",\"value\":45.50}", K)).request();
    assertThat(r.id()).isEqualTo("5");
    assertThat(r.value()).isEqualTo("45.50");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "garbage", "[1,2]", "null", "{\"id\":\"1\"", "{\"id\":\"1\",\"keyword\":\"A\"}",
      "{\"keyword\":\"A\",\"value\":\"1\"}", "{\"id\":\"1\",\"value\":\"1\"}", "{} {}", "{\"id\":{},\"keyword\":\"A\",\"value\":\"1\"}"})
  void anythingElseIsABadRequestAndNeverThrows(String json) {
    assertThat(ProtocolJson.decodeModify(json, K)).isInstanceOf(BadRequest.class);
  }

  @Test
  void badRequestKeepsTheReplyChannelItCouldRead() {
    BadRequest b = (BadRequest) ProtocolJson.decodeModify("{\"id\":\"9\",\"reply\":\"" + REPLY + "\",\"keyword\":\"A\"}", K);
    assertThat(b.reply()).contains(REPLY);
    assertThat(b.id()).contains("9");
    assertThat(b.reason()).contains("value");
  }

  @Test
  void repliesRoundTrip() {
    for (Reply r : new Reply[] {new Reply.Ack("1", "AZ"), new Reply.Stored("2", "AZ", "1.5", 42),
        new Reply.Failed("3", "AZ", ErrorCode.OUT_OF_RANGE, "too big")}) {
      assertThat(ProtocolJson.decodeReply(r.toJson())).isEqualTo(r);
    }
    assertThat(new Reply.Ack("1", "AZ").toJson()).isEqualTo("{\"id\":\"1\",\"keyword\":\"AZ\",\"stage\":\"ack\"}");
  }

  @Test
  void unknownErrorCodeIsReadAsWriteFailed() {
    Reply r = ProtocolJson.decodeReply("{\"id\":\"1\",\"keyword\":\"A\",\"stage\":\"done\",\"ok\":false,\"code\":\"NEW_CODE\",\"error\":\"x\"}");
    assertThat(((Reply.Failed) r).code()).isEqualTo(ErrorCode.WRITE_FAILED);
  }

  @Test
  void malformedReplyIsRefused() {
    assertThatThrownBy(() -> ProtocolJson.decodeReply("{\"stage\":\"ack\"}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProtocolJson.decodeReply("{\"id\":\"1\",\"stage\":\"later\"}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void storedPrefixCompletedBySeqIsTheDoneReply() {
    String prefix = ProtocolJson.storedPrefix("id\"1", "AZ", "a \\ b");
    assertThat(prefix + 17 + "}").isEqualTo(new Reply.Stored("id\"1", "AZ", "a \\ b", 17).toJson());
  }

  @Test
  void leaseRoundTrips() {
    DispatcherLease l = new DispatcherLease("id", "host", 42, "0.1.0", "1.000000");
    assertThat(DispatcherLease.fromJson(l.toJson())).isEqualTo(l);
    assertThat(l.describe()).contains("host").contains("pid 42");
  }

  @Test
  void timestampsHaveSixFractionDigits() {
    Instant t = Instant.ofEpochSecond(1732236366, 123_456_789);
    assertThat(StoredValue.formatTimestamp(t)).isEqualTo("1732236366.123456");
    assertThat(StoredValue.formatTimestamp(Instant.ofEpochSecond(5))).isEqualTo("5.000000");
    assertThat(StoredValue.parseTimestamp("1732236366.123456")).isEqualTo(Instant.ofEpochSecond(1732236366, 123_456_000));
    assertThat(StoredValue.parseTimestamp("12.5")).isEqualTo(Instant.ofEpochSecond(12, 500_000_000));
  }

  @Test
  void deadlineRoundTripsInTheTimestampFormat() {
    ModifyRequest r = new ModifyRequest("7", "AZ", "1.5", Optional.of(REPLY), Optional.empty(),
        OptionalLong.of(1_732_236_366_123_456L));
    assertThat(r.toJson()).contains("\"deadline\":\"1732236366.123456\"");
    assertThat(ProtocolJson.decodeModify(r.toJson(), K)).isEqualTo(new ModifyMessage.Valid(r));
    ModifyMessage shortFraction = ProtocolJson.decodeModify(
        "{\"id\":\"1\",\"keyword\":\"AZ\",\"value\":\"1\",\"deadline\":\"12.5\"}", K);
    assertThat(((ModifyMessage.Valid) shortFraction).request().deadline()).hasValue(12_500_000L);
  }

  @Test
  void ackDeadlineRoundTripsAndBoundsAcceptance() {
    ModifyRequest r = new ModifyRequest("7", "AZ", "1.5", Optional.of(REPLY), Optional.empty(),
        OptionalLong.of(60_000_000L), OptionalLong.of(2_000_000L));
    assertThat(r.toJson()).contains("\"ack_deadline\":\"2.000000\"");
    assertThat(ProtocolJson.decodeModify(r.toJson(), K)).isEqualTo(new ModifyMessage.Valid(r));
    assertThat(r.acceptBy()).hasValue(2_000_000L);
    ModifyMessage bad = ProtocolJson.decodeModify(
        "{\"id\":\"1\",\"keyword\":\"AZ\",\"value\":\"1\",\"ack_deadline\":\"soon\"}", K);
    assertThat(((BadRequest) bad).reason()).contains("ack_deadline");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "soon", "-1.0", "1.", ".5", "1.1234567", "1e9", "1234567890123.0", " 12.5", "12.5x"})
  void malformedDeadlineIsABadRequestThatKeepsTheReplyChannel(String deadline) {
    ModifyMessage m = ProtocolJson.decodeModify("{\"id\":\"1\",\"keyword\":\"AZ\",\"value\":\"1\",\"reply\":\"" + REPLY + "\","
        + "\"deadline\":\"" + deadline + "\"}", K);
    assertThat(m).isInstanceOf(BadRequest.class);
    assertThat(((BadRequest) m).reason()).contains("deadline");
    assertThat(((BadRequest) m).reply()).hasValue(REPLY);
  }

  @Test
  void expiredAndBusyAreCodesOnTheWire() {
    for (ErrorCode c : new ErrorCode[] {ErrorCode.EXPIRED, ErrorCode.BUSY}) {
      Reply r = ProtocolJson.decodeReply(new Reply.Failed("1", "AZ", c, "why").toJson());
      assertThat(((Reply.Failed) r).code()).isEqualTo(c);
    }
  }
}
