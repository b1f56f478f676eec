package org.ktl4j.client;

/**
 * The outcome of an acknowledged write: the canonical value the dispatcher stored and its sequence number.
 *
 * @param service service name
 * @param keyword keyword name
 * @param ascii   the stored canonical ascii value
 * @param seq     its sequence number
 */
public record WriteResult(String service, String keyword, String ascii, long seq) {}
