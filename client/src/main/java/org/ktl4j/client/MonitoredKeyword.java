package org.ktl4j.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ktl4j.redis.PubSubHub;

/**
 * A keyword that has at least one listener in this process: its latest value and its listeners. Fetches are
 * coalesced: a notification only marks it dirty; one read serves any number of notifications that arrived
 * before it.
 */
final class MonitoredKeyword {
  final Keyword keyword;
  final String key;
  final List<ListenerSlot> slots = new CopyOnWriteArrayList<>();
  final AtomicBoolean dirty = new AtomicBoolean();
  final AtomicBoolean resync = new AtomicBoolean();
  volatile KeywordValue latest;
  PubSubHub.Registration channel; // guarded by Monitors
  int channelUsers; // guarded by Monitors
  private long lastSeq = -1; // guarded by this

  MonitoredKeyword(Keyword keyword, String key) {
    this.keyword = keyword;
    this.key = key;
  }

  /** A freshly read value (null = never set); delivers it to every listener if it is new. */
  void offer(KeywordValue v, boolean resynced) {
    if (v == null) {
      return;
    }
    synchronized (this) {
      if (!resynced && v.seq() <= lastSeq) {
        return;
      }
      lastSeq = v.seq();
      latest = v;
    }
    for (ListenerSlot s : slots) {
      s.offer(v, resynced);
    }
  }

  /**
   * Records a value read for one new listener as the latest, without delivering it to the others and without
   * moving {@code lastSeq}: the broadcast of the same value still reaches every listener (each listener drops
   * what it has already seen).
   */
  void observe(KeywordValue v) {
    if (v == null) {
      return;
    }
    synchronized (this) {
      KeywordValue l = latest;
      if (l == null || v.seq() > l.seq()) {
        latest = v;
      }
    }
  }
}
