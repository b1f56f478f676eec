package org.ktl4j.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.redis.TlsFiles;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisOptions;
import org.ktl4j.testkit.RedisServer;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/** A command stream: authenticated and on its database from the start, answers in order, dead once closed. */
@ExtendWith(RedisExtension.class)
@RedisOptions(password = "stream-secret")
class CommandStreamTest {

  private static RedisSettings settings(RedisServer server, int db) {
    return new RedisSettings(server.host(), server.port(), db, Duration.ofSeconds(2), Optional.empty(),
        server.password(), false, TlsFiles.NONE);
  }

  @Test
  void commandsSentAheadAreAnsweredInOrderOnTheConfiguredDatabase(RedisServer server) {
    String key = server.serviceName("stream") + ":k";
    try (CommandStream s = CommandStream.open(settings(server, 2), "ktl-test-stream");
         RedisClient db2 = RedisClient.builder().hostAndPort(server.host(), server.port())
             .clientConfig(server.clientConfig().database(2).build()).build()) {
      s.send(new CommandArguments(Protocol.Command.SET).key(key).add("1"));
      s.send(new CommandArguments(Protocol.Command.INCR).key(key));
      s.send(new CommandArguments(Protocol.Command.HGET).key(key).add("f")); // wrong type: an error reply
      s.send(new CommandArguments(Protocol.Command.INCR).key(key));
      assertThat(new String((byte[]) s.read())).isEqualTo("OK");
      assertThat(s.read()).isEqualTo(2L);
      assertThatThrownBy(s::read).isInstanceOf(JedisDataException.class).hasMessageContaining("WRONGTYPE");
      assertThat(s.read()).as("an error reply leaves the stream usable").isEqualTo(3L);
      assertThat(db2.get(key)).isEqualTo("3");
      String clients = new String((byte[]) db2.sendCommand(Protocol.Command.CLIENT, "LIST"));
      assertThat(clients).contains("name=ktl-test-stream");
    }
  }

  @Test
  void aClosedStreamStaysDeadAndNeverReconnects(RedisServer server) {
    CommandStream s = CommandStream.open(settings(server, 0), "ktl-test-dead");
    s.close();
    assertThat(s.isDead()).isTrue();
    assertThatThrownBy(() -> s.send(new CommandArguments(Protocol.Command.PING)))
        .isInstanceOf(JedisConnectionException.class);
    assertThatThrownBy(s::read).isInstanceOf(JedisConnectionException.class);
  }

  @Test
  void aWrongPasswordIsRefusedWhenOpening(RedisServer server) {
    RedisSettings wrong = new RedisSettings(server.host(), server.port(), 0, Duration.ofSeconds(2), Optional.empty(),
        Optional.of("not-the-password"), false, TlsFiles.NONE);
    assertThatThrownBy(() -> CommandStream.open(wrong, "ktl-test-wrong")).isInstanceOf(JedisException.class);
  }
}
