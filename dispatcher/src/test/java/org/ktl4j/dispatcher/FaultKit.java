package org.ktl4j.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.core.ConditionTimeoutException;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.protocol.Keys;
import org.ktl4j.protocol.ModifyRequest;
import org.ktl4j.protocol.ProtocolJson;
import org.ktl4j.protocol.Reply;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.RedisServer;
import org.ktl4j.type.KtlType;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * What the fault suite ({@code Fault*Test}) shares: writers that speak the wire contract with raw Jedis and keep
 * every reply per request id (their reply subscriber reconnects, so a {@code CLIENT KILL} or a Redis restart does
 * not blind them), keyspace watchers, a dispatcher in a child JVM that can be frozen and killed, the checks every
 * scenario makes (no acknowledged write lost, at most / exactly one {@code done}, no {@code ktl-*} thread stuck),
 * and the {@code FAULT-FIGURE} lines that record recovery times. Durations are printed, never asserted.
 */
final class FaultKit {
  static final Duration WAIT = Duration.ofSeconds(60);

  private FaultKit() {}

  // ---------------------------------------------------------------- figures

  /** Prints {@code FAULT-FIGURE <scenario>: recovered in N ms}. */
  static void recovered(String scenario, long ms) {
    figure(scenario, "recovered in " + ms + " ms");
  }

  static void figure(String scenario, String what) {
    System.out.println("FAULT-FIGURE " + scenario + ": " + what);
    System.out.flush();
  }

  static long msSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  // ---------------------------------------------------------------- dispatchers

  static List<KeywordDefinition> integers(String... names) {
    List<KeywordDefinition> defs = new ArrayList<>();
    for (String n : names) {
      defs.add(KeywordDefinition.builder(n, KtlType.INTEGER).build());
    }
    return defs;
  }

  static DispatcherConfig shortLease() {
    return DispatcherConfig.builder().leaseTtl(Duration.ofSeconds(1)).build();
  }

  // ---------------------------------------------------------------- threads

