package org.ktl4j.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import redis.clients.jedis.Jedis;

/**
 * The slot map of a Redis Cluster as one node sees it, for {@link ClusterGroup}: {@code CLUSTER SLOTS} read into
 * {@link SlotRange}s keyed by their first slot, and the lookups on such a map (which master serves a slot, which
 * ranges a master serves). Two nodes agree on the cluster when their maps are {@linkplain TreeMap#equals equal}.
 *
 * <p>Static and stateless, so thread-safe. {@link #of} costs one round trip to the node; the rest works on a map in
 * memory.
 */
final class ClusterSlots {
  private ClusterSlots() {}

  /**
   * {@code CLUSTER SLOTS} of the node {@code j} is connected to, by first slot. Deprecated since Redis 7.0 in favour of
   * {@code CLUSTER SHARDS}, whose reply also holds each node's replication offset and health, which change all the time:
   * no use for checking that nodes agree.
   */
  @SuppressWarnings("deprecation")
  static TreeMap<Integer, SlotRange> of(Jedis j) {
    return parse(j.clusterSlots());
  }

  /** {@code CLUSTER SLOTS} in RESP2: [[start, end, [ip, port, id, ...] (master), [ip, port, id, ...] (replicas)...]...]. */
  static TreeMap<Integer, SlotRange> parse(List<Object> reply) {
    TreeMap<Integer, SlotRange> map = new TreeMap<>();
    for (Object o : reply) {
      List<?> entry = (List<?>) o;
      int start = ((Long) entry.get(0)).intValue();
      int end = ((Long) entry.get(1)).intValue();
      int master = ((Long) ((List<?>) entry.get(2)).get(1)).intValue();
      List<Integer> replicas = new ArrayList<>();
      for (Object r : entry.subList(3, entry.size())) {
        replicas.add(((Long) ((List<?>) r).get(1)).intValue());
      }
      replicas.sort(null);
      map.put(start, new SlotRange(start, end, master, replicas));
    }
    return map;
  }

  /** The port of the master that serves {@code slot} in {@code map}, or -1 if no range holds it. */
  static int masterOf(TreeMap<Integer, SlotRange> map, int slot) {
    Map.Entry<Integer, SlotRange> e = map.floorEntry(slot);
    return e == null || e.getValue().end < slot ? -1 : e.getValue().master;
  }

  /** The ranges of {@code map} whose master is on {@code port}, in slot order; empty if it serves none. */
  static List<SlotRange> owned(TreeMap<Integer, SlotRange> map, int port) {
    List<SlotRange> owned = new ArrayList<>();
    for (SlotRange r : map.values()) {
      if (r.master == port) {
        owned.add(r);
      }
    }
    return owned;
  }

  /** A range of slots, its master's port and its replicas' ports (sorted), as one node sees it. */
  static final class SlotRange {
    final int start;
    final int end;
    final int master;
    final List<Integer> replicas;

    SlotRange(int start, int end, int master, List<Integer> replicas) {
      this.start = start;
      this.end = end;
      this.master = master;
      this.replicas = replicas;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SlotRange && ((SlotRange) o).start == start && ((SlotRange) o).end == end
          && ((SlotRange) o).master == master && ((SlotRange) o).replicas.equals(replicas);
    }

    @Override
    public int hashCode() {
      return Objects.hash(start, end, master, replicas);
    }

    @Override
    public String toString() {
      return start + "-" + end + "@" + master + (replicas.isEmpty() ? "" : "+" + replicas);
    }
  }
}
