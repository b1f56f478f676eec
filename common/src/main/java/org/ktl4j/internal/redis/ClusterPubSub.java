package org.ktl4j.internal.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import org.ktl4j.redis.RedisSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The pub/sub connections of a process to a Redis Cluster: one {@link PubSubHub} per node that serves a subscribed
 * name, each name subscribed on the master that serves its slot (keyspace notifications are published only there,
 * and shard channels can be subscribed only there). <b>This class owns those hubs</b> and the topology thread
 * ({@code ktl-cluster-topology}) that follows the cluster: every {@value #CHECK_MS} ms (every {@value #FAST_CHECK_MS}
 * ms while a connection in use is down), and at once when a node drops a shard channel, refuses one with
 * {@code MOVED}, or its connection is lost, it reads the slot map again and moves every subscription whose slot is
 * now served elsewhere (a slot migration or a failover) to that node's hub; the old node is left once the new
 * subscription is queued. Once a moved subscription is confirmed on its new node (or that node's connection is
 * up), listeners are told, for the services concerned, as for a reconnection: messages may have been lost
 * meanwhile. A hub left with nothing subscribed is closed.
 *
 * <p>Thread-safe: subscriptions are added and removed from any thread. Cost: one hub (one connection, three threads)
 * per node in use, one topology thread, and while anything is subscribed one {@code CLUSTER SLOTS} per second on a
 * pooled connection.
 */
public final class ClusterPubSub implements PubSub, AutoCloseable {
  /** How often the slot map is read again while anything is subscribed, in milliseconds. */
  static final long CHECK_MS = 1000;
  /** How often while a connection in use is down (a failover is likely under way), in milliseconds. */
  static final long FAST_CHECK_MS = 200;
  /** Most redirections reported by nodes and not yet handled; beyond it they are dropped (the next check finds them). */
  private static final int MAX_REDIRECTS = 1024;
  private static final Logger log = LoggerFactory.getLogger(ClusterPubSub.class);

  /** A subscription that can move between nodes; its listener stays. */
  private final class Route implements Registration {
    final String name;
    final PubSubTopic.Kind kind;
    final Listener listener;
    final int slot;
    final CompletableFuture<Void> active = new CompletableFuture<>();
    HostAndPort node; // guarded by ClusterPubSub.this; null while no node serves the slot
    volatile Registration inner; // written under ClusterPubSub.this; read without it to drop stale completions
    HostAndPort redirectTo; // guarded by ClusterPubSub.this: where a node said the slot is, or null
    /** Moved to another node and not yet told as a resync; written under ClusterPubSub.this. */
    volatile boolean moved;
    boolean closed; // guarded by ClusterPubSub.this

    Route(String name, PubSubTopic.Kind kind, Listener listener) {
      this.name = name;
      this.kind = kind;
      this.listener = listener;
      this.slot = JedisClusterCRC16.getSlot(name);
    }

    @Override
    public CompletableFuture<Void> active() {
      return active;
    }

    @Override
    public void close() {
      Registration r;
      synchronized (ClusterPubSub.this) {
        if (closed) {
          return;
        }
        closed = true;
        routes.remove(this);
        awaitingResync.values().forEach(set -> set.remove(this));
        r = inner;
        inner = null;
      }
      if (r != null) {
        r.close();
      }
    }
  }

  /** A node's word that a shard channel's slot is elsewhere ({@code target} null: it dropped the channel). */
  private record Redirect(HostAndPort node, String channel, HostAndPort target) {}

  private final RedisSettings settings;
  private final Duration pingInterval;
  /** The master serving a slot in Jedis's slot map, or null; no I/O. */
  private final IntFunction<HostAndPort> slotMaster;
  /** Reads the slot map again (one round trip); topology thread only. */
  private final Runnable refresh;
  private final Map<HostAndPort, PubSubHub> hubs = new HashMap<>(); // guarded by this
  private final Set<Route> routes = new HashSet<>(); // guarded by this
  /** Routes moved to a node and not yet told as a resync, by node; guarded by this. */
  private final Map<HostAndPort, Set<Route>> awaitingResync = new HashMap<>();
  /** Set (on a reader thread) when a moved route's new subscription is confirmed: the topology thread tells it. */
  private volatile boolean movesConfirmed;
  /** Set when the slot map should be read now, not at the next periodic check. */
  private volatile boolean checkNow;
  private final BlockingQueue<Redirect> redirects = new ArrayBlockingQueue<>(MAX_REDIRECTS);
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
  private final Semaphore wake = new Semaphore(0);
  private final Thread topology;
  private volatile boolean closed;

