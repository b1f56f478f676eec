package org.ktl4j.internal.protocol;

/**
 * The value of {@code ktl:{svc}:dispatcher}: who is serving the service. Held with {@code SET NX PX} and
 * renewed by the running dispatcher; it expires a few seconds after that dispatcher dies.
 *
 * @param id      unique id of the dispatcher instance
 * @param host    host it runs on
 * @param pid     its process id
 * @param version ktl4j version (or the implementation's)
 * @param started when it started, protocol {@code ts} form
 */
public record DispatcherLease(String id, String host, long pid, String version, String started) {
  /** The lease as JSON. */
  public String toJson() {
    return ProtocolJson.encode(this);
  }

  /** Parses a stored lease; unknown fields are ignored. */
  public static DispatcherLease fromJson(String json) {
    return ProtocolJson.decodeLease(json);
  }

  /** "host pid N (id X), since T" for messages. */
  public String describe() {
    String since;
    try {
      since = StoredValue.parseTimestamp(started).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    } catch (RuntimeException e) {
      since = started;
    }
    return "host " + host + " pid " + pid + " (id " + id + "), since " + since;
  }
}
