package org.ktl4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * PEM files for TLS tests, made in Java (no openssl needed): a CA, a server certificate for {@code 127.0.0.1} and
 * {@code localhost} signed by it, a client certificate signed by it, and a second, unrelated CA (the "wrong CA").
 *
 * <p>CAs and the server use EC P-256 keys (fast to make); the client uses RSA so that both the PKCS#8
 * ({@link #clientKey()}) and the PKCS#1 ({@link #clientKeyPkcs1()}) forms of its key exist. Keys are written
 * unencrypted. Immutable once created; {@link #create(Path)} takes a few hundred milliseconds.
 */
public final class TestCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static final Duration VALIDITY = Duration.ofDays(2);

    private final Path directory;

    private TestCertificates(Path directory) {
        this.directory = directory;
    }

    /** Makes every file in {@code directory} (created if needed). */
    public static TestCertificates create(Path directory) {
        try {
            Files.createDirectories(directory);
            KeyPair ca = ecKeys();
            X509Certificate caCert = certificate("CN=ktl4j test CA", ca, "CN=ktl4j test CA", ca, Role.CA);
            KeyPair other = ecKeys();
            X509Certificate otherCert = certificate("CN=another CA", other, "CN=another CA", other, Role.CA);
            KeyPair server = ecKeys();
            X509Certificate serverCert = certificate("CN=localhost", server, "CN=ktl4j test CA", ca, Role.SERVER);
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            KeyPair client = rsa.generateKeyPair();
            X509Certificate clientCert = certificate("CN=ktl4j client", client, "CN=ktl4j test CA", ca, Role.CLIENT);

            write(directory.resolve("ca.pem"), caCert);
            write(directory.resolve("ca-key.pem"), new JcaPKCS8Generator(ca.getPrivate(), null));
            write(directory.resolve("other-ca.pem"), otherCert);
            write(directory.resolve("server.pem"), serverCert);
            write(directory.resolve("server-key.pem"), new JcaPKCS8Generator(server.getPrivate(), null));
            write(directory.resolve("client.pem"), clientCert);
            write(directory.resolve("client-key.pem"), new JcaPKCS8Generator(client.getPrivate(), null));
            write(directory.resolve("client-key-pkcs1.pem"), client.getPrivate()); // "RSA PRIVATE KEY"
            write(directory.resolve("server-key-sec1.pem"), (PrivateKey) server.getPrivate()); // "EC PRIVATE KEY"
            return new TestCertificates(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write test certificates to " + directory, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make test certificates: " + e, e);
        }
    }

    /** The directory holding the files. */
    public Path directory() {
        return directory;
    }

    /** The CA certificate that signed the server and client certificates. */
    public Path caCert() {
        return directory.resolve("ca.pem");
    }

    /** A CA certificate that signed nothing here: trusting it alone must fail the handshake. */
    public Path otherCaCert() {
        return directory.resolve("other-ca.pem");
    }

    /** The server certificate: subject alternative names IP 127.0.0.1 and DNS localhost. */
    public Path serverCert() {
        return directory.resolve("server.pem");
    }

    /** The server's EC key, PKCS#8 PEM. */
    public Path serverKey() {
        return directory.resolve("server-key.pem");
    }

    /** The same EC key in OpenSSL's traditional SEC1 form ({@code EC PRIVATE KEY}). */
    public Path serverKeySec1() {
        return directory.resolve("server-key-sec1.pem");
    }

    /** The client certificate (extended key usage clientAuth). */
    public Path clientCert() {
        return directory.resolve("client.pem");
    }

    /** The client's RSA key, PKCS#8 PEM ({@code PRIVATE KEY}). */
    public Path clientKey() {
        return directory.resolve("client-key.pem");
    }

    /** The client's RSA key, PKCS#1 PEM ({@code RSA PRIVATE KEY}). */
    public Path clientKeyPkcs1() {
        return directory.resolve("client-key-pkcs1.pem");
    }

    private enum Role { CA, SERVER, CLIENT }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        return ec.generateKeyPair();
    }

    private static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
            Role role) throws IOException, GeneralSecurityException, OperatorCreationException {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(VALIDITY)), new X500Name(subject), subjectKeys.getPublic());
        switch (role) {
            case CA -> {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            }
            case SERVER -> {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.dNSName, "localhost")}));
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            }
            case CLIENT -> {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            }
        }
        String algorithm = issuerKeys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKeys.getPrivate())));
    }

    private static void write(Path file, Object pemObject) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
                JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(pemObject);
        }
    }
}
