package io.chartpulse.cli.dev;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.chartpulse.avro.CatalogEntry;
import io.chartpulse.avro.CatalogEntryType;
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
import io.chartpulse.lake.LakeTable;
import io.chartpulse.schemas.ChartPulseSchema;
import io.chartpulse.schemas.Topic;
import io.chartpulse.serde.avro.KafkaAvroSerializer;
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
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
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
    /** Topics and partitions of the development stack (production sizes are in connect-config/README.md). */
    static final Map<String, Integer> TOPICS = Map.of(
            Topic.RAW_EVENTS.topicName(),
            2,
            Topic.ENRICHED_EVENTS.topicName(),
            2,
            Topic.INVALID_EVENTS.topicName(),
            1,
            Topic.SESSIONS.topicName(),
            1,
            Topic.CHART_METRICS_MINUTE.topicName(),
            1,
            Topic.CATALOG.topicName(),
            1);
    /** The connectors' dead-letter topics, made up front (Connect would create them on the first failure). */
    static final List<String> DEAD_LETTER_TOPICS = List.of(
            Topic.deadLetter("s3-raw-events"),
            Topic.deadLetter("mongo-enriched-events"),
            Topic.deadLetter("mongo-sessions"),
            Topic.deadLetter("mongo-chart-metrics"),
            Topic.deadLetter("iceberg-enriched-events"),
            Topic.deadLetter("iceberg-sessions"),
            Topic.deadLetter("iceberg-chart-metrics"));

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
        createTopics(kafka.admin());
        step("topics        "
                + String.join(", ", TOPICS.keySet().stream().sorted().toList()) + " and the dead-letter topics");
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

        DevEnvConfigProvider.VALUES.putAll(connectorVariables(
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
        StringWriter applied = new StringWriter();
        int exit = ChartPulseCli.commandLine()
                .setOut(new PrintWriter(applied, true))
                .setErr(new PrintWriter(applied, true))
                .execute(
                        "connectors",
                        "apply",
                        s.repository().resolve("connect-config/connectors").toString(),
                        "--connect-url=" + connect.url());
        if (exit != 0) {
            throw new IllegalStateException("Applying connect-config/connectors failed:\n" + applied);
        }
        step("Kafka Connect " + connect.url() + "  "
                + applied.toString()
                        .lines()
                        .map(l -> l.replaceAll("\\s+", " ").trim())
                        .toList());

        loadCatalog(kafka.bootstrapServers(), registry.serdeConfig());
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
     * Creates every topic of the stack that does not exist yet: the pipeline's (the catalog compacted), the lake's
     * control topic and the connectors' dead-letter topics.
     */
    public static void createTopics(Admin admin) {
        Map<String, Integer> partitions = new HashMap<>(TOPICS);
        partitions.put(LakeTable.CONTROL_TOPIC, 1);
        DEAD_LETTER_TOPICS.forEach(topic -> partitions.put(topic, 1));
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = partitions.entrySet().stream()
                    .filter(t -> !existing.contains(t.getKey()))
                    .map(t -> new NewTopic(t.getKey(), t.getValue(), (short) 1)
                            .configs(
                                    t.getKey().equals(Topic.CATALOG.topicName())
                                            ? Map.of("cleanup.policy", "compact")
                                            : Map.of()))
                    .toList();
            admin.createTopics(missing).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "Cannot create the stack's topics: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * The variables the connector configs read ({@code ${env:…}}) but the lake's catalog: registry, archive bucket,
     * S3, MongoDB, the broker (the Iceberg sink's control consumer), the archive's schedule and the lake's commit
     * interval.
     */
    public static Map<String, String> connectorVariables(
            String registryUrl,
            String s3Endpoint,
            String mongoUri,
            String bootstrapServers,
            Duration s3Rotate,
            Duration lakeCommit) {
        Map<String, String> env = new HashMap<>();
        env.put("CHARTPULSE_REGISTRY_URL", registryUrl);
        env.put("CHARTPULSE_REPLICATION_FACTOR", "1");
        env.put("CHARTPULSE_S3_BUCKET", BUCKET);
        env.put("CHARTPULSE_S3_REGION", EmbeddedS3.REGION);
        env.put("CHARTPULSE_S3_ENDPOINT", s3Endpoint);
        env.put("CHARTPULSE_S3_PATH_STYLE", "true");
        env.put("CHARTPULSE_S3_ACCESS_KEY", EmbeddedS3.ACCESS_KEY);
        env.put("CHARTPULSE_S3_SECRET_KEY", EmbeddedS3.SECRET_KEY);
        env.put("CHARTPULSE_S3_ROTATE_SCHEDULE_MS", String.valueOf(s3Rotate.toMillis()));
        env.put("CHARTPULSE_MONGO_URI", mongoUri);
        env.put("CHARTPULSE_MONGO_DATABASE", DATABASE);
        env.put("CHARTPULSE_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("CHARTPULSE_LAKE_COMMIT_INTERVAL_MS", String.valueOf(lakeCommit.toMillis()));
        return env;
    }

    /** The lake's settings in the development stack: a SQLite catalog in the data directory, tables in the bucket. */
    private Map<String, String> lakeEnvironment(Settings s) {
        try {
            Files.createDirectories(s.dataDir().resolve("lake"));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create " + s.dataDir().resolve("lake") + ": " + e.getMessage(), e);
        }
        return lakeVariables(s.dataDir(), s3.endpoint());
    }

    /**
     * The variables a lake catalog of a development stack is opened with: its SQLite catalog under {@code dataDir},
     * its tables in the bucket of the S3 stand-in at {@code s3Endpoint}.
     */
    /**
     * What the connector configs' variables are in {@code ./chartpulse dev} on its default ports, for the commands
     * run against it ({@code --dev}): the lake's, the archive's bucket, MongoDB, the broker and the registry.
     */
    public static Map<String, String> devVariables(Path dataDir) {
        Settings d = Settings.defaults(Path.of("."));
        Map<String, String> env = lakeVariables(dataDir, "http://127.0.0.1:" + d.s3Port());
        env.put("CHARTPULSE_S3_BUCKET", BUCKET);
        env.put("CHARTPULSE_MONGO_URI", "mongodb://127.0.0.1:" + d.mongoPort() + "/?retryWrites=false");
        env.put("CHARTPULSE_MONGO_DATABASE", DATABASE);
        env.put("CHARTPULSE_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + d.kafkaPort());
        env.put("CHARTPULSE_REGISTRY_URL", "http://127.0.0.1:" + d.registryPort());
        return env;
    }

    public static Map<String, String> lakeVariables(Path dataDir, String s3Endpoint) {
        Map<String, String> env = new HashMap<>();
        env.put("CHARTPULSE_LAKE_CATALOG_TYPE", "jdbc");
        env.put(
                "CHARTPULSE_LAKE_CATALOG_URI",
                "jdbc:sqlite:" + dataDir.resolve("lake").resolve("catalog.db").toAbsolutePath());
        env.put("CHARTPULSE_LAKE_CATALOG_USER", "");
        env.put("CHARTPULSE_LAKE_CATALOG_PASSWORD", "");
        env.put("CHARTPULSE_LAKE_WAREHOUSE", "s3://" + BUCKET + "/warehouse");
        env.put("CHARTPULSE_S3_REGION", EmbeddedS3.REGION);
        env.put("CHARTPULSE_S3_ENDPOINT", s3Endpoint);
        env.put("CHARTPULSE_S3_PATH_STYLE", "true");
        env.put("CHARTPULSE_S3_ACCESS_KEY", EmbeddedS3.ACCESS_KEY);
        env.put("CHARTPULSE_S3_SECRET_KEY", EmbeddedS3.SECRET_KEY);
        return env;
    }

    /** Writes the demo catalog (10 laptops and the chart {@code laptops-2026}) to {@code chart.catalog.v1}. */
    public static void loadCatalog(String bootstrapServers, Map<String, ?> serdeConfig) {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(serdeConfig, false);
        String[][] products = {
            {"p-01", "Acme Book 14", "Acme", "999"},
            {"p-02", "Zeta Air 13", "Zeta", "1299"},
            {"p-03", "Nimbus Pro 16", "Nimbus", "2199"},
            {"p-04", "Acme Book 16", "Acme", "1399"},
            {"p-05", "Orbit 15", "Orbit", "749"},
            {"p-06", "Zeta Flex 14", "Zeta", "1099"},
            {"p-07", "Nimbus Go 13", "Nimbus", "649"},
            {"p-08", "Orbit Max 17", "Orbit", "1899"},
            {"p-09", "Acme Lite 13", "Acme", "549"},
            {"p-10", "Zeta Studio 16", "Zeta", "2499"}
        };
        Instant now = Instant.now();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (String[] p : products) {
                CatalogEntry entry = CatalogEntry.newBuilder()
                        .setEntryType(CatalogEntryType.PRODUCT)
                        .setId(p[0])
                        .setName(p[1])
                        .setBrand(p[2])
                        .setCategory("laptops")
                        .setPrice(Double.parseDouble(p[3]))
                        .setCurrency("EUR")
                        .setSiteId("reviews.example")
                        .setUpdatedAt(now)
                        .build();
                producer.send(new ProducerRecord<>(
                        Topic.CATALOG.topicName(),
                        "product:" + p[0],
                        serializer.serialize(Topic.CATALOG.topicName(), entry)));
            }
            CatalogEntry chart = CatalogEntry.newBuilder()
                    .setEntryType(CatalogEntryType.CHART)
                    .setId("laptops-2026")
                    .setName("Best laptops 2026")
                    .setCategory("laptops")
                    .setSiteId("reviews.example")
                    .setUpdatedAt(now)
                    .build();
            producer.send(new ProducerRecord<>(
                    Topic.CATALOG.topicName(),
                    "chart:laptops-2026",
                    serializer.serialize(Topic.CATALOG.topicName(), chart)));
        }
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
