package org.ktl4j.redis;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;

/**
 * The PEM files a {@code rediss://} connection uses: the CA certificate(s) that sign the server's certificate, and a
 * client certificate with its private key for servers that ask for one ({@code tls-auth-clients yes}).
 *
 * <p>Without a CA file the JDK's default trust store decides (a server certificate from a public CA); without a client
 * certificate none is offered. The server's host name (or IP address) is always checked against its certificate's
 * subject alternative names; there is no option to turn that off.
 *
 * <p>Key formats: an unencrypted PKCS#8 key ({@code -----BEGIN PRIVATE KEY-----}: RSA, EC or Ed25519) or an unencrypted
 * PKCS#1 RSA key ({@code -----BEGIN RSA PRIVATE KEY-----}). Other forms (an {@code EC PRIVATE KEY}, an encrypted key)
 * are refused with the command that converts them: {@code openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8.pem}.
 *
 * <p>Immutable and thread-safe. The files are read when a connection configuration is built (when an endpoint is opened,
 * and again by each pub/sub reconnection, so renewed files are picked up by new connections): a few milliseconds.
 *
 * @param caCert     PEM file of the CA certificate(s) to trust instead of the JDK's default trust store
 * @param clientCert PEM file of the client certificate (then its chain, if any); only with {@code clientKey}
 * @param clientKey  PEM file of the client certificate's private key; only with {@code clientCert}
 */
public record TlsFiles(Optional<Path> caCert, Optional<Path> clientCert, Optional<Path> clientKey) {
  /** No files: the JDK's default trust store, no client certificate. */
  public static final TlsFiles NONE = new TlsFiles(Optional.empty(), Optional.empty(), Optional.empty());

  public TlsFiles {
    Objects.requireNonNull(caCert, "caCert");
    Objects.requireNonNull(clientCert, "clientCert");
    Objects.requireNonNull(clientKey, "clientKey");
    if (clientCert.isPresent() != clientKey.isPresent()) {
      throw new IllegalArgumentException(clientCert.isPresent()
          ? "Redis client certificate " + clientCert.get() + " is given without its private key file"
          : "Redis client key " + clientKey.get() + " is given without its certificate file");
    }
  }

  /** These files with {@code file} as the CA certificate file. */
  public TlsFiles withCaCert(Path file) {
    return new TlsFiles(Optional.of(file), clientCert, clientKey);
  }

  /** These files with a client certificate and its private key. */
  public TlsFiles withClientCertificate(Path cert, Path key) {
    return new TlsFiles(caCert, Optional.of(cert), Optional.of(key));
  }

  /** True when no file is set. */
  public boolean isEmpty() {
    return caCert.isEmpty() && clientCert.isEmpty();
  }

  /**
   * A socket factory that trusts the CA file (else the JDK's trust store) and offers the client certificate, if any.
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it (missing, unreadable, not PEM, a key
   *     format we do not read, a key that does not belong to the certificate)
   */
  public SSLSocketFactory socketFactory() {
    return PemFiles.sslContext(this).getSocketFactory();
  }

  @Override
  public String toString() {
    if (isEmpty()) {
      return "default trust store, no client certificate";
    }
    return "CA " + caCert.map(Path::toString).orElse("(default trust store)")
        + clientCert.map(c -> ", client certificate " + c + " key " + clientKey.orElseThrow()).orElse("");
  }
}
