package org.ktl4j.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a server's log file for error messages. Stateless. */
final class ServerLog {

    private static final int TAIL_LINES = 20;

    private ServerLog() {
    }

    /** The last lines of the log, or a note saying why there are none. */
    static String tail(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            List<String> tail = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
            return "last " + tail.size() + " lines of " + logFile + ":\n  " + String.join("\n  ", tail);
        } catch (IOException e) {
            return "no log at " + logFile + " (" + e.getMessage() + ")";
        }
    }

    /** Whether redis-server wrote, after byte {@code offset}, that it could not listen because the port is taken. */
    static boolean saysPortInUse(Path logFile, long offset) {
        try (InputStream in = Files.newInputStream(logFile)) {
            in.skipNBytes(offset);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("Address already in use");
        } catch (IOException e) {
            return false;
        }
    }
}
