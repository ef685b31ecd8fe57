package io.chartpulse.e2e;

import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.chartpulse.batch.MongoIndexes;
import io.chartpulse.cli.dev.DemoCatalog;
import io.chartpulse.cli.dev.DevStack;
import io.chartpulse.cli.dev.StackTopics;
import io.chartpulse.cli.dev.StackVariables;
import io.chartpulse.cli.lake.LakeCommand;
import io.chartpulse.cli.mongo.MongoCommand;
import io.chartpulse.collector.CollectorConfig;
import io.chartpulse.collector.CollectorMain;
import io.chartpulse.config.ServiceConfigLoader;
import io.chartpulse.embedded.ConnectWorkerProcess;
import io.chartpulse.embedded.EmbeddedMongo;
import io.chartpulse.embedded.EmbeddedS3;
import io.chartpulse.embedded.JvmProcess;
import io.chartpulse.embedded.kafka.BrokerMain;
import io.chartpulse.embedded.kafka.FreePorts;
import io.chartpulse.registry.RegistryConfig;
import io.chartpulse.registry.RegistryMain;
import io.chartpulse.streams.service.StreamsAppConfig;
import io.chartpulse.streams.service.StreamsAppMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The pipeline as production runs it, one process per service: the broker, the registry, the Connect worker (the S3,
 * MongoDB and Iceberg sinks loaded from {@code plugin.path}), the streams app and the collector are each a JVM of their
 * own, started on this JVM's class path and configured through their environment; S3Proxy and mongo-java-server run
 * in this JVM (the allowance: stand-ins may share one), MongoDB behind an {@link OutageProxy} so that its
 * outage can be played at the network. Every port is fixed at construction, so a service
 * restarted after a fault is found where it was; every start waits until the service answers and returns how long
 * that took (a fault's recovery time).
 */
final class Pipeline implements AutoCloseable {

    static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    static final String CONNECT_GROUP = "chartpulse-connect";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final Path dir;
    final int kafkaPort = FreePorts.pick();
    final int controllerPort = FreePorts.pick();
    final int registryPort = FreePorts.pick();
    final int s3Port = FreePorts.pick();
    /** Where clients reach MongoDB: the {@link OutageProxy} in front of the stand-in. */
    final int mongoPort = FreePorts.pick();

    private final int mongoServerPort = FreePorts.pick();
    final int streamsPort = FreePorts.pick();
    final int collectorPort = FreePorts.pick();
    final Duration sessionGap;
    final Duration sessionGrace;
    final Duration metricsGrace;
    final Duration lakeCommit;

    private JvmProcess broker;
    private JvmProcess registry;
    private EmbeddedS3 s3;
    private EmbeddedMongo mongo;
    private OutageProxy mongoProxy;
    private ConnectWorkerProcess connect;
    private JvmProcess streams;
    private JvmProcess collector;
    private int starts;

    Pipeline(Path dir, Duration sessionGap, Duration sessionGrace, Duration metricsGrace, Duration lakeCommit) {
        this.dir = dir;
        this.sessionGap = sessionGap;
        this.sessionGrace = sessionGrace;
        this.metricsGrace = metricsGrace;
        this.lakeCommit = lakeCommit;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    String registryUrl() {
        return "http://127.0.0.1:" + registryPort;
    }

    String mongoUri() {
        return "mongodb://127.0.0.1:" + mongoPort + "/?retryWrites=false";
    }

    String collectorUrl() {
        return "http://127.0.0.1:" + collectorPort + "/v1/events";
    }

    String streamsUrl() {
        return "http://127.0.0.1:" + streamsPort;
    }

    /** What the connector configs' {@code ${env:…}} read, as the worker's environment. */
    Map<String, String> connectorVariables() {
        Map<String, String> env = StackVariables.connectors(
                registryUrl(),
                "http://127.0.0.1:" + s3Port,
                mongoUri(),
                bootstrapServers(),
                Duration.ofSeconds(2),
                lakeCommit);
        env.putAll(StackVariables.lake(dir, "http://127.0.0.1:" + s3Port));
        return env;
    }

    /** Starts everything in dependency order, with the collector writing {@code ChartEvent} {@code rawVersion}. */
    void start(String rawVersion) throws Exception {
        Files.createDirectories(dir.resolve("lake"));
        startBroker();
        try (Admin admin = admin()) {
            StackTopics.create(admin);
        }
        startRegistry();
        startS3();
        s3.createBucket(DevStack.BUCKET);
        startMongo();
        try (MongoClient client = MongoClients.create(mongoUri())) {
            MongoCommand.ensureIndexes(
                    client.getDatabase(DevStack.DATABASE),
                    MongoIndexes.DEFAULT_RETENTION,
                    new PrintWriter(new StringWriter()));
        }
        LakeCommand.ensureTables(REPOSITORY.resolve(LakeCommand.DEFAULT_CONNECTOR_CONFIG), connectorVariables()::get);
        startConnect();
        DevStack.applyConnectors(REPOSITORY, connect.url());
        DemoCatalog.load(bootstrapServers(), Map.of("schema.registry.url", registryUrl()));
        startStreams();
        startCollector(rawVersion);
    }

    Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                15_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                5_000));
    }

    Duration startBroker() throws IOException {
        broker = java(
                "Kafka",
                "-Xmx512m",
                BrokerMain.class,
                Map.of(),
                dir.resolve("kafka").toString(),
                String.valueOf(kafkaPort),
                String.valueOf(controllerPort));
        return awaitUp("Kafka", broker, () -> {
            try (Admin admin = admin()) {
                admin.listTopics().names().get();
                return true;
            }
        });
    }

    Duration startRegistry() throws IOException {
        Map<String, String> settings = new HashMap<>();
        settings.put(RegistryConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        settings.put(RegistryConfig.PORT_CONFIG, String.valueOf(registryPort));
        settings.put(RegistryConfig.STORE_TOPIC_CONFIG, "_schemas");
        settings.put(RegistryConfig.STORE_REPLICATION_CONFIG, "1");
        registry = java(
                "The registry",
                "-Xmx256m",
                RegistryMain.class,
                ServiceConfigLoader.environment(RegistryConfig.ENV_PREFIX, settings));
        return awaitUp("The registry", registry, () -> get(registryUrl() + "/subjects") == 200);
    }

    Duration startS3() {
        long t0 = System.nanoTime();
        s3 = EmbeddedS3.start(s3Port, dir.resolve("s3"));
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    Duration startMongo() throws IOException {
        long t0 = System.nanoTime();
        // In memory: the stand-in is never stopped (its outage is the proxy's), and its H2 backend lost chunks of its
        // file under this load ("MVStore Chunk … not found" on reads), even without a restart.
        mongo = EmbeddedMongo.start(mongoServerPort, null);
        mongoProxy = OutageProxy.start(mongoPort, mongoServerPort);
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    Duration startConnect() throws IOException {
        long t0 = System.nanoTime();
        connect = ConnectWorkerProcess.start(
                bootstrapServers(),
                CONNECT_GROUP,
                List.of(
                        REPOSITORY.resolve("connect-s3-sink/target/plugin"),
                        REPOSITORY.resolve("connect-config/target/plugins"),
                        REPOSITORY.resolve("lake/target/plugin")),
                Map.of(),
                connectorVariables(),
                dir.resolve("connect-" + (++starts)));
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    Duration startStreams() throws IOException {
        Map<String, String> settings = new HashMap<>();
        settings.put(StreamsAppConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        settings.put(StreamsAppConfig.REGISTRY_URL_CONFIG, registryUrl());
        settings.put(StreamsAppConfig.STATE_DIR_CONFIG, dir.resolve("streams").toString());
        settings.put(StreamsAppConfig.PORT_CONFIG, String.valueOf(streamsPort));
        settings.put(StreamsAppConfig.SESSION_GAP_CONFIG, String.valueOf(sessionGap.toMillis()));
        settings.put(StreamsAppConfig.SESSION_GRACE_CONFIG, String.valueOf(sessionGrace.toMillis()));
        settings.put(StreamsAppConfig.METRICS_GRACE_CONFIG, String.valueOf(metricsGrace.toMillis()));
        settings.put(StreamsAppConfig.CLOSE_CHECK_CONFIG, "1000");
        settings.put("streams.commit.interval.ms", "200");
        // Static membership, as the StatefulSet in k8s/ gives each pod its name: a restarted instance takes its
        // partitions back at once instead of waiting for the broker to time the dead one out (45 s).
        settings.put("streams.group.instance.id", "streams-0");
        streams = java(
                "The streams app",
                "-Xmx512m",
                StreamsAppMain.class,
                ServiceConfigLoader.environment(StreamsAppConfig.ENV_PREFIX, settings));
        return awaitUp("The streams app", streams, () -> get(streamsUrl() + "/readyz") == 200);
    }

    Duration startCollector(String rawVersion) throws IOException {
        Map<String, String> settings = new HashMap<>();
        settings.put(CollectorConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        settings.put(CollectorConfig.REGISTRY_URL_CONFIG, registryUrl());
        settings.put(CollectorConfig.PORT_CONFIG, String.valueOf(collectorPort));
        settings.put(CollectorConfig.HOST_CONFIG, "127.0.0.1");
        settings.put(CollectorConfig.TRUSTED_PROXIES_CONFIG, "127.0.0.1,::1");
        settings.put(CollectorConfig.RAW_SCHEMA_VERSION_CONFIG, rawVersion);
        collector = java(
                "The collector",
                "-Xmx256m",
                CollectorMain.class,
                ServiceConfigLoader.environment(CollectorConfig.ENV_PREFIX, settings));
        return awaitUp("The collector", collector, () -> post(collectorUrl(), "[]") == 200);
    }

    void killBroker() throws InterruptedException {
        broker.kill();
    }

    void killRegistry() throws InterruptedException {
        registry.kill();
    }

    void killConnect() throws InterruptedException {
        connect.kill();
    }

    void killStreams() throws InterruptedException {
        streams.kill();
    }

    void killCollector() throws InterruptedException {
        collector.kill();
    }

    /** A rolling deploy's step: SIGTERM (the collector answers what it holds, then exits). */
    void stopCollector() throws InterruptedException {
        collector.stop(Duration.ofSeconds(30));
    }

    void stopS3() {
        s3.close();
    }

    /** MongoDB lost to the network: its port refuses, open connections drop (the stand-in itself keeps running). */
    void cutMongo() {
        mongoProxy.cut();
    }

    /** MongoDB reachable again; returns how long that took. */
    Duration restoreMongo() throws IOException {
        long t0 = System.nanoTime();
        mongoProxy.restore();
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** The Connect worker's REST API, for status checks. */
    String connectUrl() {
        return connect.url();
    }

    List<JvmProcess> processes() {
        return List.of(broker, registry, streams, collector);
    }

    private JvmProcess java(String name, String heap, Class<?> main, Map<String, String> env, String... args)
            throws IOException {
        Files.createDirectories(dir);
        List<String> arguments =
                new ArrayList<>(List.of(heap, "-XX:+UseSerialGC", "-cp", JvmProcess.testClassPath(), main.getName()));
        arguments.addAll(List.of(args));
        Path log = dir.resolve(main.getSimpleName() + "-" + (++starts) + ".log");
        return JvmProcess.start(name, arguments, env, log);
    }

    private static Duration awaitUp(String name, JvmProcess process, Callable<Boolean> up) {
        long t0 = System.nanoTime();
        try {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> {
                        process.requireAlive();
                        return up.call();
                    });
        } catch (ConditionTimeoutException e) {
            process.requireAlive();
            throw new IllegalStateException(name + " did not come up in 120 s; see " + process.log(), e);
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    static int get(String url) throws IOException, InterruptedException {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static int post(String url, String body) throws IOException, InterruptedException {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(5))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Override
    public void close() {
        for (AutoCloseable c :
                new AutoCloseable[] {collector, streams, connect, registry, broker, mongoProxy, mongo, s3}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // everything goes; the next one still must
                }
            }
        }
    }
}
