package org.ktl4j.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ktl4j.testkit.TestCertificates;

/** Reading the PEM files of a TLS connection with the plain JDK, and the one-line errors for bad files. */
class TlsFilesTest {
  @TempDir
  static Path dir;
  static TestCertificates certs;

  @BeforeAll
  static void certificates() {
    certs = TestCertificates.create(dir.resolve("certs"));
  }

  @Test
  void caFileAndClientCertificateWithPkcs8KeyAreRead() {
    TlsFiles files = TlsFiles.NONE.withCaCert(certs.caCert()).withClientCertificate(certs.clientCert(), certs.clientKey());
    assertThat(files.socketFactory()).isNotNull();
  }

  @Test
  void pkcs1RsaKeyIsRead() {
    assertThat(PemFiles.privateKey(certs.clientKeyPkcs1()).getEncoded())
        .isEqualTo(PemFiles.privateKey(certs.clientKey()).getEncoded());
  }

  @Test
  void ecKeyInSec1FormIsRefusedWithTheConversion() {
    assertThatThrownBy(() -> PemFiles.privateKey(certs.serverKeySec1()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(certs.serverKeySec1().toString()).hasMessageContaining("EC PRIVATE KEY")
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
  }

  @Test
  void ecKeyInPkcs8FormIsRead() {
    assertThat(PemFiles.privateKey(certs.serverKey()).getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void missingCaFileIsOneClearError() {
    Path missing = dir.resolve("missing-ca.pem");
    assertThatThrownBy(() -> TlsFiles.NONE.withCaCert(missing).socketFactory())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Redis CA certificate file " + missing + ": no such file");
  }

  @Test
  void nonPemCaFileIsOneClearError() throws IOException {
    Path junk = Files.writeString(dir.resolve("junk.pem"), "this is not a certificate\n");
    assertThatThrownBy(() -> TlsFiles.NONE.withCaCert(junk).socketFactory())
        .hasMessage("Redis CA certificate file " + junk + ": not a PEM file with a '-----BEGIN CERTIFICATE-----' block");
  }

  @Test
  void keyOfAnotherCertificateIsRefused() {
    TlsFiles files = TlsFiles.NONE.withClientCertificate(certs.clientCert(), certs.serverKey());
    assertThatThrownBy(files::socketFactory).hasMessageContaining("is not the key of the certificate in "
        + certs.clientCert());
  }

  @Test
  void certificateWithoutKeyIsRefused() {
    assertThatThrownBy(() -> new TlsFiles(java.util.Optional.empty(), java.util.Optional.of(certs.clientCert()),
        java.util.Optional.empty())).hasMessageContaining("without its private key");
  }
}
