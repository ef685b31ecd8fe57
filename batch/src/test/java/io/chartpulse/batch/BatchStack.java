package io.chartpulse.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.embedded.EmbeddedMongo;
import io.chartpulse.embedded.EmbeddedS3;
import io.chartpulse.lake.AvroRows;
import io.chartpulse.lake.LakeCatalog;
import io.chartpulse.lake.LakeTable;
import io.chartpulse.lake.LakeTables;
import io.chartpulse.lake.LakeWriter;
import io.chartpulse.schemas.ChartPulseSchema;
import io.chartpulse.serde.registry.RegistryClientSettings;
import io.chartpulse.serde.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.bson.Document;

/**
 * What the batch tests share: S3Proxy holding the lake, a SQLite JDBC catalog opened from the Iceberg connector's
 * own config (as the CLI opens it), the lake's tables created from their definitions, and mongo-java-server read
 * and written through the official MongoDB driver.
 */
public final class BatchStack implements AutoCloseable {

    static final String BUCKET = "chartpulse-lake";
    static final Path CONNECTOR = Path.of("..", "connect-config", "connectors", "iceberg-enriched-events.json");

    final EmbeddedS3 s3;
    final EmbeddedMongo mongoServer;
    final MongoClient mongoClient;
    final MongoDatabase mongo;
    final Catalog catalog;
    final Map<String, String> environment = new LinkedHashMap<>();

    BatchStack(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        s3 = EmbeddedS3.start(0, null);
        s3.createBucket(BUCKET);
        mongoServer = EmbeddedMongo.start(0, null);
        mongoClient = MongoClients.create(mongoServer.uri());
        mongo = mongoClient.getDatabase("chartpulse");
        environment.put("CHARTPULSE_LAKE_CATALOG_TYPE", "jdbc");
        environment.put(
                "CHARTPULSE_LAKE_CATALOG_URI",
                "jdbc:sqlite:" + dir.resolve("catalog.db").toAbsolutePath());
        environment.put("CHARTPULSE_LAKE_CATALOG_USER", "");
        environment.put("CHARTPULSE_LAKE_CATALOG_PASSWORD", "");
        environment.put("CHARTPULSE_LAKE_WAREHOUSE", "s3://" + BUCKET + "/warehouse");
        environment.put("CHARTPULSE_S3_BUCKET", BUCKET);
        environment.put("CHARTPULSE_S3_REGION", EmbeddedS3.REGION);
        environment.put("CHARTPULSE_S3_ENDPOINT", s3.endpoint());
        environment.put("CHARTPULSE_S3_PATH_STYLE", "true");
        environment.put("CHARTPULSE_S3_ACCESS_KEY", EmbeddedS3.ACCESS_KEY);
        environment.put("CHARTPULSE_S3_SECRET_KEY", EmbeddedS3.SECRET_KEY);
        environment.put("CHARTPULSE_MONGO_URI", mongoServer.uri());
        environment.put("CHARTPULSE_MONGO_DATABASE", "chartpulse");
        // The archive connector's other placeholders (not used by the batch jobs, resolved all the same).
        environment.put("CHARTPULSE_REGISTRY_URL", "http://127.0.0.1:1");
        environment.put("CHARTPULSE_REPLICATION_FACTOR", "1");
        environment.put("CHARTPULSE_S3_ROTATE_SCHEDULE_MS", "10000");
        Map<String, String> config = connectorConfig();
        catalog = LakeCatalog.open(
                LakeCatalog.catalogName(config), LakeCatalog.catalogProperties(config, environment::get));
        LakeTables.ensure(catalog);
    }

    static Map<String, String> connectorConfig() {
        return connectorConfig(CONNECTOR);
    }

    /** The archive as the batch jobs open it: from the S3 sink connector's config, resolved here. */
    RawArchive archive() {
        return RawArchive.open(LakeCatalog.resolveAll(
                connectorConfig(Path.of("..", "connect-config", "connectors", "s3-raw-events.json")),
                environment::get));
    }

