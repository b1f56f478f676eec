package org.ktl4j.redis;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Reads the PEM files of {@link TlsFiles} with the plain JDK (no BouncyCastle) and builds the {@link SSLContext}.
 * Every failure is an {@link IllegalArgumentException} whose message names the file and says what is wrong, on one
 * line. Stateless.
 */
final class PemFiles {
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
  private static final String CONVERT = "convert it with: openssl pkcs8 -topk8 -nocrypt -in %s -out %s.pk8.pem";
  /** DER of the AlgorithmIdentifier {rsaEncryption, NULL}, to wrap a PKCS#1 RSA key into PKCS#8. */
  private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
      (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

  private PemFiles() {}

  /** The TLS context for these files; the JDK defaults stand in for what is not given. */
  static SSLContext sslContext(TlsFiles files) {
    try {
      TrustManagerFactory trust = null;
      if (files.caCert().isPresent()) {
        Path file = files.caCert().get();
        KeyStore store = emptyStore();
        int n = 0;
        for (X509Certificate ca : certificates(file, "CA certificate")) {
          store.setCertificateEntry("ca-" + n++, ca);
        }
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
      }
      KeyManagerFactory keys = null;
      if (files.clientCert().isPresent()) {
        Path certFile = files.clientCert().get();
        Path keyFile = files.clientKey().orElseThrow();
        List<X509Certificate> chain = certificates(certFile, "client certificate");
        PrivateKey key = privateKey(keyFile);
        checkPair(chain.get(0), key, certFile, keyFile);
        KeyStore store = emptyStore();
        char[] none = new char[0];
        store.setKeyEntry("client", key, none, chain.toArray(new Certificate[0]));
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, none);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS for Redis with " + files + ": " + e.getMessage(), e);
    }
  }

  /** The certificates of a PEM file, in file order; at least one. */
  static List<X509Certificate> certificates(Path file, String what) {
    List<byte[]> blocks = blocks(file, what, "CERTIFICATE");
    List<X509Certificate> certs = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (byte[] der : blocks) {
        certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException("Redis " + what + " file " + file + ": not a valid X.509 certificate ("
          + e.getMessage() + ")", e);
    }
    return certs;
  }

  /** The private key of a PEM file: PKCS#8 (RSA, EC, Ed25519) or PKCS#1 RSA, unencrypted. */
  static PrivateKey privateKey(Path file) {
    String what = "client key";
    String text = read(file, what);
    Matcher m = BLOCK.matcher(text);
    if (!m.find()) {
      throw notPem(file, what, "PRIVATE KEY");
    }
    String type = m.group(1);
    byte[] der = decode(m.group(2), file, what);
    switch (type) {
      case "PRIVATE KEY":
        return pkcs8(der, file);
      case "RSA PRIVATE KEY":
        return pkcs8(wrapPkcs1(der), file);
      case "ENCRYPTED PRIVATE KEY":
        throw new IllegalArgumentException("Redis " + what + " file " + file + ": the key is encrypted, and ktl4j "
            + "reads only unencrypted keys (protect the file with its permissions instead); "
            + String.format(CONVERT, file, file));
      default:
        if (text.contains("Proc-Type: 4,ENCRYPTED")) {
          throw new IllegalArgumentException("Redis " + what + " file " + file + ": the key is encrypted; "
              + String.format(CONVERT, file, file));
        }
        throw new IllegalArgumentException("Redis " + what + " file " + file + ": a '" + type + "' is not a key "
            + "format ktl4j reads (PKCS#8 'PRIVATE KEY' or PKCS#1 'RSA PRIVATE KEY'); " + String.format(CONVERT, file, file));
    }
  }

  /** The first line of a password file, without its line end. */
  static String firstLine(Path file, String what) {
    String text = read(file, what, StandardCharsets.UTF_8);
    int end = text.indexOf('\n');
    String line = end < 0 ? text : text.substring(0, end);
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    if (line.isEmpty()) {
      throw new IllegalArgumentException("Redis " + what + " file " + file + ": the first line is empty");
    }
    return line;
  }

  private static PrivateKey pkcs8(byte[] der, Path file) {
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
        // not this algorithm: try the next
      }
    }
    throw new IllegalArgumentException("Redis client key file " + file + ": not an RSA, EC or Ed25519 PKCS#8 key");
  }

  /** PrivateKeyInfo ::= SEQUENCE { INTEGER 0, AlgorithmIdentifier rsaEncryption, OCTET STRING pkcs1 }. */
  private static byte[] wrapPkcs1(byte[] pkcs1) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(RSA_ALGORITHM);
    body.write(0x04);
    body.writeBytes(derLength(pkcs1.length));
    body.writeBytes(pkcs1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    out.writeBytes(derLength(body.size()));
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  private static byte[] derLength(int n) {
    if (n < 0x80) {
      return new byte[] {(byte) n};
    }
    if (n < 0x100) {
      return new byte[] {(byte) 0x81, (byte) n};
    }
    if (n < 0x10000) {
      return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
    }
    return new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
  }

  /** Signs with the key and verifies with the certificate: a key of another certificate fails here, not in a handshake. */
  private static void checkPair(X509Certificate cert, PrivateKey key, Path certFile, Path keyFile) {
    String algorithm = switch (key.getAlgorithm().toUpperCase(Locale.ROOT)) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm(); // Ed25519, EdDSA
    };
    boolean matches;
    try {
      byte[] probe = "ktl4j".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      matches = false;
    }
    if (!matches) {
      throw new IllegalArgumentException("Redis client key file " + keyFile + " is not the key of the certificate in "
          + certFile);
    }
  }

  private static List<byte[]> blocks(Path file, String what, String type) {
    String text = read(file, what);
    List<byte[]> found = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      if (m.group(1).equals(type)) {
        found.add(decode(m.group(2), file, what));
      }
    }
    if (found.isEmpty()) {
      throw notPem(file, what, type);
    }
    return found;
  }

  private static byte[] decode(String base64, Path file, String what) {
    try {
      return Base64.getMimeDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Redis " + what + " file " + file + ": bad base64 in the PEM block", e);
    }
  }

  private static IllegalArgumentException notPem(Path file, String what, String type) {
    return new IllegalArgumentException("Redis " + what + " file " + file + ": not a PEM file with a '-----BEGIN "
        + type + "-----' block");
  }

  private static String read(Path file, String what) {
    return read(file, what, StandardCharsets.ISO_8859_1); // PEM is ASCII; Latin-1 never fails on stray bytes
  }

  private static String read(Path file, String what, java.nio.charset.Charset charset) {
    try {
      return Files.readString(file, charset);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalArgumentException("Redis " + what + " file " + file + ": not UTF-8 text", e);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("Redis " + what + " file " + file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException("Redis " + what + " file " + file + ": cannot be read (permission denied)", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("Redis " + what + " file " + file + ": cannot be read (" + e.getMessage() + ")",
          e);
    }
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return store;
  }
}
