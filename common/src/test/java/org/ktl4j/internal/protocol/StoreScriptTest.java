package org.ktl4j.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import redis.clients.jedis.RedisClient;

/** The store script: fenced, deadlined, seq raised by the values a store stands for, and documented verbatim. */
@ExtendWith(RedisExtension.class)
class StoreScriptTest {
  private static final String KEY = "ktl:{storescript}:kw:K";
  private static final String LEASE = "ktl:{storescript}:dispatcher";
  private static final String HISTORY = "ktl:{storescript}:history:K";

  private RedisClient redis;

  @BeforeEach
  void clean(RedisServer server) {
    redis = server.newClient();
    redis.del(KEY, LEASE, HISTORY);
    redis.set(LEASE, "me");
  }

  private StoreScript.Result store(String lease, String ascii, long floor, boolean onlyIfChanged, long notAfter,
      long count) {
    return StoreScript.store(redis, new StoreScript.Store(KEY, LEASE, lease, ascii, "1700000000.000001", "dispatcher",
        floor, onlyIfChanged, "", "", notAfter, "id-" + ascii, count, HISTORY, 3), false);
  }

  @Test
  void aStoreRaisesSeqByOneOrByTheValuesItStandsFor() {
    assertThat(store("me", "1", 0, false, 0, 1)).isEqualTo(new StoreScript.Result(StoreScript.Outcome.STORED, 1));
    assertThat(store("me", "5", 0, false, 0, 4)).isEqualTo(new StoreScript.Result(StoreScript.Outcome.STORED, 5));
    assertThat(redis.hgetAll(KEY)).containsEntry("ascii", "5").containsEntry("seq", "5")
        .containsEntry("ts", "1700000000.000001").containsEntry("origin", "dispatcher").containsEntry("store", "id-5");
  }

  @Test
  void anUnchangedValueIsSkippedOnlyWhenAskedTo() {
    store("me", "a", 0, false, 0, 1);
    assertThat(store("me", "a", 0, true, 0, 1)).isEqualTo(new StoreScript.Result(StoreScript.Outcome.UNCHANGED, 1));
    assertThat(store("me", "a", 0, false, 0, 1).seq()).isEqualTo(2);
  }

  @Test
  void theSeqNeverGoesBelowTheCallersFloor() {
    assertThat(store("me", "x", 41, false, 0, 1).seq()).isEqualTo(42);
    assertThat(store("me", "y", 10, false, 0, 1).seq()).as("a floor below the stored seq changes nothing")
        .isEqualTo(43);
  }

  @Test
  void anotherDispatchersOrNoLeaseOrALateStoreStoresNothing() {
    assertThat(store("stale", "x", 0, false, 0, 1).outcome()).isEqualTo(StoreScript.Outcome.NOT_LEASE_HOLDER);
    assertThat(store("me", "x", 0, false, 1, 1).outcome()).isEqualTo(StoreScript.Outcome.EXPIRED);
    redis.del(LEASE);
    assertThat(store("me", "x", 0, false, 0, 1).outcome()).isEqualTo(StoreScript.Outcome.NO_LEASE);
    assertThat(redis.exists(KEY)).isFalse();
    assertThat(redis.exists(HISTORY)).as("a refused store leaves no history").isFalse();
  }

  @Test
  void everyStoredValueIsAppendedToTheHistoryInTheSameStepAndSkippedOnesAreNot() {
    store("me", "a", 0, false, 0, 1);
    store("me", "a", 0, true, 0, 1);
    store("me", "b", 0, false, 0, 3);
    List<redis.clients.jedis.resps.StreamEntry> h = redis.xrange(HISTORY, "-", "+");
    assertThat(h).extracting(e -> e.getFields().get("ascii")).containsExactly("a", "b");
    assertThat(h).extracting(e -> e.getFields().get("seq")).containsExactly("1", "4");
    assertThat(h.get(1).getFields()).containsEntry("ts", "1700000000.000001").containsEntry("origin", "dispatcher");
  }

  @Test
  void aHistoryKeyOfAnotherTypeNeverUndoesOrHidesAStoredValue() {
    redis.set(HISTORY, "not a stream");
    assertThat(store("me", "a", 0, false, 0, 1)).isEqualTo(new StoreScript.Result(StoreScript.Outcome.STORED, 1, false));
    assertThat(redis.hget(KEY, "ascii")).isEqualTo("a");
    redis.del(HISTORY);
    assertThat(store("me", "b", 0, false, 0, 1)).isEqualTo(new StoreScript.Result(StoreScript.Outcome.STORED, 2, true));
    assertThat(redis.xlen(HISTORY)).isEqualTo(1);
  }

  @Test
  void theHistoryIsCappedAndKeepsTheNewestValues() {
    for (int i = 0; i < 500; i++) {
      store("me", Integer.toString(i), 0, false, 0, 1);
    }
    // trimmed in whole stream nodes (MAXLEN ~): at least the 3 asked for, never the whole run
    assertThat(redis.xlen(HISTORY)).isBetween(3L, 300L);
    assertThat(redis.xrevrange(HISTORY, "+", "-", 3)).extracting(e -> e.getFields().get("ascii"))
        .containsExactly("499", "498", "497");
  }

  @Test
  void protocolDocumentHoldsTheScriptVerbatim() throws Exception {
    assertThat(Files.readString(Path.of("..", "docs", "protocol.md"))).contains(StoreScript.LUA);
    assertThat(List.of(StoreScript.LUA.split("\n"))).anyMatch(l -> l.contains("ARGV[11]"));
  }
}