    static Map<String, String> connectorConfig(Path path) {
        try {
            JsonNode file = new ObjectMapper().readTree(path.toFile());
            Map<String, String> config = new LinkedHashMap<>();
            file.path("config")
                    .fields()
                    .forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Registers every ChartPulse schema in the registry at {@code url}, as the dev stack and the deployments do. */
    static void registerSchemas(String url) {
        SchemaRegistryClient client = new SchemaRegistryClient(RegistryClientSettings.of(url));
        for (ChartPulseSchema schema : ChartPulseSchema.values()) {
            client.register(schema.valueSubject(), schema.schema());
        }
    }

    /** Appends {@code records} to {@code table} in one commit, as a sink commit would. */
    void append(LakeTable lakeTable, List<? extends SpecificRecord> records) {
        Table table = catalog.loadTable(lakeTable.identifier());
        List<Record> rows = new ArrayList<>(records.size());
        for (SpecificRecord r : records) {
            rows.add(AvroRows.toRow(r, table.schema().asStruct()));
        }
        var append = table.newAppend();
        LakeWriter.write(table, rows).forEach(append::appendFile);
        append.commit();
    }

    /** Writes {@code events} as one zstd Avro container file at {@code key}, as the S3 sink writes the archive. */
    void putArchive(String key, List<ChartEvent> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataFileWriter<ChartEvent> w = new DataFileWriter<>(new SpecificDatumWriter<>(ChartEvent.class))) {
            w.setCodec(CodecFactory.zstandardCodec(3));
            w.create(ChartEvent.getClassSchema(), out);
            for (ChartEvent e : events) {
                w.append(e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        s3.client()
                .putObject(
                        b -> b.bucket(BUCKET).key(key),
                        software.amazon.awssdk.core.sync.RequestBody.fromBytes(out.toByteArray()));
    }

    /** The key the S3 sink gives an archive file of {@code hour} (partition {@code n}, a start offset from the hour). */
    static String archiveKey(Instant hour, int n) {
        return "raw/chart.events.raw.v1/" + HOUR_PATH.format(hour) + "/chart.events.raw.v1+" + n + "+"
                + String.format("%020d", hour.getEpochSecond()) + ".avro";
    }

    static final DateTimeFormatter HOUR_PATH =
            DateTimeFormatter.ofPattern("'dt'=yyyy-MM-dd/'hr'=HH").withZone(ZoneOffset.UTC);

    /**
     * Puts {@code data} everywhere the live path would have: its raw events in the archive (one file per hour, at
     * the sink's keys), its enriched events and sessions in the lake, its events in MongoDB {@code events} (by
     * event id, as the MongoDB sink upserts them).
     */
    void seed(Dataset data) {
        Map<Instant, List<ChartEvent>> byHour = new TreeMap<>();
        for (EnrichedEvent e : data.events) {
            byHour.computeIfAbsent(e.getReceivedAt().truncatedTo(ChronoUnit.HOURS), h -> new ArrayList<>())
                    .add(Dataset.raw(e));
        }
        byHour.forEach((hour, events) -> putArchive(archiveKey(hour, 0), events));
        append(LakeTable.ENRICHED_EVENTS, data.events);
        append(LakeTable.SESSIONS, data.sessions);
        List<Document> docs = new ArrayList<>();
        for (EnrichedEvent e : data.events) {
            docs.add(new Document("_id", new Document("event_id", e.getEventId().toString()))
                    .append("event_id", e.getEventId().toString())
                    .append("event_type", e.getEventType().name())
                    .append("received_at", Date.from(e.getReceivedAt()))
                    .append("derived_at", Date.from(e.getDerivedAt())));
        }
        mongo.getCollection("events").insertMany(docs);
    }

    @Override
    public void close() {
        if (catalog instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // the SQLite pool
            }
        }
        mongoClient.close();
        mongoServer.close();
        s3.close();
    }
}
