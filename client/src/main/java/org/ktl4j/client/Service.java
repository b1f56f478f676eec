package org.ktl4j.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.internal.protocol.DefinitionJson;
import org.ktl4j.internal.protocol.DispatcherLease;
import org.ktl4j.internal.protocol.Keys;
import org.ktl4j.internal.protocol.Names;
import org.ktl4j.internal.redis.RedisConnections;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.SharedPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A KTL service as a client sees it: its keywords (with the definitions the dispatcher published in
 * {@code ktl:{svc}:keywords}), whether its dispatcher is alive, and whole-service subscriptions.
 *
 * <pre>{@code
 * try (Service telescope = Service.open("telescope")) {
 *   Keyword az = telescope.keyword("AZ");
 *   double now = az.read().orElseThrow().asDouble();
 *   telescope.keyword("AZ_TARGET").write("120.5");          // waits until stored
 *   try (Subscription s = az.subscribe(u -> System.out.println(u.ascii()))) { ... }
 * }
 * }</pre>
 *
 * <p>Thread-safe. Opening costs one round trip (the definitions); the first write or subscription also
 * subscribes a reply or keyspace channel on the process's shared pub/sub connection. {@link #close()} ends
 * this service's subscriptions; the pool itself belongs to the endpoint.
 */
public final class Service implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Service.class);

  private final String name;
  private final Keys keys;
  private final RedisConnections endpoint;
  private final ClientConfig config;
  private final ClientEngine engine;
  private final List<Subscription> subscriptions = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Service> siblings = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile Map<String, Keyword> keywords;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  private Service(String name, RedisConnections endpoint, ClientConfig config) {
    this.name = Names.service(name);
    this.keys = Keys.of(this.name);
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.config = Objects.requireNonNull(config, "config");
    this.keywords = load(true);
    this.engine = ClientEngine.acquire(endpoint, config);
  }

  /** Opens a service on the process's shared pool ({@code configurePool}, {@code KTL_REDIS_URL} or localhost). */
  public static Service open(String name) {
    return new Service(name, RedisConnections.of(SharedPool.endpoint()), ClientConfig.defaults());
  }

  /** Opens a service on an explicit endpoint. */
  public static Service open(String name, RedisEndpoint endpoint) {
    return open(name, endpoint, ClientConfig.defaults());
  }

  /**
   * Opens a service.
   *
   * @throws NoSuchServiceException naming the services Redis knows, if there is no such service
   * @throws org.ktl4j.UnavailableException if Redis cannot be reached
   */
  public static Service open(String name, RedisEndpoint endpoint, ClientConfig config) {
    return new Service(name, RedisConnections.of(endpoint), config);
  }

  /** The names of every service Redis knows ({@code ktl:services}), sorted. */
  public static List<String> services(RedisEndpoint endpoint) {
    return services(RedisConnections.of(endpoint));
  }

  private static List<String> services(RedisConnections endpoint) {
    java.util.Set<String> names = endpoint.call("list services", c -> c.smembers(Keys.SERVICES));
    return new ArrayList<>(new TreeSet<String>(names));
  }

  /** The service name (lowercase). */
  public String name() {
    return name;
  }

  /** The configuration of this client. */
  public ClientConfig config() {
    return config;
  }

  /**
   * A keyword (case-insensitive). The definitions are re-read once if the name is unknown (the dispatcher
   * may have been restarted with new keywords).
   *
   * @throws NoSuchKeywordException naming the keyword and listing those that exist
   */
  public Keyword keyword(String keyword) {
    String k = Names.keyword(keyword);
    Keyword kw = keywords.get(k);
    if (kw == null) {
      keywords = load(false);
      kw = keywords.get(k);
    }
    if (kw == null) {
      throw new NoSuchKeywordException("service " + name + " has no keyword '" + keyword + "'; it has: "
          + String.join(", ", keywords.keySet()));
    }
    return kw;
  }

  /** Whether the service has this keyword (case-insensitive). */
  public boolean has(String keyword) {
    try {
      return keywords.containsKey(Names.keyword(keyword));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Every keyword, sorted by name. */
  public List<Keyword> keywords() {
    return List.copyOf(keywords.values());
  }

  /** Re-reads the definitions from Redis. */
  public void refresh() {
    keywords = load(false);
  }

  /** The running dispatcher's lease, if a dispatcher is alive. */
  public Optional<DispatcherInfo> dispatcher() {
    String json = endpoint.call("read the dispatcher lease of " + name, c -> c.get(keys.lease()));
    if (json == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(DispatcherInfo.of(DispatcherLease.fromJson(json)));
    } catch (IllegalArgumentException e) {
      return Optional.of(new DispatcherInfo("?", "?", -1, "?", "?"));
    }
  }

  /** Whether a dispatcher holds the service's lease (is alive). */
  public boolean isDispatcherAlive() {
    return dispatcher().isPresent();
  }

  /**
   * Subscribes to every keyword of the service (one pattern subscription), with a priming read of each.
   * Callbacks for different keywords may run concurrently; for one keyword they are ordered.
   */
  public Subscription subscribeAll(KeywordListener listener) {
    return subscribeAll(listener, true);
  }

  /** Subscribes to every keyword of the service; with {@code prime}, current values are delivered first. */
  public Subscription subscribeAll(KeywordListener listener, boolean prime) {
    return track(engine.monitors.subscribeService(this, listener, prime));
  }

  /**
   * Another service on the same endpoint and configuration, opened once and closed with this one (used by
   * expressions that span services).
   */
  public Service sibling(String other) {
    String n = Names.service(other);
    if (n.equals(name)) {
      return this;
    }
    return siblings.computeIfAbsent(n, s -> new Service(s, endpoint, config));
  }

  /**
   * Parses a KTL expression in which {@code $KEYWORD} (or a bare keyword name on the left of a comparison)
   * means a keyword of this service and {@code $other.KEYWORD} one of another service on the same endpoint.
   * See {@link Expression} for the grammar.
   */
  public Expression expression(String text) {
    return Expression.parse(text, this, this::sibling);
  }

  /** Remembers a subscription so that {@link #close()} ends it; it forgets it again when it is closed. */
  Subscription track(Subscription s) {
    Subscription tracked = new Subscription() {
      @Override
      public Optional<KeywordValue> latest() {
        return s.latest();
      }

      @Override
      public void close() {
        subscriptions.remove(this);
        s.close();
      }
    };
    subscriptions.add(tracked);
    if (closed.get()) {
      tracked.close(); // closed meanwhile: do not outlive it
    }
    return tracked;
  }

  Keys keys() {
    return keys;
  }

  RedisConnections endpoint() {
    return endpoint;
  }

  ClientEngine engine() {
    if (closed.get()) {
      throw new IllegalStateException("service " + name + " is closed");
    }
    return engine;
  }

  private Map<String, Keyword> load(boolean first) {
    Map<String, String> defs = endpoint.call("read the keywords of service " + name, c -> c.hgetAll(keys.definitions()));
    if (defs.isEmpty() && first) {
      boolean known = endpoint.call("look up service " + name, c -> c.sismember(Keys.SERVICES, name));
      if (!known) {
        List<String> all = services(endpoint);
        throw new NoSuchServiceException("no service '" + name + "' in Redis at " + endpoint.settings().address()
            + (all.isEmpty() ? " (it knows no services: is a dispatcher running?)" : "; it knows: " + String.join(", ", all)));
      }
    }
    Map<String, Keyword> map = new TreeMap<>();
    for (Map.Entry<String, String> e : defs.entrySet()) {
      try {
        KeywordDefinition d = DefinitionJson.fromJson(e.getKey(), e.getValue());
        map.put(d.name(), new Keyword(this, d));
      } catch (IllegalArgumentException ex) {
        log.warn("service {}: ignoring keyword {} with an unusable definition: {}", name, Names.printable(e.getKey()),
            Names.printable(ex.getMessage()));
      }
    }
    return Collections.unmodifiableMap(map);
  }

  /** Ends every subscription made through this service. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    List<Subscription> subs;
    synchronized (subscriptions) {
      subs = new ArrayList<>(subscriptions);
      subscriptions.clear();
    }
    subs.forEach(Subscription::close);
    siblings.values().forEach(Service::close);
    siblings.clear();
    engine.release();
  }

  @Override
  public String toString() {
    return "Service[" + name + ", " + keywords.size() + " keywords]";
  }
}
