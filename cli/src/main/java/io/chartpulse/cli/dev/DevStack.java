package io.chartpulse.cli.dev;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.chartpulse.batch.Interval;
import io.chartpulse.batch.RawArchive;
import io.chartpulse.batch.RollupJob;
import io.chartpulse.cli.ChartPulseCli;
import io.chartpulse.cli.batch.BatchCommand;
import io.chartpulse.cli.connectors.ConnectorFile;
import io.chartpulse.cli.lake.LakeCommand;
import io.chartpulse.cli.mongo.MongoCommand;
import io.chartpulse.collector.CollectorConfig;
import io.chartpulse.collector.CollectorServer;
import io.chartpulse.embedded.EmbeddedConnect;
import io.chartpulse.embedded.EmbeddedMongo;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.EmbeddedS3;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.FreePorts;
import io.chartpulse.lake.LakeCatalog;
import io.chartpulse.schemas.ChartPulseSchema;
import io.chartpulse.serde.registry.RegistryClientSettings;
import io.chartpulse.serde.registry.SchemaRegistryClient;
import io.chartpulse.streams.service.StreamsAppConfig;
import io.chartpulse.streams.service.StreamsService;
import io.chartpulse.streams.topology.TopologySettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The whole ChartPulse pipeline in this JVM, for {@code chartpulse dev} and the end-to-end tests: Kafka, the registry,
 * S3Proxy, mongo-java-server, a Kafka Connect worker with the S3 and MongoDB sink plugins, the streams app, the
 * collector and the demo page — started in dependency order, each ready before the next, stopped in reverse. State
 * lives under one data directory and survives a restart.
 */
public final class DevStack implements AutoCloseable {

    /** Where everything goes; a port of 0 picks a free one. */
    public record Settings(
            Path dataDir,
            Path repository,
            int kafkaPort,
            int controllerPort,
            int registryPort,
            int connectPort,
            int s3Port,
            int mongoPort,
            int collectorPort,
            int streamsPort,
            int demoPort,
            Duration sessionGap,
            Duration metricsGrace,
            Duration s3Rotate,
            Duration lakeCommit) {

        /** The default ports of docs/ARCHITECTURE.md, data in {@code .chartpulse/}. */
        public static Settings defaults(Path repository) {
            return new Settings(
                    repository.resolve(".chartpulse"),
                    repository,
                    9092,
                    9093,
                    8081,
                    8083,
                    9000,
                    27017,
                    8080,
                    8084,
                    8088,
                    Duration.ofMinutes(30),
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(60));
        }

        /** Free ports everywhere (tests). */
        public static Settings freePorts(Path dataDir, Path repository) {
            return new Settings(
                    dataDir,
                    repository,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    Duration.ofMinutes(30),
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(3));
        }

        /** Short windows, so a test sees sessions and metrics within seconds. */
        public Settings withShortWindows(Duration gap, Duration grace) {
            return new Settings(
                    dataDir,
                    repository,
                    kafkaPort,
                    controllerPort,
                    registryPort,
                    connectPort,
                    s3Port,
                    mongoPort,
                    collectorPort,
                    streamsPort,
                    demoPort,
                    gap,
                    grace,
                    s3Rotate,
                    lakeCommit);
        }

        /** Every free-port choice made now, so a restart finds the stack where it was. */
        public Settings pinned() {
            return new Settings(
                    dataDir,
                    repository,
                    pick(kafkaPort),
                    pick(controllerPort),
                    pick(registryPort),
                    pick(connectPort),
                    pick(s3Port),
                    pick(mongoPort),
                    pick(collectorPort),
                    pick(streamsPort),
                    pick(demoPort),
                    sessionGap,
                    metricsGrace,
                    s3Rotate,
                    lakeCommit);
        }

        private static int pick(int port) {
            return port == 0 ? FreePorts.pick() : port;
        }

        /** The same settings on another data directory. */
        public Settings withDataDir(Path dir) {
            return new Settings(
                    dir,
                    repository,
                    kafkaPort,
                    controllerPort,
                    registryPort,
                    connectPort,
                    s3Port,
                    mongoPort,
                    collectorPort,
                    streamsPort,
                    demoPort,
                    sessionGap,
                    metricsGrace,
                    s3Rotate,
                    lakeCommit);
        }
    }

