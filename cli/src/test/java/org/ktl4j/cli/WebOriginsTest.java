package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link WebOrigins} on header values, for addresses a test cannot bind: which {@code Host} values name the server
 * (DNS rebinding), and which API requests a browser marks as sent by another site.
 */
class WebOriginsTest {

  private static InetSocketAddress at(String ip, int port) throws UnknownHostException {
    return new InetSocketAddress(InetAddress.getByName(ip), port); // literals only: no DNS lookup
  }

  @Test
  void offLoopbackOnlyTheBoundAddressAndGivenNamesAreAcceptedAsHost() throws UnknownHostException {
    WebOrigins origins = new WebOrigins(at("192.0.2.7", 8765), List.of("obs1.example.org"));

    assertThat(origins.hostAllowed("192.0.2.7:8765")).isTrue();
    assertThat(origins.hostAllowed("OBS1.example.org:8765")).isTrue();
    assertThat(origins.hostAllowed("evil.example:8765")).isFalse();
    assertThat(origins.hostAllowed("obs1.example.org:8766")).isFalse();
    assertThat(origins.hostAllowed("obs1.example.org")).isFalse();
    assertThat(origins.hostAllowed("localhost:8765")).isFalse();
    assertThat(origins.hostAllowed((String) null)).isFalse();
  }

  @Test
  void aRebindingPageWithAMatchingOriginStillCannotWriteOffLoopback() throws UnknownHostException {
    WebOrigins origins = new WebOrigins(at("192.0.2.7", 8765), List.of());

    assertThat(origins.sameOrigin("evil.example:8765", "http://evil.example:8765")).isFalse();
    assertThat(origins.sameOrigin("192.0.2.7:8765", "http://192.0.2.7:8765")).isTrue();
  }

  @Test
  void onTheWildcardAddressThisMachinesAddressesAndLoopbackNamesAreAccepted() throws UnknownHostException {
    WebOrigins origins = new WebOrigins(at("0.0.0.0", 80), List.of(),
        List.of(InetAddress.getByName("192.0.2.7"), InetAddress.getByName("fe80::1%1")));

    assertThat(origins.hostAllowed("192.0.2.7:80")).isTrue();
    assertThat(origins.hostAllowed("192.0.2.7")).as("port 80 may be left out").isTrue();
    assertThat(origins.hostAllowed("[fe80::1]:80")).isTrue();
    assertThat(origins.hostAllowed("localhost:80")).isTrue();
    assertThat(origins.hostAllowed("evil.example:80")).isFalse();
    assertThat(origins.hostAllowed("evil.example")).isFalse();
  }

  @Test
  void onLoopbackTheLoopbackNamesAreAccepted() throws UnknownHostException {
    WebOrigins origins = new WebOrigins(at("127.0.0.1", 8765), List.of());

    assertThat(origins.hostAllowed("localhost:8765")).isTrue();
    assertThat(origins.hostAllowed("[::1]:8765")).isTrue();
    assertThat(origins.hostAllowed("rebound.example:8765")).isFalse();
  }

  @Test
  void apiRequestsMarkedAsFromAnotherSiteAreRefused() throws UnknownHostException {
    WebOrigins origins = new WebOrigins(at("127.0.0.1", 8765), List.of());
    String host = "127.0.0.1:8765";

    assertThat(origins.notCrossSite(host, null, null)).as("curl").isTrue();
    assertThat(origins.notCrossSite(host, "http://127.0.0.1:8765", "same-origin")).isTrue();
    assertThat(origins.notCrossSite(host, null, "none")).as("typed in the address bar").isTrue();
    assertThat(origins.notCrossSite(host, "http://evil.example", null)).isFalse();
    assertThat(origins.notCrossSite(host, "null", null)).as("a sandboxed frame").isFalse();
    assertThat(origins.notCrossSite(host, null, "cross-site")).isFalse();
    assertThat(origins.notCrossSite(host, null, "same-site")).as("another port of this machine").isFalse();
  }

  @Test
  void aHostOptionThatIsNotAHostNameIsRefused() {
    assertThat(WebOrigins.checkedName(" obs1.example.org ")).isEqualTo("obs1.example.org");
    assertThat(WebOrigins.checkedName("[::1]")).isEqualTo("[::1]");
    assertThatThrownBy(() -> WebOrigins.checkedName("obs1:8765")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--host 'obs1:8765'");
    assertThatThrownBy(() -> WebOrigins.checkedName("a b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebOrigins.checkedName("")).isInstanceOf(IllegalArgumentException.class);
  }
}
