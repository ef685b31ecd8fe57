package io.chartpulse.cli.dev;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Serves the tracker's demo page and the built tracker on 127.0.0.1, for the development stack. */
final class DemoServer implements AutoCloseable {

    private final HttpServer server;

    private DemoServer(HttpServer server) {
        this.server = server;
    }

    /** {@code /} is {@code demo/index.html}, {@code /tracker.iife.js} the built tracker. */
    static DemoServer start(int port, Path trackerModule) {
        Map<String, Path> files = Map.of(
                "/",
                trackerModule.resolve("demo/index.html"),
                "/index.html",
                trackerModule.resolve("demo/index.html"),
                "/tracker.iife.js",
                trackerModule.resolve("dist/tracker.iife.js"));
        for (Path file : files.values()) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException(
                        "Missing " + file + ": build the tracker first (./mvnw -pl tracker-sdk-js package)");
            }
        }
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.createContext(
                    "/",
                    exchange ->
                            serve(exchange, files.get(exchange.getRequestURI().getPath())));
            server.start();
            return new DemoServer(server);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Cannot serve the demo page on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    private static void serve(HttpExchange exchange, Path file) throws IOException {
        try (exchange) {
            if (file == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = Files.readAllBytes(file);
            exchange.getResponseHeaders()
                    .set(
                            "Content-Type",
                            file.toString().endsWith(".js")
                                    ? "text/javascript; charset=utf-8"
                                    : "text/html; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
