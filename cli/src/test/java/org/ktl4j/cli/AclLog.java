package org.ktl4j.cli;

import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.KeyValue;
import redis.clients.jedis.util.SafeEncoder;

/** Reads the server's {@code ACL LOG}: one line per refusal, {@code reason=…, context=…, object=…, username=…, cmd=…}. */
final class AclLog {
  private AclLog() {}

  /** Every entry of {@code ACL LOG}, newest first. */
  static List<String> entries(RedisClient admin) {
    List<String> entries = new ArrayList<>();
    for (Object entry : (List<?>) admin.sendCommand(Protocol.Command.ACL, "LOG")) {
      entries.add(describe(entry));
    }
    return entries;
  }

  /** One entry (RESP2: a flat list of field, value; RESP3: a map, as a list of key-values) as one line. */
  static String describe(Object entry) {
    List<Object> fields = new ArrayList<>();
    for (Object o : (List<?>) entry) {
      if (o instanceof KeyValue<?, ?> kv) {
        fields.add(kv.getKey());
        fields.add(kv.getValue());
      } else {
        fields.add(o);
      }
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      String name = text(fields.get(i));
      String value = text(fields.get(i + 1));
      if (name.equals("client-info")) {
        int cmd = value.indexOf(" cmd=");
        value = cmd < 0 ? value : value.substring(cmd + 5, value.indexOf(' ', cmd + 5));
        name = "cmd";
      }
      if (List.of("reason", "context", "object", "username", "cmd").contains(name)) {
        b.append(name).append('=').append(value).append(", ");
      }
    }
    return b.toString();
  }

  private static String text(Object o) {
    return o instanceof byte[] bytes ? SafeEncoder.encode(bytes) : String.valueOf(o);
  }
}
