package io.chartpulse.embedded.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Port helpers for services that bind to 127.0.0.1. */
public final class FreePorts {

    /**
     * Every port {@link #pick()} has answered in this JVM. The OS may hand the same free port to two binds in a row
     * (seen here: a broker's client and controller listeners both got one port and the broker refused to start), so a
     * port is answered once per JVM; the ephemeral range holds tens of thousands, far more than any test run picks.
     */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private static final int ATTEMPTS = 100;

    private FreePorts() {}

    /**
     * A port that was free on 127.0.0.1 a moment ago (the OS picks it), and that no earlier call in this JVM
     * answered.
     */
    public static int pick() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot find a free port on 127.0.0.1", e);
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("The OS offered only ports already handed out in " + ATTEMPTS + " attempts; "
                + HANDED_OUT.size() + " ports have been picked in this JVM");
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
