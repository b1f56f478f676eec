package org.ktl4j.client;

import org.ktl4j.internal.protocol.DispatcherLease;

/**
 * Which dispatcher serves a service now, as its lease says ({@link Service#dispatcher()}). An immutable value.
 *
 * @param id      unique id of the dispatcher instance
 * @param host    host it runs on
 * @param pid     its process id
 * @param version its ktl4j version (or its implementation's)
 * @param started when it started: the protocol's {@code ts} form, epoch seconds with six decimals
 */
public record DispatcherInfo(String id, String host, long pid, String version, String started) {
  static DispatcherInfo of(DispatcherLease lease) {
    return new DispatcherInfo(lease.id(), lease.host(), lease.pid(), lease.version(), lease.started());
  }

  /** {@code host H pid N (id X), since T}, for messages. */
  public String describe() {
    return new DispatcherLease(id, host, pid, version, started).describe();
  }
}
