package io.chartpulse.embedded;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.chartpulse.embedded.kafka.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * mongo-java-server in this JVM: the MongoDB wire protocol (MongoDB 4.2 level) on 127.0.0.1, in memory or in an H2
 * file that survives a restart. It has no sessions, so clients must connect with {@code retryWrites=false}
 * ({@link #uri} includes it).
 */
public final class EmbeddedMongo implements AutoCloseable {

    private final MongoServer server;
    private final InetSocketAddress address;

    private EmbeddedMongo(MongoServer server, MongoBackend backend, InetSocketAddress address) {
        this.server = server;
        this.address = address;
    }

    /**
     * @param port    0 picks a free port
     * @param dataDir null keeps documents in memory; otherwise an H2 database file under it
     */
    public static EmbeddedMongo start(int port, Path dataDir) {
        if (port != 0) {
            FreePorts.requireFree("MongoDB", port);
        }
        MongoBackend backend;
        if (dataDir == null) {
            backend = new MemoryBackend();
        } else {
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot create " + dataDir, e);
            }
            backend = new H2Backend(
                    dataDir.resolve("mongo.mv.db").toAbsolutePath().toString());
        }
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", port);
        return new EmbeddedMongo(server, backend, server.getLocalAddress());
    }

    /** A connection string for this server, e.g. {@code mongodb://127.0.0.1:27017/?retryWrites=false}. */
    public String uri() {
        return "mongodb://127.0.0.1:" + address.getPort() + "/?retryWrites=false";
    }

    public int port() {
        return address.getPort();
    }

    @Override
    public void close() {
        // Shuts the backend down too. An H2 file closed with no writer left opens again; one closed while clients
        // still write may not ("MVStore Chunk … not found" on the next start, seen in e2e's fault run), so stop the
        // writers first (the dev stack closes in reverse start order: Connect before MongoDB).
        server.shutdown();
    }
}
