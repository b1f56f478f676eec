package org.ktl4j.testkit;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Hands out unique, valid service names ({@code [a-z][a-z0-9_.-]{0,63}}). Thread-safe. */
final class ServiceNames {

    private static final int MAX_LENGTH = 64;
    private static final AtomicLong SEQUENCE = new AtomicLong();
    /** Tells this JVM's names from those of earlier runs left on a shared server. */
    private static final String RUN_ID = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36, 36 * 36 * 36 * 36), 36);

    private ServiceNames() {
    }

    /** {@code base_<n>}, or {@code base_<runId>_<n>} when the server is shared with other runs. */
    static String next(String base, boolean sharedServer) {
        String suffix = "_" + (sharedServer ? RUN_ID + "_" : "") + SEQUENCE.incrementAndGet();
        String clean = clean(base);
        return clean.substring(0, Math.min(clean.length(), MAX_LENGTH - suffix.length())) + suffix;
    }

    private static String clean(String base) {
        String lower = base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "_");
        return lower.isEmpty() || lower.charAt(0) < 'a' || lower.charAt(0) > 'z' ? "s" + lower : lower;
    }
}
