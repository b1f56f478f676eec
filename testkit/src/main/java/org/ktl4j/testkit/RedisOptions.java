package org.ktl4j.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How the server {@link RedisExtension} starts for the annotated test class should be configured. Without it the server
 * has no password, no ACL users and no keyspace notifications.
 *
 * <p>With an external server ({@code KTL_TEST_REDIS_URL}) nothing can be configured: a class that asks for a password,
 * users, arguments or TLS is aborted (skipped), so is one that asks for TLS from a Docker container, and one that asks for keyspace notifications runs only if the server already
 * has at least those flags.
 *
 * <pre>{@code
 * @ExtendWith(RedisExtension.class)
 * @RedisOptions(password = "secret", users = "alice:pw", args = {"--rename-command", "CONFIG", ""})
 * class SecuredServerTest { ... }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RedisOptions {

    /** {@code --requirepass}; empty for none. {@link RedisServer#password()} returns it. */
    String password() default "";

    /** ACL users as {@code "name:password"}, each with full access ({@code --user name on >password ~* &* +@all}). */
    String[] users() default {};

    /** More {@code redis-server} arguments, e.g. {@code {"--rename-command", "CONFIG", ""}}. */
    String[] args() default {};

    /** {@code --notify-keyspace-events}, e.g. {@code "Kh"}; empty for the server default (none). */
    String notifyKeyspaceEvents() default "";

    /**
     * The oldest Redis version the class needs, e.g. {@code "7.0"} for ACL selectors and {@code %R~} key patterns;
     * empty for any. When the JVM's binary ({@code KTL_REDIS_SERVER} or the embedded-redis jar, 6.2) is older, the class
     * gets a server from the first {@code redis-server} on the {@code PATH} that is new enough; with none, or with an
     * external server or container that is too old, the class is aborted (skipped) with a message saying what it needs.
     */
    String minimumVersion() default "";

    /**
     * Whether the server also listens for TLS, on a port of its own ({@link RedisServer#tls()}), with certificates made
     * for the class ({@link TestCertificates}). The plain port stays open (the harness checks readiness on it).
     */
    Tls tls() default Tls.OFF;

    /** TLS modes of a test server. */
    enum Tls {
        /** No TLS port. */
        OFF,
        /** A TLS port; clients need no certificate ({@code --tls-auth-clients no}). */
        ON,
        /** A TLS port where clients must present a certificate signed by the test CA ({@code --tls-auth-clients yes}). */
        CLIENT_CERTIFICATES
    }
}
