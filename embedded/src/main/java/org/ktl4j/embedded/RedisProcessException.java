package org.ktl4j.embedded;

/**
 * A {@code redis-server} process could not be started, restarted, paused or resumed. When the server itself said why,
 * the message ends with the tail of its log and names the log file.
 */
public final class RedisProcessException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    RedisProcessException(String message) {
        super(message);
    }

    RedisProcessException(String message, Throwable cause) {
        super(message, cause);
    }
}