  /**
   * Starts following a cluster whose slot map {@code slotMaster} reads and {@code refresh} renews (Jedis's, shared
   * with the command pool). The topology thread starts at once; hubs are created on first use.
   */
  ClusterPubSub(RedisSettings settings, Duration pingInterval, IntFunction<HostAndPort> slotMaster, Runnable refresh) {
    this.settings = settings;
    this.pingInterval = pingInterval;
    this.slotMaster = slotMaster;
    this.refresh = refresh;
    this.topology = new Thread(this::follow, "ktl-cluster-topology");
    topology.setDaemon(true);
    topology.start();
  }

  /** The slot of a service: that of its hash tag {@code {svc}}, i.e. of every key and channel of the service. */
  public static int slotOfService(String service) {
    return JedisClusterCRC16.getSlot(service);
  }

  @Override
  public Registration subscribe(String channel, Listener listener) {
    return add(List.of(channel), PubSubTopic.Kind.CHANNEL, listener).get(0);
  }

  @Override
  public Registration psubscribe(String pattern, Listener listener) {
    return add(List.of(pattern), PubSubTopic.Kind.PATTERN, listener).get(0);
  }

  @Override
  public List<Registration> subscribeAll(List<String> names, Listener listener) {
    return add(names, PubSubTopic.Kind.CHANNEL, listener);
  }

  @Override
  public Registration subscribeServiceChannel(String channel, Listener listener) {
    return add(List.of(channel), PubSubTopic.Kind.SHARD, listener).get(0);
  }

