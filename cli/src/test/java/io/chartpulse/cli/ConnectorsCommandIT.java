package io.chartpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.chartpulse.avro.ChartMetric;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.Session;
import io.chartpulse.batch.MongoIndexes;
import io.chartpulse.cli.common.ExitCode;
import io.chartpulse.cli.lake.LakeCommand;
import io.chartpulse.embedded.EmbeddedConnect;
import io.chartpulse.embedded.EmbeddedMongo;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.EmbeddedS3;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.FreePorts;
import io.chartpulse.lake.LakeTable;
import io.chartpulse.lake.LakeTables;
import io.chartpulse.schemas.ChartPulseSchema;
import io.chartpulse.schemas.SampleRecords;
import io.chartpulse.schemas.Topic;
import io.chartpulse.serde.avro.KafkaAvroSerializer;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every config of connect-config/connectors applied by {@code chartpulse connectors apply} to a real Connect worker
 * that loads the S3 sink and the MongoDB sink from their plugin directories, with the endpoints taken from
 * environment variables through Connect's EnvVarConfigProvider (the build sets them, on reserved ports); records
 * produced with the serde end up in mongo-java-server and S3Proxy.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectorsCommandIT {

    private static final Path CONFIGS = Path.of("..", "connect-config", "connectors");
    private static EmbeddedRegistry registry;
    private static EmbeddedS3 s3;
    private static EmbeddedMongo mongo;
    private static EmbeddedConnect connect;
    private static MongoClient client;
    private static EmbeddedKafka kafka;

    /** The output and exit code of one command. */
    record Run(int exit, String out, String err) {}

    static Run cli(String... args) {
        return cliAnswering("", args);
    }

    /** Runs the command with {@code typed} as what a person types at its prompts. */
    static Run cliAnswering(String typed, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var commandLine = ChartPulseCli.commandLine(new BufferedReader(new StringReader(typed)));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static int port(String env) {
        return URI.create(System.getenv(env).replace("mongodb://", "http://")).getPort();
    }

    @BeforeAll
    static void start() throws Exception {
        // Its own broker on the port the build reserved: the lake connectors'
        // ${env:CHARTPULSE_KAFKA_BOOTSTRAP_SERVERS}.
        kafka = EmbeddedKafka.builder()
                .port(URI.create("kafka://" + System.getenv("CHARTPULSE_KAFKA_BOOTSTRAP_SERVERS"))
                        .getPort())
                .controllerPort(FreePorts.pick())
                .start();
        registry = EmbeddedRegistry.start(kafka, port("CHARTPULSE_REGISTRY_URL"), "_schemas");
        s3 = EmbeddedS3.start(port("CHARTPULSE_S3_ENDPOINT"), null);
        s3.createBucket(System.getenv("CHARTPULSE_S3_BUCKET"));
        mongo = EmbeddedMongo.start(port("CHARTPULSE_MONGO_URI"), null);
        client = MongoClients.create(mongo.uri());
        for (String topic : List.of(
                "chart.events.raw.v1",
                "chart.events.enriched.v1",
                "chart.sessions.v1",
                "chart.metrics.minute.v1",
                LakeTable.CONTROL_TOPIC)) {
            if (!kafka.topics().contains(topic)) {
                kafka.createTopic(topic, 1);
            }
        }
        // The lake's tables exist before its sinks start (they do not auto-create): a fresh catalog each run.
        Path catalog = Path.of(System.getenv("CHARTPULSE_LAKE_CATALOG_URI").substring("jdbc:sqlite:".length()));
        Files.createDirectories(catalog.getParent());
        Files.deleteIfExists(catalog);
        assertThat(LakeCommand.ensureTables(CONFIGS.resolve("iceberg-enriched-events.json"), System::getenv))
                .hasSize(LakeTable.values().length)
                .allMatch(LakeTables.Outcome::created);
        connect = EmbeddedConnect.start(
                kafka,
                0,
                "cli-it",
                List.of(
                        Path.of("..", "connect-s3-sink", "target", "plugin"),
                        Path.of("..", "connect-config", "target", "plugins"),
                        Path.of("..", "lake", "target", "plugin")),
                Map.of());
    }

    @AfterAll
    static void stop() {
        connect.close();
        client.close();
        mongo.close();
        s3.close();
        registry.close();
        kafka.close();
    }

    private String url() {
        return "--connect-url=" + connect.url();
    }

    private static void awaitAllRunning() {
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> {
                    Run status = cli("connectors", "status", "--connect-url=" + connect.url());
                    assertThat(status.exit()).as(status.out() + status.err()).isZero();
                    assertThat(status.out())
                            .doesNotContain("UNASSIGNED")
                            .contains(
                                    "s3-raw-events",
                                    "mongo-enriched-events",
                                    "mongo-sessions",
                                    "mongo-chart-metrics",
                                    "iceberg-enriched-events",
                                    "iceberg-sessions",
                                    "iceberg-chart-metrics");
                });
    }

    @Test
    @Order(1)
    void applyCreatesEveryConnectorAndASecondApplyChangesNothing() {
        Run first = cli("connectors", "apply", CONFIGS.toString(), url());
        assertThat(first.exit()).as(first.out() + first.err()).isZero();
        assertThat(first.out())
                .contains(
                        "created   mongo-chart-metrics",
                        "created   mongo-enriched-events",
                        "created   mongo-sessions",
                        "created   s3-raw-events",
                        "created   iceberg-enriched-events",
                        "created   iceberg-sessions",
                        "created   iceberg-chart-metrics");
        awaitAllRunning();
        Run again = cli("connectors", "apply", CONFIGS.toString(), url());
        assertThat(again.exit()).isZero();
        assertThat(again.out().lines()).hasSize(7).allMatch(l -> l.startsWith("unchanged "));
        Run diff = cli("connectors", "diff", CONFIGS.toString(), url());
        assertThat(diff.exit()).as(diff.out()).isZero();
        assertThat(diff.out().lines()).hasSize(7).allMatch(l -> l.startsWith("= "));
    }

    @Test
    @Order(2)
    void diffShowsExactlyTheChangedKeyAndApplyUpdatesIt() throws Exception {
        Path changed = Files.createTempDirectory("connectors").resolve("mongo-sessions.json");
        Files.writeString(
                changed,
                Files.readString(CONFIGS.resolve("mongo-sessions.json"))
                        .replace("\"max.batch.size\": \"500\"", "\"max.batch.size\": \"250\""));
        Run diff = cli("connectors", "diff", changed.toString(), url());
        assertThat(diff.exit()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(diff.out()).isEqualTo("~ mongo-sessions\n    ~ max.batch.size: 500 -> 250\n");
        Run apply = cli("connectors", "apply", changed.toString(), url());
        assertThat(apply.out()).isEqualTo("updated   mongo-sessions (max.batch.size)\n");
        assertThat(cli("connectors", "diff", changed.toString(), url()).exit()).isZero();
        assertThat(cli(
                                "connectors",
                                "apply",
                                CONFIGS.resolve("mongo-sessions.json").toString(),
                                url())
                        .out())
                .startsWith("updated");
        awaitAllRunning();
    }

    @Test
    @Order(3)
    void invalidConfigsAreReportedByKeyAndNothingIsApplied() throws Exception {
        Path dir = Files.createTempDirectory("connectors");
        Files.writeString(
                dir.resolve("bad.json"),
                "{\"name\": \"bad-s3\", \"config\": {\"connector.class\": "
                        + "\"io.chartpulse.connect.s3.S3SinkConnector\", \"topics\": \"t\", \"s3.bucket.name\": \"b\", "
                        + "\"avro.codec\": \"lzma\"}}");
        Run run = cli("connectors", "apply", dir.toString(), url());
        assertThat(run.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(run.out()).contains("invalid   bad-s3: avro.codec:");
        assertThat(run.err()).contains("nothing was applied");
        assertThat(connect.request("GET", "/connectors/bad-s3", null).statusCode())
                .isEqualTo(404);
    }

    private static <T extends SpecificRecord> void produce(String topic, String key, T... values) {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(registry.serdeConfig(), false);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (T value : values) {
                producer.send(new ProducerRecord<>(topic, key, serializer.serialize(topic, value)));
            }
        }
    }

    private static EnrichedEvent event(String id, String country) {
        return EnrichedEvent.newBuilder(SampleRecords.enrichedEvent())
                .setEventId(UUID.fromString(id))
                .setCountry(country)
                .build();
    }

    @Test
    @Order(4)
    void sinksWriteTypedDocumentsAndRedeliveriesUpsert() {
        MongoCollection<Document> events = client.getDatabase("chartpulse").getCollection("events");
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        produce("chart.events.enriched.v1", "anon", event(a, "DE"), event(b, "DE"));
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> events.countDocuments() == 2);
        Document doc = events.find(Filters.eq("event_id", a)).first();
        assertThat(doc.get("created_at")).as("timestamps as BSON dates").isInstanceOf(Date.class);
        assertThat(doc.get("derived_at")).isInstanceOf(Date.class);
        assertThat(doc.get("product", Document.class).get("rank"))
                .as("numbers as numbers")
                .isInstanceOf(Integer.class);
        assertThat(doc.get("product", Document.class).get("price")).isInstanceOf(Double.class);
        assertThat(doc.get("is_bot")).isInstanceOf(Boolean.class);

        // The same records again (a redelivery), then one changed: the count stays, the document is replaced.
        produce("chart.events.enriched.v1", "anon", event(a, "DE"), event(b, "DE"), event(a, "FR"));
        String marker = UUID.randomUUID().toString();
        produce("chart.events.enriched.v1", "anon", event(marker, "DE"));
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> events.countDocuments(Filters.eq("event_id", marker)) == 1);
        assertThat(events.countDocuments()).isEqualTo(3);
        assertThat(events.find(Filters.eq("event_id", a)).first().getString("country"))
                .isEqualTo("FR");

        Session session = SampleRecords.session();
        produce("chart.sessions.v1", session.getSessionId(), session, session);
        ChartMetric product = SampleRecords.chartMetric();
        ChartMetric chart =
                ChartMetric.newBuilder(product).setProductId(null).setClicks(7L).build();
        produce("chart.metrics.minute.v1", "m", product, chart, product);
        MongoCollection<Document> sessions = client.getDatabase("chartpulse").getCollection("sessions");
        MongoCollection<Document> metrics = client.getDatabase("chartpulse").getCollection("chart_metrics");
        MongoCollection<Document> productMetrics =
                client.getDatabase("chartpulse").getCollection("product_metrics");
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> sessions.countDocuments() == 1
                        && metrics.countDocuments() == 1
                        && productMetrics.countDocuments() == 1);
        assertThat(sessions.find().first().get("start_at")).isInstanceOf(Date.class);
        // One grain per collection: the chart row in chart_metrics, the product row (sent twice, upserted once) in
        // product_metrics, by the plugin's ChartMetricsNamespaceMapper.
        assertThat(productMetrics.find().first().getString("product_id")).isEqualTo(product.getProductId());
        Document chartRow = metrics.find().first();
        assertThat(chartRow.get("product_id")).isNull();
        assertThat(chartRow.get("clicks")).isEqualTo(7L);
        assertThat(chartRow.get("window_start")).isInstanceOf(Date.class);
        assertThat(chartRow.get("ctr")).isInstanceOf(Double.class);

        // The lake keeps every record of each topic once (append-only: a record sent twice is two records; the
        // streams app is what makes the enriched topic free of duplicates), committed every 5 s here.
        Catalog lake = LakeCommand.openCatalog(CONFIGS.resolve("iceberg-enriched-events.json"), System::getenv);
        Map<LakeTable, Integer> expected =
                Map.of(LakeTable.ENRICHED_EVENTS, 6, LakeTable.SESSIONS, 2, LakeTable.CHART_METRICS_MINUTE, 3);
        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> expected.forEach((table, count) -> {
                    Table t = lake.loadTable(table.identifier());
                    assertThat(t.currentSnapshot()).as(table + " committed").isNotNull();
                    assertThat(t.currentSnapshot().summary().get("total-records"))
                            .as(table.tableName())
                            .isEqualTo(String.valueOf(count));
                }));

        String config = "--connector-config=" + CONFIGS.resolve("iceberg-enriched-events.json");
        Run tables = cli("lake", "tables", config);
        assertThat(tables.exit()).as(tables.out() + tables.err()).isZero();
        assertThat(tables.out()).containsPattern("chartpulse\\.enriched_events +6 ");
        Run init = cli("lake", "init", config);
        assertThat(init.out().lines()).hasSize(3).allMatch(l -> l.startsWith("exists "));
        Run maintain = cli("lake", "maintain", "--dry-run", config);
        assertThat(maintain.exit()).as(maintain.err()).isZero();
        assertThat(maintain.out()).contains("chartpulse.sessions", "(dry run)");
    }

    @Test
    @Order(5)
    void aRecordTheSinkCannotWriteGoesToTheDeadLetterTopicAndTheSinkGoesOn() {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("chart.sessions.v1", "bad", "not avro".getBytes()));
        }
        Session later = Session.newBuilder(SampleRecords.session())
                .setSessionId(UUID.randomUUID().toString())
                .build();
        produce("chart.sessions.v1", later.getSessionId(), later);
        MongoCollection<Document> sessions = client.getDatabase("chartpulse").getCollection("sessions");
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> sessions.countDocuments(Filters.eq("session_id", later.getSessionId())) == 1);
        List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "dlq-check",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("chart.connect.dlq.mongo-sessions"));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(dead::add);
                return !dead.isEmpty();
            });
        }
        assertThat(new String(dead.get(0).value())).isEqualTo("not avro");
        assertThat(cli("connectors", "status", url()).exit()).isZero();
    }

    @Test
    @Order(6)
    void statusFailsOnAFailedTaskAndTheOperationsWork() throws Exception {
        Path dir = Files.createTempDirectory("connectors");
        // Strict error handling on a topic with a poison pill: its task fails.
        kafka.createTopic("cli-it-poison", 1);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("cli-it-poison", "k", "not avro".getBytes()))
                    .get();
        }
        Files.writeString(
                dir.resolve("strict.json"),
                Files.readString(CONFIGS.resolve("mongo-sessions.json"))
                        .replace("\"name\": \"mongo-sessions\"", "\"name\": \"strict\"")
                        .replace("\"chart.sessions.v1\"", "\"cli-it-poison\"")
                        .replace("\"errors.tolerance\": \"all\"", "\"errors.tolerance\": \"none\"")
                        .replace("\"tasks.max\": \"3\"", "\"tasks.max\": \"1\""));
        assertThat(cli("connectors", "apply", dir.toString(), url()).exit()).isZero();
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Run status = cli("connectors", "status", url());
            assertThat(status.exit()).isEqualTo(ExitCode.CHECK_FAILED);
            assertThat(status.out())
                    .containsPattern("task 0 +FAILED")
                    .contains("      org.apache.kafka.connect.errors");
        });
        Run restart = cli("connectors", "restart", "--failed", "strict", url());
        assertThat(restart.exit()).isZero();
        assertThat(restart.out()).contains("restarted strict (failed parts only)");

        assertThat(cli("connectors", "pause", "mongo-chart-metrics", url()).exit())
                .isZero();
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> cli("connectors", "status", url()).out().contains("mongo-chart-metrics          PAUSED"));
        assertThat(cli("connectors", "resume", "mongo-chart-metrics", url()).exit())
                .isZero();
        Run refused = cliAnswering("n\n", "connectors", "delete", "strict", url());
        assertThat(refused.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(refused.out()).contains("Delete strict from " + connect.url() + "? [y/N]", "nothing deleted");
        assertThat(connect.request("GET", "/connectors/strict", null).statusCode())
                .isEqualTo(200);
        assertThat(cli("connectors", "delete", "strict", "--yes", url()).out()).isEqualTo("deleted   strict\n");
        awaitAllRunning();
    }

    @Test
    @Order(7)
    void connectDownGivesAClearMessageAndItsExitCode() {
        Run run = cli("connectors", "status", "--connect-url=http://127.0.0.1:1", "--timeout=2s");
        assertThat(run.exit()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(run.err()).startsWith("chartpulse: Cannot reach Kafka Connect at http://127.0.0.1:1");
        assertThat(run.err()).doesNotContain("\tat ");
    }

    @Test
    @Order(9)
    void schemasRegisterThenCheck() {
        Run register = cli("schemas", "register", "--registry-url=" + registry.url());
        assertThat(register.exit()).as(register.err()).isZero();
        assertThat(register.out().lines())
                .hasSize(ChartPulseSchema.values().length)
                .anyMatch(l -> l.matches("chart\\.sessions\\.v1-value +id \\d+"));
        Run check = cli("schemas", "check", "--registry-url=" + registry.url());
        assertThat(check.exit()).isZero();
        assertThat(check.out().lines())
                .hasSize(ChartPulseSchema.values().length)
                .allMatch(l -> l.endsWith(" compatible"));
        Run down = cli("schemas", "check", "--registry-url=http://127.0.0.1:1");
        assertThat(down.exit()).isEqualTo(ExitCode.UNREACHABLE);
    }

    @Test
    @Order(8)
    void mongoInitCreatesTheIndexesOnce() {
        Run first = cli("mongo", "init", "--mongo-uri=" + mongo.uri(), "--mongo-database=chartpulse");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out())
                .contains(
                        "created events.event_id unique",
                        "created chart_metrics.chart_product_window unique",
                        "created product_metrics.chart_product_window unique");
        Run second = cli("mongo", "init", "--mongo-uri=" + mongo.uri(), "--mongo-database=chartpulse");
        assertThat(second.exit()).isZero();
        assertThat(second.out().lines())
                .hasSize(MongoIndexes.ALL.size()
                        + MongoIndexes.retention(MongoIndexes.DEFAULT_RETENTION).size())
                .allMatch(l -> l.startsWith("exists  "));
        assertThat(first.out()).contains("created events.expire (retention: deleted 395 days after their time)");
        Run bad = cli("mongo", "init", "--mongo-uri=" + mongo.uri(), "--retention", "soon");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--retention must be an ISO-8601 duration such as P395D, or none; got soon");
        List<String> names = new ArrayList<>();
        client.getDatabase("chartpulse")
                .getCollection("events")
                .listIndexes()
                .forEach(d -> names.add(d.getString("name")));
        assertThat(names).contains("event_id", "chart_time", "visitor_time");
    }

    @Test
    @Order(10)
    void aMongoDbOutageIsWaitedOutNotDeadLettered() throws Exception {
        MongoCollection<Document> events = client.getDatabase("chartpulse").getCollection("events");
        String dlq = Topic.deadLetter("mongo-enriched-events");
        long dlqBefore = endOffset(dlq);
        int port = mongo.port();
        mongo.close();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        produce(
                "chart.events.enriched.v1",
                "anon",
                ids.stream().map(id -> event(id, "DE")).toArray(EnrichedEvent[]::new));
        // Past the sink's server selection timeout (2 s in this build's URI): its writes fail while MongoDB is gone.
        Thread.sleep(8_000);
        mongo = EmbeddedMongo.start(port, null);
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> events.countDocuments(Filters.in("event_id", ids)) == ids.size());
        assertThat(endOffset(dlq) - dlqBefore)
                .as("records of the outage sent to %s", dlq)
                .isZero();
        awaitAllRunning();
    }

    private static long endOffset(String topic) throws Exception {
        if (!kafka.topics().contains(topic)) {
            return 0;
        }
        TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest()))
                    .all()
                    .get()
                    .get(partition)
                    .offset();
        }
    }
}
