package org.ktl4j.embedded;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Sends SIGSTOP/SIGCONT, which the JDK has no API for, by running {@code kill -SIG pid}. POSIX systems only. Stateless;
 * each call starts a short-lived {@code kill} process.
 */
final class ProcessSignals {

    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");

    private ProcessSignals() {
    }

    static void send(long pid, String signal) {
        if (WINDOWS) {
            throw new UnsupportedOperationException("SIG" + signal + " is not available on Windows");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectOutput(Redirect.DISCARD)
                    .redirectError(Redirect.DISCARD)
                    .start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new RedisProcessException("kill -" + signal + " " + pid + " did not finish within 5 s");
            }
            if (kill.exitValue() != 0) {
                throw new RedisProcessException("kill -" + signal + " " + pid + " failed with exit " + kill.exitValue());
            }
        } catch (IOException e) {
            throw new RedisProcessException("cannot run kill -" + signal + " " + pid + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisProcessException("interrupted while sending SIG" + signal + " to " + pid, e);
        }
    }
}
