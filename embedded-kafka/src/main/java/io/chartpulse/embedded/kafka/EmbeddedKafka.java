package io.chartpulse.embedded.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker in this JVM: KRaft, combined broker and controller, one node, listening on
 * 127.0.0.1. Its data directory is either persistent (reused across restarts: the cluster id is constant) or a
 * temporary directory deleted on {@link #close()}.
 *
 * <p>Replication factors and min ISR are 1 and the initial consumer-group rebalance delay is 0, so a client sees
 * the same semantics as in production (transactions, idempotence, compaction) without waiting.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** Constant, valid base64 cluster id, so a persistent data directory is reused across restarts. */
    public static final String CLUSTER_ID = "Q2hhcnRQdWxzZURldjAwMQ";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private final int port;
    private final Admin admin;

    private EmbeddedKafka(KafkaRaftServer server, Path dataDir, boolean deleteOnClose, int port) {
        this.server = server;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
        this.port = port;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code host:port} for clients' {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The broker's data directory. */
    public Path dataDir() {
        return dataDir;
    }

    /** A shared admin client; do not close it. */
    public Admin admin() {
        return admin;
    }

    /**
     * Creates a topic and waits until it exists; an existing topic is left as it is.
     *
     * @param configs topic configs, e.g. {@code cleanup.policy=compact}
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(configs);
        try {
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "Cannot create topic " + name + ": " + e.getCause().getMessage(), e);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out creating topic " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted creating topic " + name, e);
        }
        awaitTopicVisible(name, Duration.ofSeconds(30));
    }

    // The controller acknowledges creation before the broker's metadata cache has it; wait so the next client
    // call (produce, list) sees the topic.
    private void awaitTopicVisible(String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!topics().contains(name)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Topic " + name + " was created but is not visible after " + timeout);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted waiting for topic " + name, e);
            }
        }
    }

    /** Creates a topic with default configs. */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /** Names of all topics, internal ones excluded. */
    public Set<String> topics() {
        try {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted listing topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot list topics: " + e.getMessage(), e);
        }
    }

    /** Stops the broker (orderly shutdown) and deletes a temporary data directory. */
    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        server.shutdown();
        server.awaitShutdown();
        if (deleteOnClose) {
            DataDirs.deleteRecursively(dataDir);
        }
        LOG.info("Kafka on {} stopped", bootstrapServers());
    }

    /** Builder of an {@link EmbeddedKafka}; every setting has a test-friendly default. */
    public static final class Builder {
        private Path dataDir;
        private int port;
        private int controllerPort;
        private final Map<String, String> overrides = new HashMap<>();

        private Builder() {}

        /** Persistent data directory; without one a temporary directory is used and deleted on close. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Client port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Controller port; 0 (the default) picks a free one. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = controllerPort;
            return this;
        }

        /** Any broker config, applied over the defaults. */
        public Builder brokerConfig(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        /** Formats storage if needed, starts the broker and returns once it answers clients. */
        public EmbeddedKafka start() {
            long started = System.nanoTime();
            boolean temporary = dataDir == null;
            Path dir = temporary ? DataDirs.temporary("chartpulse-kafka") : dataDir;
            if (port != 0) {
                FreePorts.requireFree("Kafka", port);
            }
            if (controllerPort != 0) {
                FreePorts.requireFree("the Kafka controller", controllerPort);
            }
            int clientPort = FreePorts.orFree(port);
            int quorumPort = FreePorts.orFree(controllerPort);
            Properties props = brokerProperties(dir.resolve("logs"), clientPort, quorumPort);
            format(dir, props);
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            EmbeddedKafka kafka = new EmbeddedKafka(server, dir, temporary, clientPort);
            try {
                kafka.awaitReady(Duration.ofSeconds(60));
            } catch (RuntimeException e) {
                kafka.close();
                throw e;
            }
            LOG.info(
                    "Kafka ready on {} in {} ms (data {})",
                    kafka.bootstrapServers(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                    dir);
            return kafka;
        }

        private Properties brokerProperties(Path logDir, int clientPort, int quorumPort) {
            Properties p = new Properties();
            p.put("process.roles", "broker,controller");
            p.put("node.id", "1");
            p.put("controller.quorum.voters", "1@127.0.0.1:" + quorumPort);
            p.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + quorumPort);
            p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
            p.put("controller.listener.names", "CONTROLLER");
            p.put("inter.broker.listener.name", "PLAINTEXT");
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.put("log.dirs", logDir.toString());
            p.put("num.partitions", "1");
            p.put("auto.create.topics.enable", "false");
            p.put("offsets.topic.replication.factor", "1");
            p.put("offsets.topic.num.partitions", "5");
            p.put("transaction.state.log.replication.factor", "1");
            p.put("transaction.state.log.min.isr", "1");
            p.put("transaction.state.log.num.partitions", "5");
            p.put("share.coordinator.state.topic.replication.factor", "1");
            p.put("share.coordinator.state.topic.min.isr", "1");
            p.put("group.initial.rebalance.delay.ms", "0");
            p.put("log.cleaner.backoff.ms", "1000");
            p.putAll(overrides);
            return p;
        }

        private static void format(Path dir, Properties props) {
            try {
                Files.createDirectories(dir);
                Path propsFile = dir.resolve("server.properties");
                try (var out = Files.newOutputStream(propsFile)) {
                    props.store(out, "ChartPulse embedded Kafka");
                }
                ByteArrayOutputStream output = new ByteArrayOutputStream();
                int rc = StorageTool.execute(
                        new String[] {"format", "-t", CLUSTER_ID, "-c", propsFile.toString(), "--ignore-formatted"},
                        new PrintStream(output, true, StandardCharsets.UTF_8));
                if (rc != 0) {
                    throw new IllegalStateException("Formatting Kafka storage in " + dir + " failed: "
                            + output.toString(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot prepare Kafka data directory " + dir, e);
            }
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                Collection<?> nodes = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                if (!nodes.isEmpty()) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted waiting for Kafka", e);
            } catch (ExecutionException | TimeoutException e) {
                last = new IllegalStateException(e.getMessage(), e);
            }
        }
        throw new IllegalStateException(
                "Kafka on " + bootstrapServers() + " did not become ready within " + timeout, last);
    }
}
