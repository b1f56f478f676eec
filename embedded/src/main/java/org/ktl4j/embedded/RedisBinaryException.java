package org.ktl4j.embedded;

/**
 * No usable {@code redis-server} binary: none configured and none bundled for this platform, or the one found does not
 * run. The message says which binary was tried and how to provide one ({@value RedisBinary#ENVIRONMENT_VARIABLE}).
 *
 * <p>Immutable and thread-safe, like all exceptions here.
 */
public final class RedisBinaryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    RedisBinaryException(String message) {
        super(message);
    }

    RedisBinaryException(String message, Throwable cause) {
        super(message, cause);
    }
}
