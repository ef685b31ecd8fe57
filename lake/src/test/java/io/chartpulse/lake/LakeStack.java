package io.chartpulse.lake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.EmbeddedS3;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.serde.avro.KafkaAvroSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * What the lake's integration tests share: a broker, the registry, S3Proxy, a SQLite JDBC catalog with the tables
 * created from their definitions, the connector configs of {@code connect-config/connectors} with the environment a
 * worker resolves them with, and readers of the committed tables (Iceberg's Java reader and pyiceberg).
 */
final class LakeStack implements AutoCloseable {

    static final String BUCKET = "chartpulse-lake";
    static final String CONTROL_TOPIC = LakeTable.CONTROL_TOPIC;
    static final Path CONNECTORS = Path.of("..", "connect-config", "connectors");
    static final ObjectMapper JSON = new ObjectMapper();

    final EmbeddedKafka kafka;
    final EmbeddedRegistry registry;
    final EmbeddedS3 s3;
    final Path dir;
    final Map<String, String> environment = new LinkedHashMap<>();
    final Catalog catalog;

    LakeStack(EmbeddedKafka kafka, Path dir, Duration commitInterval) {
        this(kafka, dir, commitInterval, null);
    }

    /** With {@code s3Dir} non-null, S3Proxy keeps its objects there instead of in memory (the benchmark's gigabytes). */
    LakeStack(EmbeddedKafka kafka, Path dir, Duration commitInterval, Path s3Dir) {
        this.kafka = kafka;
        this.dir = dir;
        registry = EmbeddedRegistry.start(kafka, 0, "_schemas-lake");
        s3 = EmbeddedS3.start(0, s3Dir);
        s3.createBucket(BUCKET);
        environment.put("CHARTPULSE_REGISTRY_URL", registry.url());
        environment.put("CHARTPULSE_REPLICATION_FACTOR", "1");
        environment.put("CHARTPULSE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        environment.put("CHARTPULSE_LAKE_COMMIT_INTERVAL_MS", String.valueOf(commitInterval.toMillis()));
        environment.put(
                "CHARTPULSE_LAKE_COMMIT_TIMEOUT_MS",
                String.valueOf(LakeCommits.timeoutFor(commitInterval).toMillis()));
        environment.put("CHARTPULSE_LAKE_CATALOG_TYPE", "jdbc");
        environment.put(
                "CHARTPULSE_LAKE_CATALOG_URI",
                "jdbc:sqlite:" + dir.resolve("catalog.db").toAbsolutePath());
        environment.put("CHARTPULSE_LAKE_CATALOG_USER", "");
        environment.put("CHARTPULSE_LAKE_CATALOG_PASSWORD", "");
        environment.put("CHARTPULSE_LAKE_WAREHOUSE", "s3://" + BUCKET + "/warehouse");
        environment.put("CHARTPULSE_S3_REGION", EmbeddedS3.REGION);
        environment.put("CHARTPULSE_S3_ENDPOINT", s3.endpoint());
        environment.put("CHARTPULSE_S3_PATH_STYLE", "true");
        environment.put("CHARTPULSE_S3_ACCESS_KEY", EmbeddedS3.ACCESS_KEY);
        environment.put("CHARTPULSE_S3_SECRET_KEY", EmbeddedS3.SECRET_KEY);
        Map<String, String> anyConnector = connectorConfig(LakeTable.ENRICHED_EVENTS);
        catalog = LakeCatalog.open(
                LakeCatalog.catalogName(anyConnector), LakeCatalog.catalogProperties(anyConnector, environment::get));
        for (String topic : List.of(CONTROL_TOPIC)) {
            if (!kafka.topics().contains(topic)) {
                kafka.createTopic(topic, 1);
            }
        }
    }

    /** The plugin directory the build assembles, for plugin.path. */
    static Path pluginPath() {
        Path plugin = Path.of("target", "plugin");
        if (!Files.isDirectory(plugin.resolve("chartpulse-iceberg-sink").resolve("lib"))) {
            throw new IllegalStateException("No plugin directory at " + plugin.toAbsolutePath()
                    + ": run the package phase first (./mvnw -pl lake package)");
        }
        return plugin;
    }

    /** The config of the connector writing {@code table}, as connect-config/connectors has it (placeholders kept). */
    static Map<String, String> connectorConfig(LakeTable table) {
        try {
            JsonNode file = JSON.readTree(
                    CONNECTORS.resolve(table.connector() + ".json").toFile());
            Map<String, String> config = new LinkedHashMap<>();
            file.path("config")
                    .fields()
                    .forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates the topic of {@code table} and the connector's dead-letter topic when missing. */
    void createTopics(LakeTable table, int partitions) {
        if (!kafka.topics().contains(table.topic())) {
            kafka.createTopic(table.topic(), partitions);
        }
        String dlq = connectorConfig(table).get("errors.deadletterqueue.topic.name");
        if (!kafka.topics().contains(dlq)) {
            kafka.createTopic(dlq, 1);
        }
    }

    /** Sends {@code records} to {@code topic}, keyed by {@code key}, in the Confluent wire format; waits for acks. */
    <T extends SpecificRecord> void send(String topic, List<T> records, Function<T, String> key) {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(registry.serdeConfig(), false);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"),
                new StringSerializer(),
                (t, v) -> v)) {
            for (T record : records) {
                producer.send(new ProducerRecord<>(topic, key.apply(record), serializer.serialize(topic, record)));
            }
            producer.flush();
        }
    }

    /** The committed rows of {@code table}, read with Iceberg's generic Java reader. */
    List<Record> rows(LakeTable table) {
        Table t = catalog.loadTable(table.identifier());
        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> read = IcebergGenerics.read(t).build()) {
            read.forEach(r -> rows.add(r.copy()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /** Waits until {@code table} holds at least {@code count} committed rows; returns them. */
    List<Record> awaitRows(LakeTable table, int count, Duration atMost) {
        List<List<Record>> last = new ArrayList<>(List.of(List.of()));
        Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            last.set(0, rows(table));
            assertThat(last.get(0)).as("committed rows of " + table.tableName()).hasSizeGreaterThanOrEqualTo(count);
        });
        return last.get(0);
    }

    /** {@code table} read by pyiceberg + pyarrow from the venv the build set up; the JSON its script prints. */
    JsonNode pyiceberg(LakeTable table, String... columns) throws IOException, InterruptedException {
        String python = System.getProperty("chartpulse.lake.python");
        if (python == null || !Files.isExecutable(Path.of(python))) {
            throw new IllegalStateException("No Python virtualenv at " + python
                    + " (system property chartpulse.lake.python): run the tests through Maven's verify,"
                    + " whose pre-integration-test phase creates it");
        }
        ProcessBuilder builder = new ProcessBuilder(
                        python,
                        Path.of("src", "test", "python", "read_table.py").toString(),
                        table.identifier().toString())
                .redirectError(dir.resolve("pyiceberg.err").toFile());
        String sqlite = environment.get("CHARTPULSE_LAKE_CATALOG_URI").substring("jdbc:sqlite:".length());
        builder.environment().put("CATALOG_URI", "sqlite:///" + sqlite);
        builder.environment().put("WAREHOUSE", environment.get("CHARTPULSE_LAKE_WAREHOUSE"));
        builder.environment().put("S3_ENDPOINT", s3.endpoint());
        builder.environment().put("S3_ACCESS_KEY", EmbeddedS3.ACCESS_KEY);
        builder.environment().put("S3_SECRET_KEY", EmbeddedS3.SECRET_KEY);
        builder.environment().put("S3_REGION", EmbeddedS3.REGION);
        builder.environment().put("COLUMNS", String.join(",", columns));
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as(Files.readString(dir.resolve("pyiceberg.err")))
                .isZero();
        return JSON.readTree(new String(out, StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws Exception {
        if (catalog instanceof AutoCloseable closeable) {
            closeable.close();
        }
        s3.close();
        registry.close();
    }
}
