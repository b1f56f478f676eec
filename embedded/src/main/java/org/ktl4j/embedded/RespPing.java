package org.ktl4j.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Sends one RESP {@code PING} over a plain socket and returns the first reply line. Enough to tell that a server is up
 * without depending on a client library. Stateless.
 */
final class RespPing {

    private static final byte[] PING = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_LINE = 512;

    private RespPing() {
    }

    /** The first reply line, e.g. {@code "+PONG"} or {@code "-NOAUTH Authentication required."}; empty if none came. */
    static Optional<String> send(String host, int port, Duration timeout) {
        int millis = (int) Math.max(1, timeout.toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), millis);
            socket.setSoTimeout(millis);
            OutputStream out = socket.getOutputStream();
            out.write(PING);
            out.flush();
            return readLine(socket.getInputStream());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether a reply means the server is ready. Anything but LOADING counts: NOAUTH (password or ACL) and an unknown
     * command (PING renamed) both prove a server that accepts commands.
     */
    static boolean isReady(String reply) {
        return !reply.startsWith("-LOADING") && !reply.startsWith("-BUSY");
    }

    private static Optional<String> readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n' && line.length() < MAX_LINE) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.length() == 0 ? Optional.empty() : Optional.of(line.toString());
    }
}
