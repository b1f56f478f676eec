package org.ktl4j.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ktl4j.dispatcher.FaultKit.WAIT;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.dispatcher.FaultKit.Sent;
import org.ktl4j.dispatcher.FaultKit.Writer;
import org.ktl4j.protocol.ModifyRequest;
import org.ktl4j.protocol.Reply;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisOptions;
import org.ktl4j.testkit.RedisServer;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

/**
 * Stores sent from the pub/sub reader thread ({@link DirectStores}): the same answers as through the intake queues,
 * and the same truth when their connection fails or the script cache is flushed.
 */
@ExtendWith(RedisExtension.class)
@RedisOptions(password = "direct-secret")
class DirectStoresTest {
  private static final List<String> KEYWORDS = List.of("K0", "K1", "K2", "K3");

  private static DispatcherService dispatcher(RedisServer server, String service, RedisEndpoint endpoint,
      boolean direct) {
    return dispatcher(service, endpoint, FaultKit.shortLease().toBuilder().directStores(direct).build());
  }

  private static DispatcherService dispatcher(String service, RedisEndpoint endpoint, DispatcherConfig config) {
    DispatcherService d = DispatcherService.builder(service).definitions(FaultKit.integers("K0", "K1", "K2", "K3"))
        .config(config).endpoint(endpoint).build();
    d.start();
    return d;
  }

  /** The ids of the dispatcher's direct store connections ({@code CLIENT SETNAME ktl-stores}). */
  private static List<String> storeConnections(RedisClient admin) {
    List<String> ids = new ArrayList<>();
    String list = new String((byte[]) admin.sendCommand(Protocol.Command.CLIENT, "LIST"),
        java.nio.charset.StandardCharsets.UTF_8);
    for (String line : list.split("\n")) {
      if (line.contains(" name=ktl-stores ")) {
        ids.add(line.substring(3, line.indexOf(' ')));
      }
    }
    return ids;
  }

  private static long evalshaCalls(RedisClient admin, String clientId) {
    String list = new String((byte[]) admin.sendCommand(Protocol.Command.CLIENT, "LIST", "ID", clientId),
        java.nio.charset.StandardCharsets.UTF_8);
    return list.contains("cmd=evalsha") ? 1 : 0;
  }

  @Test
  void aCachingKeywordsWriteIsStoredFromTheReaderOnItsOwnConnection(RedisServer server) {
    String service = server.serviceName("direct");
    try (RedisEndpoint endpoint = Fixtures.endpoint(server);
         DispatcherService d = dispatcher(server, service, endpoint, true);
         Writer w = new Writer(server, service);
         RedisClient admin = server.newClient()) {
      await().atMost(WAIT).until(() -> storeConnections(admin).size() == 1);
      for (int i = 0; i < 20; i++) {
        assertThat(w.write(KEYWORDS.get(i % 4), Integer.toString(i))).isInstanceOf(Reply.Stored.class);
      }
      assertThat(evalshaCalls(admin, storeConnections(admin).get(0))).as("stores went on the direct connection")
          .isEqualTo(1);
      w.assertNoAcknowledgedWriteLost();
    }
  }

  @Test
  void withDirectStoresOffNoStoreConnectionIsOpenedAndWritesAreServed(RedisServer server) {
    String service = server.serviceName("nodirect");
    try (RedisEndpoint endpoint = Fixtures.endpoint(server);
         DispatcherService d = dispatcher(server, service, endpoint, false);
         Writer w = new Writer(server, service);
         RedisClient admin = server.newClient()) {
      for (int i = 0; i < 8; i++) {
        assertThat(w.write(KEYWORDS.get(i % 4), Integer.toString(i))).isInstanceOf(Reply.Stored.class);
      }
      assertThat(storeConnections(admin)).isEmpty();
    }
  }

