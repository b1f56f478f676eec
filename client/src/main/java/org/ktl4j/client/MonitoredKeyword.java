package org.ktl4j.client;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ktl4j.internal.redis.PubSub;

/**
 * A keyword that has at least one listener in this process: its latest value and its listeners. Fetches are
 * coalesced: a notification only marks it dirty; one read serves any number of notifications that arrived
 * before it.
 *
 * <p>It never goes deaf. Reads come from one thread (the fetcher), in order, so a value read after another one
 * with a lower {@code seq} (or the same {@code seq} and another timestamp) is not stale: the stored numbering
 * restarted (the hash was deleted, or Redis lost its data and a fresh dispatcher numbers from 1 again). Such a
 * value is a new baseline: it is delivered to every listener as a resync and later values count from it. A read
 * that finds no value (the hash was deleted) clears {@link #latest} and delivers nothing; the next value stored
 * is delivered as a resync. Thread-safe; the lock is this keyword's own and is held only to compare two numbers.
 */
final class MonitoredKeyword {
  final Keyword keyword;
  final String key;
  final List<ListenerSlot> slots = new CopyOnWriteArrayList<>();
  final AtomicBoolean dirty = new AtomicBoolean();
  final AtomicBoolean resync = new AtomicBoolean();
  volatile KeywordValue latest;
  PubSub.Registration channel; // guarded by Monitors
  int channelUsers; // guarded by Monitors
  private KeywordValue lastRead; // guarded by this: the fetcher's previous read
  private boolean removed; // guarded by this: the last read found no value

  MonitoredKeyword(Keyword keyword, String key) {
    this.keyword = keyword;
    this.key = key;
  }

  /**
   * A value the fetcher has just read (null = no value: never set, or deleted), delivered to every listener if it
   * is new. {@code resynced}: read after a reconnection, so updates may have been missed.
   */
  void offer(KeywordValue v, boolean resynced) {
    boolean newBaseline;
    synchronized (this) {
      if (v == null) {
        if (lastRead != null || latest != null) {
          removed = true;
          lastRead = null;
          latest = null;
          slots.forEach(ListenerSlot::removed);
        }
        return;
      }
      KeywordValue last = lastRead;
      if (last != null) {
        newBaseline = removed || v.seq() < last.seq()
            || (v.seq() == last.seq() && !Objects.equals(v.timestamp(), last.timestamp()));
      } else {
        // only priming reads so far, made on other threads: a lower seq is a new baseline only if it was stored
        // later (otherwise it is a read that raced a newer priming read)
        KeywordValue primed = latest;
        newBaseline = removed || (primed != null && v.seq() <= primed.seq()
            && v.timestamp().isAfter(primed.timestamp()));
      }
      if (!resynced && !newBaseline && last != null && v.seq() == last.seq()) {
        return; // the same value again (coalesced notifications)
      }
      removed = false;
      lastRead = v;
      latest = v;
    }
    for (ListenerSlot s : slots) {
      s.offer(v, resynced || newBaseline, newBaseline);
    }
  }

  /**
   * Records a value read for one new listener as the latest, without delivering it to the others and without
   * moving the fetcher's baseline: the broadcast of the same value still reaches every listener (each listener
   * drops what it has already seen).
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
