package org.ktl4j.testkit;

import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * The live move of one hash slot and its keys from one master to another, between the two of them, as
 * {@code redis-cli --cluster reshard} does it: {@code CLUSTER SETSLOT slot IMPORTING} on the target, {@code MIGRATING}
 * on the source, {@code MIGRATE} of its keys 100 at a time, then {@code CLUSTER SETSLOT slot NODE target} on the
 * target and the source. Telling the other masters and waiting for the cluster to agree is left to the caller
 * ({@link ClusterGroup#moveSlot}).
 *
 * <p>Static and stateless, so thread-safe, but two moves of the same slot at once would mix their steps: the caller
 * serializes them ({@link ClusterGroup} holds its lock). Costs a connection to each master, one {@code MIGRATE} round
 * trip per 100 keys (the source blocks until the target has stored them) and four {@code CLUSTER SETSLOT}.
 */
final class SlotMigration {
  private SlotMigration() {}

  /**
   * Moves {@code slot} from the master on {@code source} to the one on {@code target}, as the class description says;
   * {@code timeoutMs} is the socket timeout of each command, and half of it the {@code MIGRATE} timeout.
   */
  static void migrate(int slot, int source, String sourceId, int target, String targetId, int timeoutMs) {
    try (Jedis to = RedisProcesses.jedis(target, timeoutMs); Jedis from = RedisProcesses.jedis(source, timeoutMs)) {
      to.clusterSetSlotImporting(slot, sourceId);
      from.clusterSetSlotMigrating(slot, targetId);
      while (true) {
        List<String> keys = from.clusterGetKeysInSlot(slot, 100);
        if (keys.isEmpty()) {
          break;
        }
        List<String> args = new ArrayList<>(List.of("127.0.0.1", Integer.toString(target), "", "0",
            Integer.toString(timeoutMs / 2), "KEYS"));
        args.addAll(keys);
        from.sendCommand(Protocol.Command.MIGRATE, args.toArray(new String[0]));
      }
      to.clusterSetSlotNode(slot, targetId);
      from.clusterSetSlotNode(slot, targetId);
    }
  }
}