  private List<Registration> add(List<String> names, PubSubTopic.Kind kind, Listener listener) {
    List<Registration> out = new ArrayList<>(names.size());
    Map<HostAndPort, List<Route>> byNode = new LinkedHashMap<>();
    boolean unplaced = false;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("pub/sub of " + settings.redactedUrl() + " is closed");
      }
      for (String name : names) {
        Route r = new Route(name, kind, listener);
        routes.add(r);
        out.add(r);
        HostAndPort node = slotMaster.apply(r.slot);
        if (node != null) {
          byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(r);
        } else {
          unplaced = true;
        }
      }
      byNode.forEach(this::place); // batched per node: 10,000 keywords of one service are a few commands
    }
    if (unplaced) {
      requestCheck(); // some slot has no known master yet: read the slot map now
    }
    return out;
  }

  /** Subscribes {@code rs} on the hub of {@code node}. Under the lock; queues commands only (no I/O). */
  private void place(HostAndPort node, List<Route> rs) {
    PubSubHub hub = hubs.computeIfAbsent(node, this::newHub);
    List<Registration> inner;
    if (rs.size() > 1 && rs.get(0).kind == PubSubTopic.Kind.CHANNEL) {
      inner = hub.subscribeAll(rs.stream().map(r -> r.name).toList(), rs.get(0).listener);
    } else {
      inner = new ArrayList<>(rs.size());
      for (Route r : rs) {
        inner.add(switch (r.kind) {
          case CHANNEL -> hub.subscribe(r.name, r.listener);
          case PATTERN -> hub.psubscribe(r.name, r.listener);
          case SHARD -> hub.subscribeServiceChannel(r.name, r.listener);
        });
      }
    }
    for (int i = 0; i < rs.size(); i++) {
      Route r = rs.get(i);
      Registration reg = inner.get(i);
      r.node = node;
      r.inner = reg;
      r.redirectTo = null;
      reg.active().whenComplete((v, e) -> { // on a reader thread, or here
        if (r.inner != reg) {
          return; // a subscription the route has left since (it moved again, or was closed)
        }
        if (e == null) {
          r.active.complete(null);
          if (r.moved) { // the topology thread tells listeners
            movesConfirmed = true;
            wake.release();
          }
        } else if (!(e.getCause() instanceof JedisRedirectionException)) { // MOVED: the route is placed again
          r.active.completeExceptionally(e);
        }
      });
    }
  }

  private PubSubHub newHub(HostAndPort node) {
    PubSubHub hub = PubSubHub.clusterNode(settings, pingInterval, node, (channel, target) -> {
      if (!redirects.offer(new Redirect(node, channel, target))) {
        log.debug("too many redirections from {} at once; the next slot map check places {}", node, channel);
      }
      wake.release();
    });
    hub.addConnectionListener(new ConnectionListener() {
      @Override
      public void onConnected(boolean reconnect, Predicate<String> ignored) {
        fire(l -> l.onConnected(reconnect, servicesOn(node)));
        Set<Integer> moved = takeAwaiting(node); // routes moved here are live now: whatever was missed
        if (!moved.isEmpty()) {
          fire(l -> l.onConnected(true, servicesIn(moved)));
        }
      }

      @Override
      public void onDisconnected(String reason, Predicate<String> ignored) {
        requestCheck(); // perhaps a failover: follow it as soon as the cluster names the new master
        fire(l -> l.onDisconnected(reason, servicesOn(node)));
      }
    });
    return hub;
  }

  private void requestCheck() {
    checkNow = true;
    wake.release();
  }

  /** The slots of the routes moved to {@code node} and not yet told; they are told now, so they are forgotten. */
  private synchronized Set<Integer> takeAwaiting(HostAndPort node) {
    Set<Integer> slots = new HashSet<>();
    Set<Route> waiting = awaitingResync.remove(node);
    if (waiting != null) {
      for (Route r : waiting) {
        slots.add(r.slot);
        r.moved = false;
      }
    }
    return slots;
  }

  /** The services whose slot {@code node} serves now (as the slot map last said). */
  private Predicate<String> servicesOn(HostAndPort node) {
    return service -> node.equals(slotMaster.apply(slotOfService(service)));
  }

  private static Predicate<String> servicesIn(Set<Integer> slots) {
    return service -> slots.contains(slotOfService(service));
  }

  private void fire(java.util.function.Consumer<ConnectionListener> event) {
    for (ConnectionListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        log.warn("cluster connection listener failed: {}", e.toString(), e);
      }
    }
  }

  // ---- topology thread ----

  private void follow() {
    long nextCheck = 0;
    while (!closed) {
      try {
        long waitMs = Math.max(0, nextCheck - System.currentTimeMillis());
        if (waitMs > 0) {
          wake.tryAcquire(waitMs, TimeUnit.MILLISECONDS);
        }
        wake.drainPermits();
      } catch (InterruptedException e) {
        return;
      }
      if (closed) {
        return;
      }
      try {
        tellConfirmedMoves();
        boolean redirected = !redirects.isEmpty();
        boolean due = checkNow || System.currentTimeMillis() >= nextCheck;
        checkNow = false;
        if (!redirected && !due) {
          continue; // woken for confirmations only
        }
        nextCheck = System.currentTimeMillis() + (anyDown() ? FAST_CHECK_MS : CHECK_MS);
        synchronized (this) {
          if (routes.isEmpty() && hubs.isEmpty()) {
            continue;
          }
        }
        try {
          refresh.run();
        } catch (RuntimeException e) {
          log.debug("cannot read the slot map of {}: {}", settings.address(), e.toString());
          if (!redirected) {
            continue; // a redirection names its node itself: act on it even without a fresh map
          }
        }
        rebalance();
      } catch (RuntimeException e) { // the thread must never die
        log.warn("following the cluster {} failed: {}", settings.address(), e.toString(), e);
      }
    }
  }

  /** Tells listeners about moved routes now confirmed on their new node (once per move). Topology thread. */
  private void tellConfirmedMoves() {
    if (!movesConfirmed) {
      return;
    }
    movesConfirmed = false;
    Set<Integer> slots = new HashSet<>();
    synchronized (this) {
      for (var nodes = awaitingResync.values().iterator(); nodes.hasNext(); ) {
        Set<Route> waiting = nodes.next();
        for (var it = waiting.iterator(); it.hasNext(); ) {
          Route r = it.next();
          Registration reg = r.inner;
          if (reg != null && reg.active().isDone() && !reg.active().isCompletedExceptionally()) {
            slots.add(r.slot);
            r.moved = false;
            it.remove();
          }
        }
        if (waiting.isEmpty()) {
          nodes.remove();
        }
      }
    }
    if (!slots.isEmpty()) {
      fire(l -> l.onConnected(true, servicesIn(slots)));
    }
  }

  private synchronized boolean anyDown() {
    for (Route r : routes) {
      PubSubHub h = r.node == null ? null : hubs.get(r.node);
      if (h == null || !h.isConnected()) {
        return true;
      }
    }
    return false;
  }

  /** Moves every route whose slot is served by another node now; closes hubs left idle. Topology thread. */
  private void rebalance() {
    List<Redirect> told = new ArrayList<>();
    redirects.drainTo(told);
    Map<HostAndPort, List<Route>> moves = new LinkedHashMap<>();
    List<Registration> left = new ArrayList<>();
    Set<Integer> movedSlots = new HashSet<>();
    List<PubSubHub> idle = new ArrayList<>();
    synchronized (this) {
      for (Redirect d : told) {
        if (d.target() == null) {
          continue; // a dropped channel: its hub subscribes it again; a MOVED names the node, or the map will
        }
        for (Route r : routes) {
          if (r.kind == PubSubTopic.Kind.SHARD && r.name.equals(d.channel()) && d.node().equals(r.node)) {
            r.redirectTo = d.target();
          }
        }
      }
      for (Route r : routes) {
        HostAndPort target = r.redirectTo != null ? r.redirectTo : slotMaster.apply(r.slot);
        if (target == null || target.equals(r.node)) {
          continue;
        }
        if (r.inner != null) {
          left.add(r.inner);
        }
        if (r.node != null) {
          movedSlots.add(r.slot);
          awaitingResync.values().forEach(set -> set.remove(r)); // moved again before it was told
          awaitingResync.computeIfAbsent(target, n -> new HashSet<>()).add(r);
          r.moved = true;
        }
        moves.computeIfAbsent(target, n -> new ArrayList<>()).add(r);
      }
      for (Map.Entry<HostAndPort, List<Route>> e : moves.entrySet()) {
        for (Route r : e.getValue()) { // one at a time: routes of several kinds may move to one node
          place(e.getKey(), List.of(r));
        }
      }
      for (Registration old : left) {
        old.close(); // only queues the UNSUBSCRIBE, after the SUBSCRIBE on the new node was queued
      }
      for (var it = hubs.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<HostAndPort, PubSubHub> e = it.next();
        if (e.getValue().isIdle()) {
          idle.add(e.getValue());
          it.remove();
          awaitingResync.remove(e.getKey());
        }
      }
    }
    if (!movedSlots.isEmpty()) {
      log.info("cluster {}: {} subscription(s) of {} slot(s) moved to their new node(s)", settings.address(),
          moves.values().stream().mapToInt(List::size).sum(), movedSlots.size());
    }
    for (PubSubHub h : idle) {
      h.close(); // may wait for its reader's connection attempt to a dead node: nothing else waits for it
    }
  }

  @Override
  public void addConnectionListener(ConnectionListener l) {
    listeners.add(l);
  }

  @Override
  public void removeConnectionListener(ConnectionListener l) {
    listeners.remove(l);
  }

  @Override
  public boolean isConnected(String name) {
    PubSubHub h = hubOf(name);
    return h != null && h.isConnected();
  }

  @Override
  public String lastError(String name) {
    PubSubHub h = hubOf(name);
    return h == null ? "no connection to a node of " + settings.address() + " that serves the slot of '" + name + "'"
        : h.lastError();
  }

  private synchronized PubSubHub hubOf(String name) {
    HostAndPort node = slotMaster.apply(JedisClusterCRC16.getSlot(name));
    return node == null ? null : hubs.get(node);
  }

  @Override
  public RedisSettings settings() {
    return settings;
  }

  /** The nodes with a hub now, for tests and diagnostics. */
  synchronized Set<HostAndPort> nodesInUse() {
    return Set.copyOf(hubs.keySet());
  }

  /** Stops the topology thread and closes every hub. Idempotent; bounded by the timeout. */
  @Override
  public void close() {
    List<PubSubHub> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = new ArrayList<>(hubs.values());
      hubs.clear();
      routes.clear();
      awaitingResync.clear();
    }
    wake.release(); // not an interrupt: the thread may be closing a hub, which must finish
    for (PubSubHub h : all) {
      h.close();
    }
    try {
      topology.join(2 * settings.timeout().toMillis() + 2000); // a slot map read, then a hub's close
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