    public static final String BUCKET = "chartpulse-lake";
    /** The dev collector's trusted.proxies: loopback, where the load generator and the browser tests run. */
    static final String DEV_TRUSTED_PROXIES = "127.0.0.1,::1";

    public static final String DATABASE = "chartpulse";

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private StreamsAppConfig streamsAppConfig;
    private final PrintWriter out;
    private final long t0 = System.nanoTime();
    private EmbeddedKafka kafka;
    private Path repository;
    private EmbeddedRegistry registry;
    private EmbeddedS3 s3;
    private EmbeddedMongo mongo;
    private EmbeddedConnect connect;
    private StreamsService streams;
    private CollectorServer collector;
    private DemoServer demo;

    private DevStack(PrintWriter out) {
        this.out = out;
    }

    /** Deletes the data directory (all topics, schemas, connectors, objects and documents). */
    public static void reset(Path dataDir) throws IOException {
        if (Files.exists(dataDir)) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Starts everything; on a failure, what was started is stopped again and the error names the step. */
    public static DevStack start(Settings settings, PrintWriter out) {
        DevStack stack = new DevStack(out);
        try {
            stack.startAll(settings);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void step(String what) {
        out.printf("[%5.1f s] %s%n", (System.nanoTime() - t0) / 1e9, what);
        out.flush();
    }

    private <T extends AutoCloseable> T keep(T service) {
        started.push(service);
        return service;
    }

    private void startAll(Settings s) {
        repository = s.repository();
        Path plugins3 = s.repository().resolve("connect-s3-sink/target/plugin");
        Path pluginMongo = s.repository().resolve("connect-config/target/plugins");
        Path pluginLake = s.repository().resolve("lake/target/plugin");
        // Ports the embedded services do not check themselves: a taken one fails now, with a message naming it.
        for (Map.Entry<String, Integer> port : Map.of(
                        "the collector",
                        s.collectorPort(),
                        "the streams app",
                        s.streamsPort(),
                        "the demo page",
                        s.demoPort())
                .entrySet()) {
            if (port.getValue() != 0) {
                FreePorts.requireFree(port.getKey(), port.getValue());
            }
        }
        for (Path p : List.of(plugins3, pluginMongo, pluginLake)) {
            if (!Files.isDirectory(p)) {
                throw new IllegalStateException(
                        "No Connect plugin directory at " + p + ": build first (./mvnw -B package -DskipTests)");
            }
        }
        kafka = keep(EmbeddedKafka.builder()
                .dataDir(s.dataDir().resolve("kafka"))
                .port(s.kafkaPort() == 0 ? FreePorts.pick() : s.kafkaPort())
                .controllerPort(s.controllerPort() == 0 ? FreePorts.pick() : s.controllerPort())
                .start());
        step("Kafka         " + kafka.bootstrapServers() + "  (data "
                + s.dataDir().resolve("kafka") + ")");
        StackTopics.create(kafka.admin());
        step("topics        "
                + String.join(
                        ", ", StackTopics.TOPICS.keySet().stream().sorted().toList()) + " and the dead-letter topics");
        registry = keep(EmbeddedRegistry.start(kafka, s.registryPort(), "_schemas"));
        SchemaRegistryClient client = new SchemaRegistryClient(RegistryClientSettings.of(registry.url()));
        for (ChartPulseSchema schema : ChartPulseSchema.values()) {
            client.register(schema.valueSubject(), schema.schema());
        }
        step("registry      " + registry.url() + "  (" + ChartPulseSchema.values().length + " subjects registered)");
        s3 = keep(EmbeddedS3.start(s.s3Port(), s.dataDir().resolve("s3")));
        s3.createBucket(BUCKET);
        step("S3            " + s3.endpoint() + "  bucket " + BUCKET + "  (key " + EmbeddedS3.ACCESS_KEY + ")");
        mongo = keep(EmbeddedMongo.start(s.mongoPort(), s.dataDir().resolve("mongo")));
        try (MongoClient mongoClient = MongoClients.create(mongo.uri())) {
            MongoCommand.ensureIndexes(mongoClient.getDatabase(DATABASE), new PrintWriter(new StringWriter()));
        }
        step("MongoDB       " + mongo.uri() + "  database " + DATABASE + "  (indexes ready)");

        DevEnvConfigProvider.VALUES.putAll(StackVariables.connectors(
                registry.url(), s3.endpoint(), mongo.uri(), kafka.bootstrapServers(), s.s3Rotate(), s.lakeCommit()));
        DevEnvConfigProvider.VALUES.putAll(lakeEnvironment(s));
        step("lake          "
                + String.join(
                        ", ",
                        LakeCommand.ensureTables(
                                        s.repository().resolve(LakeCommand.DEFAULT_CONNECTOR_CONFIG),
                                        DevEnvConfigProvider.VALUES::get)
                                .stream()
                                .map(o -> o.table().identifier() + (o.created() ? " (created)" : ""))
                                .toList())
                + "  (SQLite catalog " + s.dataDir().resolve("lake") + ")");
        connect = keep(EmbeddedConnect.start(
                kafka,
                s.connectPort(),
                "chartpulse-connect",
                List.of(plugins3, pluginMongo, pluginLake),
                Map.of("config.providers.env.class", DevEnvConfigProvider.class.getName())));
        String applied = applyConnectors(s.repository(), connect.url());
        step("Kafka Connect " + connect.url() + "  "
                + applied.lines().map(l -> l.replaceAll("\\s+", " ").trim()).toList());

        DemoCatalog.load(kafka.bootstrapServers(), registry.serdeConfig());
        step("catalog       10 products and 1 chart in chart.catalog.v1");

        Map<String, String> streamsConfig = new HashMap<>();
        streamsConfig.put(StreamsAppConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        streamsConfig.put(StreamsAppConfig.REGISTRY_URL_CONFIG, registry.url());
        streamsConfig.put(
                StreamsAppConfig.STATE_DIR_CONFIG,
                s.dataDir().resolve("streams").toString());
        streamsConfig.put(StreamsAppConfig.PORT_CONFIG, String.valueOf(s.streamsPort()));
        streamsConfig.put(
                StreamsAppConfig.SESSION_GAP_CONFIG,
                String.valueOf(s.sessionGap().toMillis()));
        streamsConfig.put(
                StreamsAppConfig.SESSION_GRACE_CONFIG,
                String.valueOf(Math.min(300_000, s.sessionGap().toMillis())));
        streamsConfig.put(
                StreamsAppConfig.METRICS_GRACE_CONFIG,
                String.valueOf(s.metricsGrace().toMillis()));
        streamsConfig.put(StreamsAppConfig.CLOSE_CHECK_CONFIG, "1000");
        streamsConfig.put("streams.commit.interval.ms", "200");
        streamsAppConfig = new StreamsAppConfig(streamsConfig);
        streams = keep(StreamsService.start(streamsAppConfig));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (streams.streams().state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The streams app did not reach RUNNING: "
                        + streams.streams().state());
            }
            sleep(50);
        }
        step("streams app   " + streams.url() + "  (RUNNING; try " + streams.url() + "/api/charts)");
        step("dashboard     " + dashboardUrl() + "  (live numbers of the charts the demo page shows)");

        Map<String, String> collectorConfig = new HashMap<>();
        collectorConfig.put(CollectorConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        collectorConfig.put(CollectorConfig.REGISTRY_URL_CONFIG, registry.url());
        collectorConfig.put(CollectorConfig.PORT_CONFIG, String.valueOf(s.collectorPort()));
        collectorConfig.put(CollectorConfig.HOST_CONFIG, "127.0.0.1");
        // Loopback is a trusted proxy here, so `chartpulse loadgen` (each visitor's address in X-Forwarded-For) meets
        // the per-client rate limit per visitor, as real traffic would, instead of as one client at 200 events/s.
        collectorConfig.put(CollectorConfig.TRUSTED_PROXIES_CONFIG, DEV_TRUSTED_PROXIES);
        collector =
                keep(CollectorServer.start(new CollectorConfig(collectorConfig)).awaitPrepared(Duration.ofSeconds(60)));
        step("collector     " + collectorUrl());

        demo = keep(DemoServer.start(s.demoPort(), s.repository().resolve("tracker-sdk-js")));
        step("demo page     " + demoUrl());
    }

    /**
     * Applies {@code connect-config/connectors} of {@code repository} to the worker at {@code connectUrl}; returns
     * what {@code chartpulse connectors apply} printed.
     */
    public static String applyConnectors(Path repository, String connectUrl) {
        StringWriter applied = new StringWriter();
        int exit = ChartPulseCli.commandLine()
                .setOut(new PrintWriter(applied, true))
                .setErr(new PrintWriter(applied, true))
                .execute(
                        "connectors",
                        "apply",
                        repository.resolve("connect-config/connectors").toString(),
                        "--connect-url=" + connectUrl);
        if (exit != 0) {
            throw new IllegalStateException("Applying connect-config/connectors failed:\n" + applied);
        }
        return applied.toString();
    }

    /** The lake's settings in the development stack: a SQLite catalog in the data directory, tables in the bucket. */
    private Map<String, String> lakeEnvironment(Settings s) {
        try {
            Files.createDirectories(s.dataDir().resolve("lake"));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create " + s.dataDir().resolve("lake") + ": " + e.getMessage(), e);
        }
        return StackVariables.lake(s.dataDir(), s3.endpoint());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedRegistry registry() {
        return registry;
    }

    public EmbeddedS3 s3() {
        return s3;
    }

    public EmbeddedMongo mongo() {
        return mongo;
    }

    public EmbeddedConnect connect() {
        return connect;
    }

    public String streamsUrl() {
        return streams.url();
    }

    /** The streams app's topology settings (what a replay of this stack's archive must use to match it). */
    public TopologySettings topologySettings() {
        return streamsAppConfig.topology();
    }

    /** The raw archive the stack's S3 sink writes, as the batch jobs open it. */
    public RawArchive openArchive() {
        return RawArchive.open(LakeCatalog.resolveAll(
                ConnectorFile.read(repository.resolve(BatchCommand.DEFAULT_ARCHIVE_CONNECTOR))
                        .config(),
                DevEnvConfigProvider.VALUES::get));
    }

    /** The lake's Iceberg catalog with this stack's settings; the caller closes it. */
    public Catalog openLakeCatalog() {
        return LakeCommand.openCatalog(
                repository.resolve(LakeCommand.DEFAULT_CONNECTOR_CONFIG), DevEnvConfigProvider.VALUES::get);
    }

    /**
     * Runs the batch rollup of the current UTC day every {@code every} until the stack closes (the dev stack's
     * stand-in for a scheduler, {@code ./chartpulse dev --rollup-every}); each run prints one line. A failed run is
     * printed and tried again at the next tick.
     */
    public void startRollups(Duration every) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chartpulse-dev-rollup");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(
                () -> rollUpToday(every), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        keep(timer::shutdownNow);
    }

    private void rollUpToday(Duration every) {
        Interval today = Interval.containing(Interval.Grain.DAY, Instant.now());
        Catalog catalog = openLakeCatalog();
        try (MongoClient client = MongoClients.create(mongo.uri())) {
            MongoDatabase db = client.getDatabase(DATABASE);
            RollupJob.Result r = RollupJob.over(catalog, db).run(today, List.of(RollupJob.Target.values()));
            out.printf("rollup %s: %d events -> %s%n", today, r.events(), r.rows());
        } catch (RuntimeException e) {
            out.println("rollup " + today + " failed (next try in " + every + "): " + e);
        } finally {
            if (catalog instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // the catalog's pool
                }
            }
        }
        out.flush();
    }

    /** The collector's event endpoint, e.g. {@code http://127.0.0.1:8080/v1/events}. */
    public String collectorUrl() {
        return "http://127.0.0.1:" + collector.port() + "/v1/events";
    }

    /** The live dashboard, served by the streams app. */
    public String dashboardUrl() {
        return streams.url() + "/dashboard/";
    }

    /** The demo page, pointed at this collector. */
    public String demoUrl() {
        return "http://127.0.0.1:" + demo.port() + "/?endpoint=" + collectorUrl();
    }

    /** Stops everything that was started, in reverse order. */
    @Override
    public void close() {
        while (!started.isEmpty()) {
            AutoCloseable service = started.pop();
            try {
                service.close();
            } catch (Exception e) {
                out.println("could not stop " + service.getClass().getSimpleName() + ": " + e);
            }
        }
        out.flush();
    }
}
