package io.chartpulse.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.chartpulse.embedded.EmbeddedMongo;
import io.chartpulse.embedded.EmbeddedS3;
import io.chartpulse.lake.AvroRows;
import io.chartpulse.lake.LakeCatalog;
import io.chartpulse.lake.LakeTable;
import io.chartpulse.lake.LakeTables;
import io.chartpulse.lake.LakeWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;

/**
 * What the batch tests share: S3Proxy holding the lake, a SQLite JDBC catalog opened from the Iceberg connector's
 * own config (as the CLI opens it), the lake's tables created from their definitions, and mongo-java-server read
 * and written through the official MongoDB driver.
 */
final class BatchStack implements AutoCloseable {

    static final String BUCKET = "chartpulse-lake";
    static final Path CONNECTOR = Path.of("..", "connect-config", "connectors", "iceberg-enriched-events.json");

    final EmbeddedS3 s3;
    final EmbeddedMongo mongoServer;
    final MongoClient mongoClient;
    final MongoDatabase mongo;
    final Catalog catalog;
    final Map<String, String> environment = new LinkedHashMap<>();

    BatchStack(Path dir) {
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
        return RawArchive.open(io.chartpulse.lake.LakeCatalog.resolveAll(
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
