package org.ktl4j.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.ktl4j.client.ClientConfig;
import org.ktl4j.client.Service;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.dispatcher.DispatcherConfig;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.dispatcher.Durability;
import org.ktl4j.dispatcher.ServiceSetup;
import org.ktl4j.embedded.EmbeddedRedis;
import org.ktl4j.embedded.RedisBinary;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.type.KtlType;
import redis.clients.jedis.Jedis;

/**
 * What every scenario runs against: a Redis (embedded, or the one given with {@code --redis}), the bench
 * service's dispatcher on its own endpoint, and two clients on endpoints of their own (so each has its own
 * pub/sub connection, as two processes would). Owns all of them, and every endpoint opened through it.
 */
final class Rig implements AutoCloseable {
  /** The bench's main service. */
  static final String SERVICE = "bench";
  /** The same caching keyword on a dispatcher whose stores all go through its intake queues (direct stores off). */
  static final String QUEUED_SERVICE = "benchq";
  /** The same caching keyword on a dispatcher with replica durability (WAIT 1 before done); only with a replica. */
  static final String DURABLE_SERVICE = "benchd";
  /** Keywords of the main service: all doubles, caching unless noted. */
  static final String READ = "READV";
  static final String WRITE = "DVAL";
  static final String HOOKED = "HOOKED"; // trivial write hook
  static final String WRITE_CALLBACK = "CB";
  static final String SET_CALLBACK = "SETV";
  static final String STORED_CALLBACK = "STOREV"; // stored by a raw HSET, as a dispatcher's store leaves it
  static final String HOT = "HOT";
  static final String RAW = "MWRAW";
  static final int WRITERS = 8;

  final RedisSettings settings;
  private final EmbeddedRedis redis;
  private final List<AutoCloseable> owned = new ArrayList<>();
  final DispatcherService dispatcher;
  /** The writing and reading client. */
  final Service a;
  /** The other client, subscribed to what {@link #a} writes. */
  final Service b;
  /** A client of {@link #QUEUED_SERVICE}. */
  final Service queued;
  /** A client of {@link #DURABLE_SERVICE}, when the Redis has a replica in sync; else null. */
  final Service durable;
  private final EmbeddedRedis replica;
  /** The dispatchers' configuration, before what a row changes. */
  private final DispatcherConfig base;
  final String redisVersion;
  final String redisSource;

  private Rig(BenchOptions o) {
    base = DispatcherConfig.builder().historyLength(o.history()).build();
    if (o.redisUrl().isPresent()) {
      redis = null;
      replica = null;
      settings = RedisSettings.fromUri(o.redisUrl().get());
      redisSource = settings.redactedUrl();
    } else {
      RedisBinary binary = RedisBinary.configured().or(() -> RedisBinary.onPath("6.2")).orElseGet(RedisBinary::bundled);
      redis = EmbeddedRedis.builder().name("ktl-bench").binary(binary).notifyKeyspaceEvents("Kh").start();
      settings = RedisSettings.of(redis.host(), redis.port(), 0, Duration.ofSeconds(5));
      redisSource = "embedded " + binary.path() + " on " + redis.host() + ":" + redis.port();
      replica = !o.durable() ? null : EmbeddedRedis.builder().name("ktl-bench-replica").binary(binary)
          .args("--replicaof", redis.host(), Integer.toString(redis.port())).start();
    }
    try (Jedis j = Jedises.open(settings, "bench-info")) {
      String info = j.info("server");
      redisVersion = info.lines().filter(l -> l.startsWith("redis_version:")).map(l -> l.substring(14).trim())
          .findFirst().orElse("?");
    }
    List<KeywordDefinition> defs = new ArrayList<>();
    for (String k : List.of(READ, WRITE, HOOKED, WRITE_CALLBACK, SET_CALLBACK, STORED_CALLBACK, HOT, RAW)) {
      defs.add(KeywordDefinition.builder(k, KtlType.DOUBLE).build());
    }
    for (int i = 0; i < WRITERS; i++) {
      defs.add(KeywordDefinition.builder("MW" + i, KtlType.DOUBLE).build());
    }
    dispatcher = startDispatcher(SERVICE, defs, s -> s.keyword(HOOKED).onWrite(v -> { }));
    dispatcher.keyword(READ).set("42");
    startDispatcher(QUEUED_SERVICE, List.of(KeywordDefinition.builder(WRITE, KtlType.DOUBLE).build()), s -> { },
        base.toBuilder().directStores(false).build());
    queued = open(QUEUED_SERVICE);
    if (o.durable() && replicaInSync(Duration.ofSeconds(20))) {
      startDispatcher(DURABLE_SERVICE, List.of(KeywordDefinition.builder(WRITE, KtlType.DOUBLE).build()), s -> { },
          base.toBuilder().durability(Durability.REPLICA).build());
      durable = open(DURABLE_SERVICE);
    } else {
      durable = null;
    }
    a = open(SERVICE);
    b = open(SERVICE);
  }

  static Rig start(BenchOptions o) {
    return new Rig(o);
  }

  /** Whether the Redis reports a replica in sync ({@code state=online}), waiting at most {@code within} for it. */
  private boolean replicaInSync(Duration within) {
    long end = System.nanoTime() + within.toNanos();
    try (Jedis j = Jedises.open(settings, "bench-replication")) {
      do {
        if (j.info("replication").contains("state=online")) {
          return true;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      } while (System.nanoTime() < end);
    }
    return false;
  }

  /** A new endpoint of its own (pool and pub/sub connection), closed with the rig. */
  RedisEndpoint endpoint() {
    RedisEndpoint e = RedisEndpoint.open(settings);
    owned.add(e);
    return e;
  }

  /** A client of {@code service} on an endpoint of its own, closed with the rig. */
  Service open(String service) {
    RedisEndpoint e = endpoint();
    Service s = Service.open(service, e, ClientConfig.defaults());
    owned.add(s);
    return s;
  }

  /** Starts a dispatcher on an endpoint of its own; the caller closes it (or the rig does). */
  DispatcherService startDispatcher(String service, Collection<KeywordDefinition> defs, ServiceSetup setup) {
    return startDispatcher(service, defs, setup, base);
  }

  DispatcherService startDispatcher(String service, Collection<KeywordDefinition> defs, ServiceSetup setup,
      DispatcherConfig config) {
    DispatcherService d = DispatcherService.builder(service)
        .definitions(defs)
        .setup(setup)
        .config(config)
        .endpoint(endpoint())
        .build();
    d.start();
    owned.add(d);
    return d;
  }

  Jedis jedis(String name) {
    Jedis j = Jedises.open(settings, name);
    owned.add(j);
    return j;
  }

  @Override
  public void close() {
    for (int i = owned.size() - 1; i >= 0; i--) {
      try {
        owned.get(i).close();
      } catch (Exception e) {
        // closing everything regardless
      }
    }
    if (replica != null) {
      replica.close();
    }
    if (redis != null) {
      redis.close();
    }
  }
}
