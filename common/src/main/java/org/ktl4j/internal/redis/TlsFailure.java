package org.ktl4j.internal.redis;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.redis.TlsFiles;

/**
 * Says in words why a TLS connection to Redis failed: the JDK's exceptions ("PKIX path building failed: …") name
 * neither the server nor the file to fix. Stateless.
 */
final class TlsFailure {
  private TlsFailure() {}

  /**
   * {@code TLS handshake with Redis at HOST:PORT failed: REASON} when {@code failure} was caused by TLS, else empty.
   * Never contains the password (the messages come from the JDK's TLS stack and name certificates, not credentials).
   */
  static Optional<String> explain(Throwable failure, RedisSettings settings) {
    if (!settings.tls()) {
      return Optional.empty();
    }
    String prefix = "TLS handshake with Redis at " + settings.address() + " failed: ";
    if (find(failure, SSLException.class) != null) {
      return Optional.of(prefix + reason(failure, settings));
    }
    if (!duringSetup(failure)) {
      return Optional.empty(); // a connection that was up and is lost: not a TLS problem
    }
    if (find(failure, SocketTimeoutException.class) != null && inFrames(failure, "startHandshake")) {
      return Optional.of(prefix + "no TLS answer within " + settings.timeout().toMillis() + " ms (is port "
          + settings.port() + " a plain redis:// port?)");
    }
    if (find(failure, SocketException.class) != null || String.valueOf(failure.getMessage()).contains("end of stream")) {
      // TLS 1.3: the server checks the client's certificate after our side of the handshake is done, and refuses
      // by closing the connection; we only see the close when we first write or read
      return Optional.of(prefix + settings.tlsFiles().clientCert()
          .map(c -> "the server closed the connection (did it refuse the client certificate " + c + "?)")
          .orElse("the server closed the connection (it requires a client certificate? give one: "
              + RedisSettings.ENV_CERT + " and " + RedisSettings.ENV_KEY + ", or --redis-cert and --redis-key)"));
    }
    return Optional.empty();
  }

  /** Whether the failure happened while a connection was being set up (handshake, AUTH, HELLO, SELECT). */
  private static boolean duringSetup(Throwable failure) {
    return inFrames(failure, "initializeFromClientConfig");
  }

  private static boolean inFrames(Throwable failure, String method) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      for (StackTraceElement frame : t.getStackTrace()) {
        if (frame.getMethodName().equals(method)) {
          return true;
        }
      }
    }
    return false;
  }

  private static String reason(Throwable failure, RedisSettings settings) {
    TlsFiles files = settings.tlsFiles();
    String all = messages(failure);
    if (find(failure, CertificateExpiredException.class) != null) {
      return "the server's certificate has expired";
    }
    if (find(failure, CertificateNotYetValidException.class) != null) {
      return "the server's certificate is not valid yet (check the clocks)";
    }
    if (find(failure, CertPathBuilderException.class) != null || find(failure, CertPathValidatorException.class) != null
        || all.contains("PKIX path")) {
      return files.caCert()
          .map(ca -> "the server's certificate is not signed by the CA in " + ca)
          .orElse("the server's certificate is not signed by a CA in the JDK's default trust store (name the CA file: "
              + RedisSettings.ENV_CACERT + " or --redis-cacert)");
    }
    if (all.contains("No subject alternative") || all.contains("No name matching")) {
      return "the server's certificate is not issued for " + settings.host()
          + " (its subject alternative names do not include it; host names are always verified)";
    }
    if (all.contains("certificate_required") || (all.contains("handshake_failure") && files.clientCert().isEmpty())) {
      return "the server requires a client certificate (give one: " + RedisSettings.ENV_CERT + " and "
          + RedisSettings.ENV_KEY + ", or --redis-cert and --redis-key)";
    }
    if (all.contains("unknown_ca") || all.contains("bad_certificate") || all.contains("decrypt_error")) {
      return files.clientCert()
          .map(c -> "the server did not accept the client certificate " + c + " (is it signed by the CA the server "
              + "trusts, tls-ca-cert-file?)")
          .orElse("the server refused the handshake (" + root(failure) + ")");
    }
    if (all.contains("Unsupported or unrecognized SSL message") || all.contains("plaintext")) {
      return "the server did not answer in TLS (is port " + settings.port() + " a plain redis:// port?)";
    }
    return root(failure);
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static String messages(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      b.append(t.getMessage()).append('\n');
    }
    return b.toString();
  }

  private static String root(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }
}
