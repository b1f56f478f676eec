package org.ktl4j.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import redis.clients.jedis.RedisClient;

/** The series store script: fenced, deadlined, every value its own seq, unchanged values skipped unless forced. */
@ExtendWith(RedisExtension.class)
class StoreScriptSeriesTest {
  private static final String KEY = "ktl:{series}:kw:K";
  private static final String LEASE = "ktl:{series}:dispatcher";

  private RedisClient redis;

  @BeforeEach
  void clean(RedisServer server) {
    redis = server.newClient();
    redis.del(KEY, LEASE);
    redis.set(LEASE, "me");
  }

  private StoreScript.SeriesResult store(String lease, long notAfter, long floor, StoreScript.SeriesValue... values) {
    return StoreScript.storeSeries(redis,
        new StoreScript.Series(KEY, LEASE, lease, notAfter, floor, "dispatcher", "id-1", List.of(values)));
  }

  private static StoreScript.SeriesValue v(String ascii, boolean force) {
    return new StoreScript.SeriesValue(ascii, 1_700_000_000_000_000L + ascii.length(), force);
  }

  @Test
  void everyValueGetsItsOwnSeqAndTheLastIsInTheHash() {
    StoreScript.SeriesResult r = store("me", 0, 0, v("1", false), v("2", false), v("3", false));
    assertThat(r).isEqualTo(new StoreScript.SeriesResult(StoreScript.Outcome.STORED, 3, 3));
    Map<String, String> h = redis.hgetAll(KEY);
    assertThat(h).containsEntry("ascii", "3").containsEntry("seq", "3").containsEntry("origin", "dispatcher")
        .containsEntry("store", "id-1").containsEntry("ts", "1700000000.000001");
  }

  @Test
  void unchangedValuesAreSkippedUnlessForced() {
    store("me", 0, 0, v("a", false));
    StoreScript.SeriesResult r = store("me", 0, 0, v("a", false), v("b", false), v("b", false), v("b", true));
    assertThat(r.stored()).as("a (as stored) and the second b skipped; the forced b stored").isEqualTo(2);
    assertThat(r.seq()).isEqualTo(3);
    assertThat(store("me", 0, 0, v("b", false))).isEqualTo(
        new StoreScript.SeriesResult(StoreScript.Outcome.UNCHANGED, 3, 0));
  }

  @Test
  void theSeqNeverGoesBelowTheCallersFloor() {
    assertThat(store("me", 0, 41, v("x", false)).seq()).isEqualTo(42);
  }

  @Test
  void anotherDispatchersOrNoLeaseStoresNothing() {
    assertThat(store("stale", 0, 0, v("x", false)).outcome()).isEqualTo(StoreScript.Outcome.NOT_LEASE_HOLDER);
    redis.del(LEASE);
    assertThat(store("me", 0, 0, v("x", false)).outcome()).isEqualTo(StoreScript.Outcome.NO_LEASE);
    assertThat(redis.exists(KEY)).isFalse();
  }

  @Test
  void aSeriesPastItsDeadlineStoresNothing() {
    assertThat(store("me", 1, 0, v("x", false)).outcome()).isEqualTo(StoreScript.Outcome.EXPIRED);
    assertThat(redis.exists(KEY)).isFalse();
  }

  @Test
  void protocolDocumentHoldsBothScriptsVerbatim() throws Exception {
    Path doc = Path.of("..", "docs", "protocol.md");
    String text = Files.readString(doc);
    assertThat(text).contains(StoreScript.LUA).contains(StoreScript.SERIES);
  }
}
