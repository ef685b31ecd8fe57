package io.chartpulse.cli.dev;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.chartpulse.batch.Interval;
import io.chartpulse.batch.MongoIndexes;
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
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
            return builder(repository.resolve(".chartpulse"), repository)
                    .kafkaPort(9092)
                    .controllerPort(9093)
                    .registryPort(8081)
                    .connectPort(8083)
                    .s3Port(9000)
                    .mongoPort(27017)
                    .collectorPort(8080)
                    .streamsPort(8084)
                    .demoPort(8088)
                    .s3Rotate(Duration.ofSeconds(10))
                    .lakeCommit(Duration.ofSeconds(60))
                    .build();
        }

        /** Free ports everywhere, quick S3 rotation and lake commits (tests). */
        public static Settings freePorts(Path dataDir, Path repository) {
            return builder(dataDir, repository)
                    .s3Rotate(Duration.ofSeconds(2))
                    .lakeCommit(Duration.ofSeconds(3))
                    .build();
        }

        /**
         * Settings to start from: every port 0 (a free one), 30-minute sessions, a 60 s metrics grace, S3 objects
         * cut every 10 s, lake commits every 60 s.
         */
        public static Builder builder(Path dataDir, Path repository) {
            return new Builder(dataDir, repository);
        }

        /** These settings, to change some of them. */
        public Builder toBuilder() {
            return new Builder(dataDir, repository)
                    .kafkaPort(kafkaPort)
                    .controllerPort(controllerPort)
                    .registryPort(registryPort)
                    .connectPort(connectPort)
                    .s3Port(s3Port)
                    .mongoPort(mongoPort)
                    .collectorPort(collectorPort)
                    .streamsPort(streamsPort)
                    .demoPort(demoPort)
                    .sessionGap(sessionGap)
                    .metricsGrace(metricsGrace)
                    .s3Rotate(s3Rotate)
                    .lakeCommit(lakeCommit);
        }

        /** Short windows, so a test sees sessions and metrics within seconds. */
        public Settings withShortWindows(Duration gap, Duration grace) {
            return toBuilder().sessionGap(gap).metricsGrace(grace).build();
        }

        /** Every free-port choice made now, so a restart finds the stack where it was. */
        public Settings pinned() {
            return toBuilder()
                    .kafkaPort(pick(kafkaPort))
                    .controllerPort(pick(controllerPort))
                    .registryPort(pick(registryPort))
                    .connectPort(pick(connectPort))
                    .s3Port(pick(s3Port))
                    .mongoPort(pick(mongoPort))
                    .collectorPort(pick(collectorPort))
                    .streamsPort(pick(streamsPort))
                    .demoPort(pick(demoPort))
                    .build();
        }

        private static int pick(int port) {
            return port == 0 ? FreePorts.pick() : port;
        }

        /** The same settings on another data directory. */
        public Settings withDataDir(Path dir) {
            return toBuilder().dataDir(dir).build();
        }

        /** Builds {@link Settings} one named value at a time. */
        public static final class Builder {
            private Path dataDir;
            private final Path repository;
            private int kafkaPort;
            private int controllerPort;
            private int registryPort;
            private int connectPort;
            private int s3Port;
            private int mongoPort;
            private int collectorPort;
            private int streamsPort;
            private int demoPort;
            private Duration sessionGap = Duration.ofMinutes(30);
            private Duration metricsGrace = Duration.ofSeconds(60);
            private Duration s3Rotate = Duration.ofSeconds(10);
            private Duration lakeCommit = Duration.ofSeconds(60);

            private Builder(Path dataDir, Path repository) {
                this.dataDir = dataDir;
                this.repository = repository;
            }

            public Builder dataDir(Path dir) {
                this.dataDir = dir;
                return this;
            }

            public Builder kafkaPort(int port) {
                this.kafkaPort = port;
                return this;
            }

            public Builder controllerPort(int port) {
                this.controllerPort = port;
                return this;
            }

            public Builder registryPort(int port) {
                this.registryPort = port;
                return this;
            }

            public Builder connectPort(int port) {
                this.connectPort = port;
                return this;
            }

            public Builder s3Port(int port) {
                this.s3Port = port;
                return this;
            }

            public Builder mongoPort(int port) {
                this.mongoPort = port;
                return this;
            }

            public Builder collectorPort(int port) {
                this.collectorPort = port;
                return this;
            }

            public Builder streamsPort(int port) {
                this.streamsPort = port;
                return this;
            }

            public Builder demoPort(int port) {
                this.demoPort = port;
                return this;
            }

            public Builder sessionGap(Duration gap) {
                this.sessionGap = gap;
                return this;
            }

            public Builder metricsGrace(Duration grace) {
                this.metricsGrace = grace;
                return this;
            }

            public Builder s3Rotate(Duration rotate) {
                this.s3Rotate = rotate;
                return this;
            }

            public Builder lakeCommit(Duration commit) {
                this.lakeCommit = commit;
                return this;
            }

            public Settings build() {
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
                        sessionGap,
                        metricsGrace,
                        s3Rotate,
                        lakeCommit);
            }
        }
    }

    public static final String BUCKET = "chartpulse-lake";
    /** The dev collector's trusted.proxies: loopback, where the load generator and the browser tests run. */
    static final String DEV_TRUSTED_PROXIES = "127.0.0.1,::1";

    public static final String DATABASE = "chartpulse";

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    // The connector configs' ${env:…} values for this stack, read by its worker's env provider (and by the lake and
    // batch commands it runs in process).
    private final Map<String, String> variables = new ConcurrentHashMap<>();
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
            MongoCommand.ensureIndexes(
                    mongoClient.getDatabase(DATABASE),
                    MongoIndexes.DEFAULT_RETENTION,
                    new PrintWriter(new StringWriter()));
        }
        step("MongoDB       " + mongo.uri() + "  database " + DATABASE + "  (indexes ready)");

        variables.putAll(StackVariables.connectors(
                registry.url(), s3.endpoint(), mongo.uri(), kafka.bootstrapServers(), s.s3Rotate(), s.lakeCommit()));
        variables.putAll(lakeEnvironment(s));
        DevEnvConfigProvider.Registration env = keep(DevEnvConfigProvider.register(variables));
        step("lake          "
                + String.join(
                        ", ",
                        LakeCommand.ensureTables(
                                        s.repository().resolve(LakeCommand.DEFAULT_CONNECTOR_CONFIG), variables::get)
                                .stream()
                                .map(o -> o.table().identifier() + (o.created() ? " (created)" : ""))
                                .toList())
                + "  (SQLite catalog " + s.dataDir().resolve("lake") + ")");
        connect = keep(EmbeddedConnect.start(
                kafka,
                s.connectPort(),
                "chartpulse-connect",
                List.of(plugins3, pluginMongo, pluginLake),
                env.workerConfig()));
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

    /** The collector, running in this JVM. */
    public CollectorServer collectorServer() {
        return collector;
    }

    /** The streams app's Kafka Streams instance (its stores can be queried). */
    public KafkaStreams streamsInstance() {
        return streams.streams();
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
                variables::get));
    }

    /**
     * A connector config of the repository ({@code relative}, e.g. {@code connect-config/connectors/s3-raw-events.json})
     * with this stack's values in place of its {@code ${env:…}} variables, written to {@code target}: what a command run
     * against this stack (on its free ports) is pointed at.
     */
    public Path writeResolvedConnector(String relative, Path target) {
        ConnectorFile file = ConnectorFile.read(repository.resolve(relative));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", file.name());
        json.put("config", LakeCatalog.resolveAll(file.config(), variables::get));
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(target.toFile(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** The lake's Iceberg catalog with this stack's settings; the caller closes it. */
    public Catalog openLakeCatalog() {
        return LakeCommand.openCatalog(repository.resolve(LakeCommand.DEFAULT_CONNECTOR_CONFIG), variables::get);
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
