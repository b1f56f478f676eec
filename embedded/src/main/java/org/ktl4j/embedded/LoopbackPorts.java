package org.ktl4j.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Finds TCP ports on 127.0.0.1 that nobody listens on. Stateless. */
final class LoopbackPorts {

    static final String HOST = "127.0.0.1";

    private LoopbackPorts() {
    }

    /** A port the kernel just handed out as free; someone else may take it before we use it, so callers retry. */
    static int free() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new RedisProcessException("cannot find a free port on " + HOST + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether we could listen on {@code port} right now. Checked before starting a server so that a PING answered by
     * somebody else's server on that port is never mistaken for ours. SO_REUSEADDR, as redis-server sets it, so a port
     * in TIME_WAIT counts as free.
     */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
