package org.ktl4j.dispatcher;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.ktl4j.internal.protocol.DefinitionJson;
import org.ktl4j.internal.protocol.Keys;
import org.ktl4j.internal.protocol.Names;
import org.ktl4j.internal.redis.RedisConnections;
import org.ktl4j.type.InvalidValueException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A service's state in Redis as its dispatcher reads and writes it outside the store path: stored values at
 * start-up, the definitions hash, and the signs that Redis lost its data. Thread-safe
 * (stateless apart from its names); each method is one round trip (pipelined where it reads many keys).
 */
final class RedisState {
  private static final Logger log = LoggerFactory.getLogger(RedisState.class);

  /** Replaces the definitions hash if {@code KEYS[2]} (the lease) is {@code ARGV[1]}; 1 if it did. */
  static final String PUBLISH_DEFINITIONS = String.join("\n",
      "if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end",
      "redis.call('DEL', KEYS[1])",
      "for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end",
      "return 1");

  private final String service;
  private final Keys keys;
  private final RedisConnections endpoint;

  RedisState(String service, Keys keys, RedisConnections endpoint) {
    this.service = service;
    this.keys = keys;
    this.endpoint = endpoint;
  }

  /** Reads every keyword's stored value and seq (one pipelined round trip) into the keywords. */
  void loadStoredValues(Collection<DispatcherKeyword> keywords) {
    List<DispatcherKeyword> list = new ArrayList<>(keywords);
    List<List<String>> values = endpoint.call("read the stored values of service " + service, c -> {
      List<Response<List<String>>> rs = new ArrayList<>(list.size()); // fresh on a retry
      try (AbstractPipeline p = c.pipelined()) {
        for (DispatcherKeyword kw : list) {
          rs.add(p.hmget(keys.keyword(kw.name()), "ascii", "seq"));
        }
        p.sync();
      }
      List<List<String>> out = new ArrayList<>(rs.size());
      for (Response<List<String>> r : rs) {
        try {
          out.add(r.get());
        } catch (IllegalStateException e) { // a cluster pipeline drops a node that fails during sync
          throw new JedisConnectionException("the stored values of service " + service + " were not all read", e);
        }
      }
      return out;
    });
    for (int i = 0; i < list.size(); i++) {
      DispatcherKeyword kw = list.get(i);
      List<String> v = values.get(i);
      long seq = 0;
      try {
        seq = v.get(1) == null ? 0 : Long.parseLong(v.get(1));
      } catch (NumberFormatException e) {
        log.warn("{}: stored seq '{}' is not a number; continuing from 0", kw, Names.printable(v.get(1)));
      }
      String ascii = v.get(0);
      if (ascii != null) {
        try {
          ascii = kw.type().canonicalize(ascii);
        } catch (InvalidValueException e) {
          log.warn("{}: stored value is no longer valid ({}); ignoring it", kw, e.getMessage());
          ascii = null;
        }
      }
      kw.initialise(kw.isBuiltIn() ? null : ascii, seq);
    }
  }

  /**
   * Replaces {@code ktl:{svc}:keywords} in one step fenced on the lease (so a stale dispatcher can never replace
   * the holder's definitions), then adds the service to {@code ktl:services}.
   *
   * @throws IllegalStateException if the lease in Redis is not {@code lease} (missing, or another holder's)
   */
  void publishDefinitions(Collection<DispatcherKeyword> keywords, String leaseKey, String lease) {
    List<String> args = new ArrayList<>(1 + 2 * keywords.size());
    args.add(lease);
    for (DispatcherKeyword kw : keywords) {
      args.add(kw.name());
      args.add(DefinitionJson.toJson(kw.definition()));
    }
    Object held = endpoint.call("publish the definitions of service " + service,
        c -> c.eval(PUBLISH_DEFINITIONS, List.of(keys.definitions(), leaseKey), args));
    if (!Long.valueOf(1).equals(held)) {
      throw new IllegalStateException("service " + service + ": definitions not published: this dispatcher does not "
          + "hold the lease in Redis now");
    }
    endpoint.call("register service " + service, c -> c.sadd(Keys.SERVICES, service));
  }

  /** Whether the definitions hash is gone: Redis lost its data (or someone deleted it). */
  boolean definitionsMissing() {
    return !endpoint.commands().exists(keys.definitions());
  }

  /** The server's {@code run_id} (it changes when the server restarts), or null if it cannot be read. */
  String runId() {
    try {
      // to the server holding the service's keys (on a cluster, the master of its slot)
      Object raw = endpoint.commandAt(keys.lease(), Protocol.Command.INFO, "server");
      String info = raw instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(raw);
      for (String line : info.split("\r?\n")) {
        if (line.startsWith("run_id:")) {
          return line.substring(7).trim();
        }
      }
    } catch (RuntimeException e) {
      log.debug("INFO server not available: {}", e.getMessage());
    }
    return null;
  }
}