  /**
   * No {@code ktl-*} thread is stuck: no deadlock, and no {@code ktl-*} thread stays BLOCKED (a thread may be
   * BLOCKED for a moment on a busy lock; one that is BLOCKED in every snapshot for 20 s is stuck).
   */
  static void assertNoKtlThreadStuck() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long[] deadlocked = mx.findDeadlockedThreads();
    assertThat(deadlocked).as("deadlocked threads:%n%s", dump()).isNull();
    for (int pass = 0; pass < 2; pass++) {
      await("no ktl-* thread BLOCKED (pass " + (pass + 1) + ")").atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(() -> assertThat(blockedKtlThreads()).as("BLOCKED ktl threads").isEmpty());
    }
  }

  static List<String> blockedKtlThreads() {
    List<String> blocked = new ArrayList<>();
    for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
      if (t.getThreadName().startsWith("ktl-") && t.getThreadState() == Thread.State.BLOCKED) {
        blocked.add(t.toString());
      }
    }
    return blocked;
  }

  static String dump() {
    StringBuilder b = new StringBuilder();
    for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
      b.append(t);
    }
    return b.toString();
  }

  // ---------------------------------------------------------------- redis helpers

  /** The server's clock, in microseconds (what deadlines are written in). */
  static long serverMicros(RedisClient redis) {
    List<?> t = (List<?>) redis.sendCommand(Protocol.Command.TIME);
    return Long.parseLong(SafeEncoder.encode((byte[]) t.get(0))) * 1_000_000L
        + Long.parseLong(SafeEncoder.encode((byte[]) t.get(1)));
  }

  static long numSub(RedisClient redis, String channel) {
    List<?> r = (List<?>) redis.sendCommand(Protocol.Command.PUBSUB, "NUMSUB", channel);
    return (Long) r.get(1);
  }

  /** {@code CLIENT KILL TYPE <type> SKIPME yes} from a fresh connection; returns how many were killed. */
  static long clientKill(RedisServer server, String type) {
    try (RedisClient admin = server.newClient()) {
      return (Long) admin.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", type, "SKIPME", "yes");
    }
  }

  static String notifyFlags(RedisClient redis) {
    return redis.configGet("notify-keyspace-events").get("notify-keyspace-events");
  }

  static boolean hasKh(String flags) {
    return flags.contains("K") && (flags.contains("h") || flags.contains("A"));
  }

  // ---------------------------------------------------------------- replies

  static boolean isDone(Reply r) {
    return !(r instanceof Reply.Ack);
  }

  static boolean isCode(Reply r, String code) {
    return r instanceof Reply.Failed f && f.code().name().equals(code);
  }

  /**
   * Subscribes to one reply channel on its own connection and thread and keeps every reply per request id;
   * reconnects and resubscribes when the connection is killed or Redis restarts (replies published meanwhile
   * are lost, as they would be for any writer).
   */
  static final class ReplyCollector implements AutoCloseable {
    final String channel;
    final Map<String, List<Reply>> byId = new ConcurrentHashMap<>();
    final Map<String, Long> firstDoneAt = new ConcurrentHashMap<>();
    final AtomicInteger reconnects = new AtomicInteger();
    private final RedisServer server;
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean subscribed;
    private volatile JedisPubSub sub;
    private volatile Connection connection;

    ReplyCollector(RedisServer server, String channel) {
      this.server = server;
      this.channel = channel;
      this.thread = new Thread(this::run, "fault-replies-" + channel);
      thread.setDaemon(true);
      thread.start();
      await("reply subscriber on " + channel).atMost(WAIT).until(() -> subscribed);
    }

    boolean isSubscribed() {
      return subscribed;
    }

    private void run() {
      while (!closed) {
        try (Connection c = new Connection(new HostAndPort(server.host(), server.port()),
            server.clientConfig().socketTimeoutMillis(2000).build())) {
          connection = c;
          JedisPubSub s = new JedisPubSub() {
            @Override
            public void onSubscribe(String ch, int count) {
              subscribed = true;
            }

            @Override
            public void onMessage(String ch, String message) {
              Reply r = ProtocolJson.decodeReply(message);
              byId.computeIfAbsent(r.id(), k -> new CopyOnWriteArrayList<>()).add(r);
              if (isDone(r)) {
                firstDoneAt.putIfAbsent(r.id(), System.nanoTime());
              }
            }
          };
          sub = s;
          s.proceed(c, channel);
        } catch (RuntimeException e) {
          // killed, reset, or Redis down: resubscribe below
        }
        subscribed = false;
        if (!closed) {
          reconnects.incrementAndGet();
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // reconnect backoff of a support thread
        }
      }
    }

    @Override
    public void close() {
      closed = true;
      try {
        JedisPubSub s = sub;
        if (s != null && s.isSubscribed()) {
          s.unsubscribe();
        }
      } catch (RuntimeException e) {
        // gone already
      }
      Connection c = connection;
      if (c != null) {
        try {
          c.close();
        } catch (RuntimeException e) {
          // gone already
        }
      }
    }
  }

  // ---------------------------------------------------------------- writer

  /** One request as published. {@code receivers}: PUBLISH's answer, -1 if PUBLISH failed (it may still have run). */
  record Sent(String id, String keyword, String value, long receivers, long atNanos) {}

  /**
   * A raw writer: publishes MODIFY requests (with a reply channel, optionally a deadline) and keeps what it sent
   * and every reply. Thread-safe.
   */
  static final class Writer implements AutoCloseable {
    final String service;
    final Keys keys;
    final RedisClient redis;
    final ReplyCollector replies;
    final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
    private final String tag = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong ids = new AtomicLong();

    Writer(RedisServer server, String service) {
      this.service = service;
      this.keys = Keys.of(service);
      this.redis = server.newClient();
      this.replies = new ReplyCollector(server, keys.replyChannel("fault-" + tag + "-0123456789"));
    }

    Sent send(String keyword, String value) {
      return send(keyword, value, OptionalLong.empty());
    }

    Sent send(String keyword, String value, OptionalLong deadlineMicros) {
      String id = tag + "-" + ids.incrementAndGet();
      String json = new ModifyRequest(id, keyword, value, Optional.of(replies.channel),
          Optional.of("fault-writer-" + tag), deadlineMicros).toJson();
      return publish(id, keyword, value, json);
    }

    /** Publishes {@code json} (which must carry {@code id} and this writer's reply channel) as it is. */
    Sent sendJson(String id, String keyword, String value, String json) {
      return publish(id, keyword, value, json);
    }

    String nextId() {
      return tag + "-" + ids.incrementAndGet();
    }

    private Sent publish(String id, String keyword, String value, String json) {
      long t = System.nanoTime();
      long n;
      try {
        n = redis.publish(keys.modifyChannel(), json);
      } catch (JedisException e) {
        n = -1;
      }
      Sent s = new Sent(id, keyword, value, n, t);
      sent.add(s);
      return s;
    }

    List<Reply> replies(String id) {
      return new ArrayList<>(replies.byId.getOrDefault(id, List.of()));
    }

    List<Reply> dones(String id) {
      return replies(id).stream().filter(FaultKit::isDone).toList();
    }

    Reply done(String id) {
      List<Reply> d = dones(id);
      return d.isEmpty() ? null : d.get(0);
    }

    Reply awaitDone(String id, Duration atMost) {
      await("done of " + id).atMost(atMost).until(() -> done(id) != null);
      return done(id);
    }

    /** Sends and waits for the done. */
    Reply write(String keyword, String value) {
      Sent s = send(keyword, value);
      assertThat(s.receivers()).as("a dispatcher is subscribed").isEqualTo(1);
      return awaitDone(s.id(), WAIT);
    }

    /**
     * One probe write: true if it was stored. A probe nobody received, or without a done within 10 s, is false
     * (it still counts for the at-most-one-done checks).
     */
    boolean probe(String keyword, String value) {
      if (!replies.isSubscribed()) {
        return false;
      }
      Sent s = send(keyword, value);
      if (s.receivers() != 1) {
        return false;
      }
      try {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> done(s.id()) != null);
      } catch (ConditionTimeoutException e) {
        return false;
      }
      return done(s.id()) instanceof Reply.Stored;
    }

    Map<String, String> stored(String keyword) {
      return redis.hgetAll(keys.keyword(keyword));
    }

    List<Sent> sentList() {
      return new ArrayList<>(sent);
    }

    /** Every request got at most one done. */
    void assertAtMostOneDone() {
      for (Sent s : sent) {
        assertThat(dones(s.id())).as("dones of %s (%s=%s)", s.id(), s.keyword(), s.value()).hasSizeLessThanOrEqualTo(1);
      }
    }

    /** Waits until each of {@code requests} has a done, then checks it has exactly one. */
    void assertExactlyOneDone(Collection<Sent> requests, Duration atMost) {
      await("a done for each of " + requests.size() + " requests").atMost(atMost)
          .until(() -> requests.stream().allMatch(s -> done(s.id()) != null));
      for (Sent s : requests) {
        assertThat(dones(s.id())).as("dones of %s (%s=%s)", s.id(), s.keyword(), s.value()).hasSize(1);
      }
    }

    /** The Stored dones received, per keyword. */
    Map<String, List<Reply.Stored>> storedDones() {
      Map<String, List<Reply.Stored>> m = new HashMap<>();
      for (Sent s : sent) {
        for (Reply r : dones(s.id())) {
          if (r instanceof Reply.Stored st) {
            m.computeIfAbsent(st.keyword(), k -> new ArrayList<>()).add(st);
          }
        }
      }
      return m;
    }

    /** How the dones were answered: code → count (OK for stored). */
    Map<String, Integer> outcomeCounts() {
      Map<String, Integer> m = new java.util.TreeMap<>();
      for (Sent s : sent) {
        Reply d = done(s.id());
        String k = d == null ? "none" : d instanceof Reply.Failed f ? f.code().name() : "OK";
        m.merge(k, 1, Integer::sum);
      }
      return m;
    }

    /**
     * No acknowledged write lost: every done ok's value and seq is what Redis shows, or was superseded by a later
     * seq; no seq was handed out twice for a keyword.
     */
    void assertNoAcknowledgedWriteLost() {
      for (Map.Entry<String, List<Reply.Stored>> e : storedDones().entrySet()) {
        Map<String, String> h = stored(e.getKey());
        assertThat(h).as("%s is stored", e.getKey()).containsKey("seq");
        long seq = Long.parseLong(h.get("seq"));
        Map<Long, String> seen = new HashMap<>();
        for (Reply.Stored s : e.getValue()) {
          String other = seen.put(s.seq(), s.ascii() + " (" + s.id() + ")");
          assertThat(other).as("%s: seq %d handed out twice (%s and %s)", e.getKey(), s.seq(), other,
              s.ascii() + " (" + s.id() + ")").isNull();
          assertThat(seq).as("%s: acknowledged %s with seq %d, Redis shows seq %d", e.getKey(), s.ascii(), s.seq(), seq)
              .isGreaterThanOrEqualTo(s.seq());
          if (seq == s.seq()) {
            assertThat(h.get("ascii")).as("%s: acknowledged seq %d", e.getKey(), seq).isEqualTo(s.ascii());
          }
        }
      }
    }

    @Override
    public void close() {
      replies.close();
      redis.close();
    }
  }

  /** Sends requests every {@code everyMillis} from a scheduler thread, rotating over keywords, unique values. */
  static final class Load implements AutoCloseable {
    private final java.util.concurrent.ScheduledExecutorService timer;
    final AtomicLong counter = new AtomicLong();

    Load(Writer w, List<String> keywords, long everyMillis, long firstValue) {
      counter.set(firstValue);
      timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fault-load");
        t.setDaemon(true);
        return t;
      });
      timer.scheduleWithFixedDelay(() -> {
        long v = counter.incrementAndGet();
        w.send(keywords.get((int) (v % keywords.size())), Long.toString(v));
      }, 0, everyMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
      timer.shutdownNow();
      try {
        timer.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ---------------------------------------------------------------- keyspace

  /** What a keyspace watcher read after one notification. */
  record Observation(String key, String event, long atNanos, String ascii, String seq, String origin, String store) {}

  /**
   * PSUBSCRIBEs to a service's keyspace pattern on its own connection and thread; counts events, and with
   * {@code read} reads the hash after each {@code hset} (what a client would see).
   */
  static final class KeyspaceWatch implements AutoCloseable {
    final AtomicLong events = new AtomicLong();
    final List<Observation> observations = new CopyOnWriteArrayList<>();
    private final Connection connection;
    private final RedisClient reader;
    private final JedisPubSub sub;
    private volatile boolean subscribed;

    KeyspaceWatch(RedisServer server, String service, boolean read) {
      this.connection = new Connection(new HostAndPort(server.host(), server.port()), server.clientConfig().build());
      this.reader = read ? server.newClient() : null;
      this.sub = new JedisPubSub() {
        @Override
        public void onPSubscribe(String pattern, int count) {
          subscribed = true;
        }

        @Override
        public void onPMessage(String pattern, String channel, String message) {
          events.incrementAndGet();
          if (reader != null && "hset".equals(message)) {
            String key = channel.substring(channel.indexOf(':') + 1);
            try {
              List<String> f = reader.hmget(key, "ascii", "seq", "origin", "store");
              observations.add(new Observation(key, message, System.nanoTime(), f.get(0), f.get(1), f.get(2), f.get(3)));
            } catch (JedisException e) {
              // a read may fail during a fault; the next event reads again
            }
          }
        }
      };
      String pattern = Keys.of(service).keyspacePattern(server.db());
      Thread t = new Thread(() -> {
        try {
          sub.proceedWithPatterns(connection, pattern);
        } catch (RuntimeException e) {
          // closed or killed
        }
      }, "fault-keyspace-" + service);
      t.setDaemon(true);
      t.start();
      await("keyspace watcher subscribed").atMost(WAIT).until(() -> subscribed);
    }

    @Override
    public void close() {
      try {
        sub.punsubscribe();
      } catch (RuntimeException e) {
        // gone already
      }
      connection.close();
      if (reader != null) {
        reader.close();
      }
    }
  }

  // ---------------------------------------------------------------- child JVM

  /**
   * A dispatcher in its own JVM ({@link ChildMain}): freeze it ({@code kill -STOP}), thaw it, kill it. Its output
   * (log included) is kept line by line. {@link #close()} always kills it.
   */
  static final class Child implements AutoCloseable {
    final Process process;
    final List<String> lines = new CopyOnWriteArrayList<>();

    private Child(Process process) {
      this.process = process;
      Thread pump = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            lines.add(line);
          }
        } catch (Exception e) {
          // child gone
        }
      }, "fault-child-output");
      pump.setDaemon(true);
      pump.start();
    }

    /** Starts a child dispatcher of {@code service} with INTEGER keywords and a 1 s lease. */
    static Child start(RedisServer server, String service, String... keywords) throws Exception {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
          "-cp", System.getProperty("java.class.path"), ChildMain.class.getName(), server.url(), service,
          String.join(",", keywords)));
      return new Child(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    long pid() {
      return process.pid();
    }

    Optional<String> line(String prefix) {
      return lines.stream().filter(l -> l.startsWith(prefix)).findFirst();
    }

    String awaitLine(String prefix, Duration atMost) {
      await("child prints " + prefix).atMost(atMost)
          .conditionEvaluationListener(c -> {
            if (!process.isAlive() && line(prefix).isEmpty()) {
              throw new AssertionError("child exited (" + process.exitValue() + ") before printing " + prefix
                  + ":\n" + output());
            }
          })
          .until(() -> line(prefix).isPresent());
      return line(prefix).orElseThrow();
    }

    /** Sends a signal with {@code kill -<signal> <pid>}. */
    void signal(String signal) throws Exception {
      Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).redirectErrorStream(true).start();
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("kill -%s returned", signal).isTrue();
      assertThat(p.exitValue()).as("kill -%s %d", signal, pid()).isZero();
      if (signal.equals("STOP") || signal.equals("CONT")) {
        boolean stopped = signal.equals("STOP"); // the kernel stops every thread of the JVM: wait until it has
        await("child " + (stopped ? "stopped" : "running")).atMost(WAIT).pollInterval(Duration.ofMillis(10))
            .until(() -> !procState().equals("?") && procState().equals("T") == stopped);
      }
    }

    /** The process state letter from {@code /proc/<pid>/stat} ({@code T}: stopped), {@code ?} if unknown. */
    String procState() {
      try {
        String stat = java.nio.file.Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
        return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      } catch (Exception e) {
        return "?";
      }
    }

    String output() {
      return String.join("\n", lines);
    }

    @Override
    public void close() throws Exception {
      if (process.isAlive()) {
        try {
          signal("CONT"); // a frozen JVM dies of SIGKILL too, but leave nothing frozen behind
        } catch (Throwable e) {
          // it may have exited meanwhile
        }
        process.destroyForcibly();
      }
      process.waitFor(20, TimeUnit.SECONDS);
    }
  }

  /**
   * The child JVM's main: args redis URL, service, comma-separated INTEGER keywords. Serves with a 1 s lease,
   * prints {@code READY <lease json>}, and once it stops serving (for example because it found its lease taken)
   * prints {@code STOPPED <reason>}, closes and exits.
   */
  public static final class ChildMain {
    private ChildMain() {}

    public static void main(String[] args) throws Exception {
      RedisEndpoint endpoint = RedisEndpoint.open(RedisSettings.fromUri(args[0]).withTimeout(Duration.ofSeconds(2)));
      DispatcherService d = DispatcherService.builder(args[1]).definitions(integers(args[2].split(",")))
          .config(shortLease()).endpoint(endpoint).build();
      d.start();
      System.out.println("READY " + d.lease.value());
      System.out.flush();
      d.awaitStopped(Duration.ofHours(1));
      System.out.println("STOPPED " + d.stopReason().orElse("(no reason)") + " state=" + d.state());
      System.out.flush();
      d.close();
      endpoint.close();
      System.out.println("CLOSED");
      System.out.flush();
      System.exit(0);
    }
  }
}
