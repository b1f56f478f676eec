package org.ktl4j.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ktl4j.dispatcher.FaultKit.WAIT;

import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.dispatcher.FaultKit.Sent;
import org.ktl4j.dispatcher.FaultKit.Writer;
import org.ktl4j.internal.protocol.Reply;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;

/** Fault suite, deadlines: a request that cannot be applied before its deadline is EXPIRED and never stored. */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultDeadlineTest {
  private final Set<String> applied = ConcurrentHashMap.newKeySet();
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch checkEntered = new CountDownLatch(1);
  private final CountDownLatch checkGate = new CountDownLatch(1);
  private RedisEndpoint endpoint;
  private DispatcherService dispatcher;
  private Writer w;

  @BeforeAll
  void start(RedisServer server) {
    String service = server.serviceName("deadline");
    endpoint = Fixtures.endpoint(server);
    dispatcher = DispatcherService.builder(service).definitions(FaultKit.integers("SLOW", "FAST", "CHECKED"))
        .endpoint(endpoint).setup(s -> {
          s.keyword("SLOW").onWrite(v -> {
            entered.countDown();
            // a hardware call that hangs until the test lets it go (bounded, so a broken test cannot hang the build)
            gate.await(60, TimeUnit.SECONDS);
            applied.add(v.ascii());
          });
          s.keyword("CHECKED").onCheck(v -> {
            if (v.ascii().equals("7")) { // a check that hangs until the test lets it go (bounded)
              checkEntered.countDown();
              checkGate.await(60, TimeUnit.SECONDS);
            }
          });
        }).build();
    dispatcher.start();
    w = new Writer(server, service);
  }

  @AfterAll
  void stop() {
    gate.countDown();
    checkGate.countDown();
    w.close();
    dispatcher.close();
    endpoint.close();
  }

  @Test
  void requestQueuedBehindABlockedWriteExpiresAndIsNeverStored() {
    gate = new CountDownLatch(1);
    Sent first = w.send("SLOW", "1");
    await("the first write is in the hook").atMost(WAIT).until(() -> entered.getCount() == 0);
    long deadline = FaultKit.serverMicros(w.redis) + 300_000; // 0.3 s on the server's clock
    Sent second = w.send("SLOW", "2", OptionalLong.of(deadline));
    // it is accepted (ack) while the first write runs, and waits behind it
    await("the queued request is acknowledged").atMost(WAIT)
        .until(() -> w.replies(second.id()).stream().anyMatch(r -> r instanceof Reply.Ack));
    await("the deadline passes on the server's clock").atMost(WAIT)
        .until(() -> FaultKit.serverMicros(w.redis) > deadline);
    long releasedAt = System.nanoTime();
    gate.countDown();
    assertThat(w.awaitDone(first.id(), WAIT)).isInstanceOf(Reply.Stored.class);
    Reply done = w.awaitDone(second.id(), WAIT);
    FaultKit.figure("deadline behind a blocked write", "EXPIRED answered " + FaultKit.msSince(releasedAt)
        + " ms after the hook was released");
    assertThat(done).isInstanceOf(Reply.Failed.class);
    assertThat(FaultKit.isCode(done, "EXPIRED")).as("%s", done).isTrue();
    assertThat(((Reply.Failed) done).error()).contains("SLOW").contains("'2'");

    // even after the hook is free again, the expired value is neither applied nor stored
    Sent third = w.send("SLOW", "3");
    assertThat(w.awaitDone(third.id(), WAIT)).isInstanceOf(Reply.Stored.class);
    assertThat(applied).containsExactlyInAnyOrder("1", "3");
    assertThat(w.stored("SLOW").get("ascii")).isEqualTo("3");
    assertThat(Long.parseLong(w.stored("SLOW").get("seq"))).as("two stores: 1 and 3")
        .isEqualTo(((Reply.Stored) w.done(first.id())).seq() + 1);
    assertOneDoneEach(first, second, third);
    w.assertNoAcknowledgedWriteLost();
    FaultKit.assertNoKtlThreadStuck();
  }

  @Test
  void requestWhoseDeadlineAlreadyPassedIsExpiredAtOnce() {
    String before = storedSeq("FAST");
    Sent late = w.send("FAST", "41", OptionalLong.of(FaultKit.serverMicros(w.redis) - 1_000_000));
    Reply done = w.awaitDone(late.id(), WAIT);
    assertThat(FaultKit.isCode(done, "EXPIRED")).as("%s", done).isTrue();
    assertThat(w.replies(late.id())).as("refused without ack").hasSize(1);
    assertThat(storedSeq("FAST")).as("nothing stored").isEqualTo(before);
    Sent inTime = w.send("FAST", "42", OptionalLong.of(FaultKit.serverMicros(w.redis) + 30_000_000));
    assertThat(w.awaitDone(inTime.id(), WAIT)).isInstanceOf(Reply.Stored.class);
    assertOneDoneEach(late, inTime);
    w.assertNoAcknowledgedWriteLost();
    FaultKit.assertNoKtlThreadStuck();
  }

  @Test
  void requestNotAcceptedByItsAckDeadlineIsExpiredWithoutAckAndNeverStored() {
    Sent blocking = w.send("CHECKED", "7");
    await("the first request is in its check hook").atMost(WAIT).until(() -> checkEntered.getCount() == 0);
    long ackBy = FaultKit.serverMicros(w.redis) + 300_000; // the writer waits 0.3 s for the ack, 30 s for done
    String id = w.nextId();
    String json = "{\"id\":\"" + id + "\",\"keyword\":\"CHECKED\",\"value\":\"8\",\"reply\":\"" + w.replies.channel
        + "\",\"client\":\"fault\",\"deadline\":\"" + org.ktl4j.internal.protocol.StoredValue.formatMicros(ackBy + 29_700_000)
        + "\",\"ack_deadline\":\"" + org.ktl4j.internal.protocol.StoredValue.formatMicros(ackBy) + "\"}";
    Sent queued = w.sendJson(id, "CHECKED", "8", json);
    await("the ack deadline passes on the server's clock").atMost(WAIT)
        .until(() -> FaultKit.serverMicros(w.redis) > ackBy);
    checkGate.countDown();
    assertThat(w.awaitDone(blocking.id(), WAIT)).isInstanceOf(Reply.Stored.class);
    Reply done = w.awaitDone(queued.id(), WAIT);
    assertThat(FaultKit.isCode(done, "EXPIRED")).as("%s", done).isTrue();
    assertThat(w.replies(queued.id())).as("no ack after the writer stopped waiting for it").hasSize(1);
    assertThat(w.stored("CHECKED").get("ascii")).as("the late request is not stored").isEqualTo("7");
    assertOneDoneEach(blocking, queued);
    FaultKit.assertNoKtlThreadStuck();
  }

  @Test
  void malformedDeadlineIsBadRequest() {
    String before = storedSeq("FAST");
    String id = w.nextId();
    String json = "{\"id\":\"" + id + "\",\"keyword\":\"FAST\",\"value\":\"43\",\"reply\":\"" + w.replies.channel
        + "\",\"client\":\"fault\",\"deadline\":\"tomorrow\"}";
    Sent bad = w.sendJson(id, "FAST", "43", json);
    Reply done = w.awaitDone(bad.id(), WAIT);
    assertThat(FaultKit.isCode(done, "BAD_REQUEST")).as("%s", done).isTrue();
    assertThat(((Reply.Failed) done).error()).contains("deadline");
    assertThat(storedSeq("FAST")).as("nothing stored").isEqualTo(before);
    assertOneDoneEach(bad);
    FaultKit.assertNoKtlThreadStuck();
  }

  /** The {@code seq} of the keyword's stored value, {@code "0"} when none is stored. */
  private String storedSeq(String keyword) {
    return w.stored(keyword).getOrDefault("seq", "0");
  }

  private void assertOneDoneEach(Sent... requests) {
    for (Sent s : requests) {
      assertThat(w.dones(s.id())).hasSize(1);
    }
  }
}
