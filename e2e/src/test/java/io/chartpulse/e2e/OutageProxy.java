package io.chartpulse.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on 127.0.0.1 that can be cut: while cut, its port refuses connections and every open one is
 * dropped, as a server lost to the network looks to its clients; restored, it forwards again. For a stand-in that
 * cannot itself be stopped and started under load (mongo-java-server's H2 file is left unreadable when it is closed
 * while writes are in flight; a real MongoDB survives a restart), so its outage is played at the network instead.
 */
final class OutageProxy implements AutoCloseable {

    private final int port;
    private final int target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;

    private OutageProxy(int port, int target) {
        this.port = port;
        this.target = target;
    }

    /** Forwards {@code port} to {@code target}, both on 127.0.0.1. */
    static OutageProxy start(int port, int target) throws IOException {
        OutageProxy proxy = new OutageProxy(port, target);
        proxy.listen();
        return proxy;
    }

    private synchronized void listen() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server = socket;
        Thread accept = new Thread(() -> accept(socket), "outage-proxy-" + port);
        accept.setDaemon(true);
        accept.start();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // closed by cut() or the target refused: the client sees its connection end
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(
                () -> {
                    byte[] buffer = new byte[64 * 1024];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        for (int n; (n = in.read(buffer)) >= 0; ) {
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // one side went away
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "outage-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** The outage begins: the port refuses connections and every open connection is dropped. */
    synchronized void cut() {
        closeQuietly(server);
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    /** The outage ends: the port forwards again. */
    void restore() throws IOException {
        listen();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        cut();
    }
}