  @Test
  void killingTheStoreConnectionMidFloodGivesEachWriteOneTrueAnswer(RedisServer server) {
    String service = server.serviceName("directkill");
    try (RedisEndpoint endpoint = Fixtures.endpoint(server);
         DispatcherService d = dispatcher(server, service, endpoint, true);
         Writer w = new Writer(server, service);
         RedisClient admin = server.newClient()) {
      await().atMost(WAIT).until(() -> storeConnections(admin).size() == 1);
      List<Sent> sent = new ArrayList<>();
      int kills = 0;
      for (int i = 0; i < 600; i++) {
        sent.add(w.send(KEYWORDS.get(i % 4), Integer.toString(i)));
        if (i % 150 == 75) {
          for (String id : storeConnections(admin)) {
            admin.sendCommand(Protocol.Command.CLIENT, "KILL", "ID", id);
            kills++;
          }
        }
      }
      assertThat(kills).as("the store connection was there to kill").isPositive();
      w.assertExactlyOneDone(sent, WAIT);
      await("nothing in flight").atMost(WAIT).until(() -> d.handler.inFlight() == 0);
      w.assertAtMostOneDone();
      FaultRedisTest.assertFailedValuesNeverStored(w, null, Set.of());
      w.assertNoAcknowledgedWriteLost();
      await("the store connection is back").atMost(WAIT).until(() -> storeConnections(admin).size() == 1);
      assertThat(w.write("K0", "-1")).isInstanceOf(Reply.Stored.class);
      FaultKit.assertNoKtlThreadStuck();
    }
  }

  @Test
  void storesInFlightWhenTheirConnectionDiesAreReadBackAndAnsweredTruthfully(RedisServer server) {
    String service = server.serviceName("directlost");
    try (RedisEndpoint endpoint = Fixtures.endpoint(server);
         // the default lease outlives the pause below, which holds its renewals too
         DispatcherService d = dispatcher(service, endpoint, DispatcherConfig.defaults());
         Writer w = new Writer(server, service);
         RedisClient admin = server.newClient()) {
      await().atMost(WAIT).until(() -> storeConnections(admin).size() == 1);
      // the requests are delivered and, in the same instant, writes (scripts included) are paused: the dispatcher's
      // stores wait in the server, unrun, until their connection is killed
      List<Sent> sent = new ArrayList<>();
      try (AbstractTransaction t = admin.multi()) {
        for (String k : KEYWORDS) {
          String id = w.nextId();
          t.publish(w.keys.modifyChannel(), new ModifyRequest(id, k, "77", Optional.of(w.replies.channel),
              Optional.of("direct-test"), OptionalLong.empty()).toJson());
          sent.add(new Sent(id, k, "77", 1, System.nanoTime()));
        }
        t.sendCommand(Protocol.Command.CLIENT, "PAUSE", "1500", "WRITE");
        t.exec();
      }
      w.sent.addAll(sent);
      await("one store of each keyword in flight").atMost(WAIT).until(() -> d.handler.directInFlight() == 4);
      for (String id : storeConnections(admin)) {
        admin.sendCommand(Protocol.Command.CLIENT, "KILL", "ID", id); // the paused scripts die with it
      }
      w.assertExactlyOneDone(sent, WAIT);
      for (Sent s : sent) {
        assertThat(w.done(s.id())).as("%s never ran: its writer is told so", s.keyword())
            .matches(r -> FaultKit.isCode(r, "WRITE_FAILED"));
        assertThat(w.stored(s.keyword())).as("%s", s.keyword()).doesNotContainEntry("ascii", "77");
      }
      assertThat(d.handler.directSettled()).isEqualTo(4);
      await("the store connection is back").atMost(WAIT).until(() -> storeConnections(admin).size() == 1);
      assertThat(w.write("K0", "78")).isInstanceOf(Reply.Stored.class);
    }
  }

  @Test
  void afterTheScriptCacheIsFlushedDirectStoresLoadItAndStoreInOrder(RedisServer server) {
    String service = server.serviceName("directflush");
    try (RedisEndpoint endpoint = Fixtures.endpoint(server);
         DispatcherService d = dispatcher(server, service, endpoint, true);
         Writer w = new Writer(server, service);
         RedisClient admin = server.newClient()) {
      await().atMost(WAIT).until(() -> storeConnections(admin).size() == 1);
      assertThat(w.write("K1", "1")).isInstanceOf(Reply.Stored.class);
      admin.sendCommand(Protocol.Command.SCRIPT, "FLUSH");
      List<Sent> sent = new ArrayList<>();
      for (int i = 2; i <= 50; i++) {
        sent.add(w.send("K1", Integer.toString(i)));
      }
      w.assertExactlyOneDone(sent, WAIT);
      for (Sent s : sent) {
        assertThat(w.done(s.id())).as("request %s", s.value()).isInstanceOf(Reply.Stored.class);
      }
      List<Long> seqs = sent.stream().map(s -> ((Reply.Stored) w.done(s.id())).seq()).toList();
      assertThat(seqs).as("stored in arrival order").isSorted().doesNotHaveDuplicates();
      assertThat(w.stored("K1")).containsEntry("ascii", "50");
    }
  }
}
