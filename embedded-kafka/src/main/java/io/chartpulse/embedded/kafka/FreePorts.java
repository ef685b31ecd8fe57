package io.chartpulse.embedded.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port helpers for services that bind to 127.0.0.1. */
public final class FreePorts {

    private FreePorts() {}

    /** A port that was free on 127.0.0.1 a moment ago (the OS picks it). */
    public static int pick() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port on 127.0.0.1", e);
        }
    }

    /** {@code port} itself when it is not 0, otherwise a free one. */
    public static int orFree(int port) {
        return port == 0 ? pick() : port;
    }

    /**
     * Fails with a message naming the service and the port when something already listens there, so a clash is
     * reported before a service half-starts.
     */
    public static void requireFree(String service, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new PortInUseException(service, port);
        }
    }

    /** A port another process already holds. */
    public static final class PortInUseException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PortInUseException(String service, int port) {
            super("Port " + port + " on 127.0.0.1, wanted by " + service + ", is already in use. Stop whatever "
                    + "listens there (e.g. `ss -ltnp 'sport = :" + port + "'`) or choose another port.");
        }
    }
}
