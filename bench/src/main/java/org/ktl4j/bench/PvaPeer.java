package org.ktl4j.bench;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.epics.pva.PVASettings;
import org.epics.pva.client.PVAChannel;
import org.epics.pva.client.PVAClient;
import org.epics.pva.data.PVADouble;
import org.epics.pva.data.PVAStructure;
import org.epics.pva.server.PVAServer;
import org.epics.pva.server.ServerPV;

/**
 * EPICS PV Access as the peer: a {@code core-pva} server with one double PV ({@value #PV}, an NTScalar), a
 * client that gets and puts, and another that monitors, all in the bench JVM, on loopback only. Searches go by TCP to the server's own port (no UDP
 * broadcast anywhere: the address list is 127.0.0.1 and the automatic list is off), on ports picked free.
 * The server's write handler stores the value and posts it to monitors, as an IOC record would. Owns the server,
 * client and channel.
 */
final class PvaPeer implements AutoCloseable {
  static final String PV = "ktl4j:bench:value";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  /**
   * Held so that its level sticks (java.util.logging keeps loggers weakly): quiet below SEVERE, since puts faster
   * than the monitor client reads make the server log each update it coalesces.
   */
  private static final java.util.logging.Logger PVA_LOG = java.util.logging.Logger.getLogger("org.epics.pva");

  private final PVAServer server;
  private final ServerPV pv;
  private final PVAStructure data;
  private final PVADouble value;
  private final PVAClient client;
  private final PVAChannel channel;
  private final PVAClient monitorClient;
  private final PVAChannel monitorChannel;
  private final AutoCloseable monitor;
  private final Arrival monitored = new Arrival();
  /** Every value put or posted is new and larger, so the monitor tells them apart. */
  private long next;

  PvaPeer() throws Exception {
    PVA_LOG.setLevel(Level.SEVERE);
    int tcp = freeTcpPort();
    int udp = freeUdpPort();
    PVASettings.EPICS_PVAS_INTF_ADDR_LIST = "127.0.0.1";
    PVASettings.EPICS_PVA_ADDR_LIST = "127.0.0.1";
    PVASettings.EPICS_PVA_AUTO_ADDR_LIST = false;
    PVASettings.EPICS_PVA_SERVER_PORT = tcp;
    PVASettings.EPICS_PVA_BROADCAST_PORT = udp;
    PVASettings.EPICS_PVAS_BROADCAST_PORT = udp;
    PVASettings.EPICS_PVAS_TLS_PORT = freeTcpPort();
    PVASettings.EPICS_PVA_NAME_SERVERS = "127.0.0.1:" + tcp;
    PVASettings.EPICS_PVA_ENABLE_IPV6 = false;
    server = new PVAServer();
    value = new PVADouble("value", 0);
    data = new PVAStructure(PV, "epics:nt/NTScalar:1.0", value);
    pv = server.createPV(PV, data, (p, changes, written) -> p.update(written));
    client = new PVAClient();
    channel = client.getChannel(PV);
    channel.connect().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    // the monitor has a client (and TCP connection) of its own, as another program would: the server does not set
    // TCP_NODELAY, so a monitor update queued ahead of a put's reply on one connection delays that reply by the
    // peer's delayed ACK (~40 ms), which would measure Nagle, not PVA
    monitorClient = new PVAClient();
    monitorChannel = monitorClient.getChannel(PV);
    monitorChannel.connect().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    monitor = monitorChannel.subscribe("", (ch, changes, overruns, d) -> {
      PVADouble v = d.get("value");
      monitored.arrived((long) v.get());
    });
  }

  /** A get (one round trip for the whole structure). */
  void get() throws Exception {
    channel.read("").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A put with completion: returns when the server has processed it. */
  void put() throws Exception {
    channel.write(true, "value", (double) ++next).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A server-side update, until the client's monitor has it. */
  void monitor() throws Exception {
    long n = ++next;
    value.set(n);
    pv.update(data);
    monitored.await(n, TIMEOUT);
  }

  private static int freeTcpPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    try {
      monitor.close();
    } catch (Exception e) {
      // closing regardless
    }
    monitorChannel.close();
    monitorClient.close();
    channel.close();
    client.close();
    pv.close();
    server.close();
  }
}
