package io.chartpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chartpulse.avro.Chart;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.EventType;
import io.chartpulse.cli.common.ExitCode;
import io.chartpulse.cli.lake.LakeCommand;
import io.chartpulse.cli.lake.LakeQuery;
import io.chartpulse.embedded.EmbeddedS3;
import io.chartpulse.lake.AvroRows;
import io.chartpulse.lake.LakeCatalog;
import io.chartpulse.lake.LakeTable;
import io.chartpulse.lake.LakeTables;
import io.chartpulse.lake.LakeWriter;
import io.chartpulse.schemas.SampleRecords;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileMetadata;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code chartpulse lake query}: DuckDB over local copies of the current snapshot's data files, against a real
 * SQLite JDBC catalog and S3Proxy, checked against the rows written with Iceberg's own writer.
 */
class LakeQueryIT {

    static final Instant BASE = Instant.parse("2026-12-01T23:00:00Z");

    Path dir;
    EmbeddedS3 s3;
    Catalog catalog;
    Path connectorConfig;
    Path cache;

    /** A lake for a test: S3Proxy, a SQLite catalog and the shipped connector config with its variables filled in. */
    record TestLake(EmbeddedS3 s3, Catalog catalog, Path connectorConfig) {

        static TestLake start(Path dir) throws IOException {
            EmbeddedS3 s3 = EmbeddedS3.start(0, null);
            s3.createBucket("chartpulse-lake");
            Map<String, String> env = Map.of(
                    "CHARTPULSE_REGISTRY_URL", "http://127.0.0.1:1",
                    "CHARTPULSE_REPLICATION_FACTOR", "1",
                    "CHARTPULSE_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1",
                    "CHARTPULSE_LAKE_COMMIT_INTERVAL_MS", "60000",
                    "CHARTPULSE_LAKE_COMMIT_TIMEOUT_MS", "30000",
                    "CHARTPULSE_LAKE_CATALOG_TYPE", "jdbc",
                    "CHARTPULSE_LAKE_CATALOG_URI",
                            "jdbc:sqlite:" + dir.resolve("catalog.db").toAbsolutePath(),
                    "CHARTPULSE_LAKE_CATALOG_USER", "",
                    "CHARTPULSE_LAKE_CATALOG_PASSWORD", "",
                    "CHARTPULSE_LAKE_WAREHOUSE", "s3://chartpulse-lake/warehouse");
            Map<String, String> all = new LinkedHashMap<>(env);
            all.put("CHARTPULSE_S3_REGION", EmbeddedS3.REGION);
            all.put("CHARTPULSE_S3_ENDPOINT", s3.endpoint());
            all.put("CHARTPULSE_S3_PATH_STYLE", "true");
            all.put("CHARTPULSE_S3_ACCESS_KEY", EmbeddedS3.ACCESS_KEY);
            all.put("CHARTPULSE_S3_SECRET_KEY", EmbeddedS3.SECRET_KEY);
            // The shipped connector config with its variables filled in: what the commands read their catalog from.
            Path shipped = Path.of("..").resolve(LakeCommand.DEFAULT_CONNECTOR_CONFIG);
            ObjectMapper json = new ObjectMapper();
            Map<String, Object> file = json.readValue(shipped.toFile(), Map.class);
            @SuppressWarnings("unchecked")
            Map<String, String> config = (Map<String, String>) file.get("config");
            file.put("config", LakeCatalog.resolveAll(config, all::get));
            Path connectorConfig = dir.resolve("iceberg-enriched-events.json");
            json.writeValue(connectorConfig.toFile(), file);
            Catalog catalog = LakeCommand.openCatalog(connectorConfig, name -> null);
            LakeTables.ensure(catalog);
            return new TestLake(s3, catalog, connectorConfig);
        }

        /** Appends {@code events} to enriched_events with Iceberg's own writer, one commit. */
        void append(List<EnrichedEvent> events) {
            Table table = catalog.loadTable(LakeTable.ENRICHED_EVENTS.identifier());
            AppendFiles append = table.newAppend();
            LakeWriter.write(table, rows(table, events)).forEach(append::appendFile);
            append.commit();
        }
    }

    @BeforeEach
    void start() throws Exception {
        dir = Files.createDirectories(Path.of("target", "lake-query-it", "run-" + System.nanoTime()));
        cache = dir.resolve("cache");
        TestLake lake = TestLake.start(dir);
        s3 = lake.s3();
        catalog = lake.catalog();
        connectorConfig = lake.connectorConfig();
    }

    @AfterEach
    void stop() throws Exception {
        if (catalog instanceof AutoCloseable closeable) {
            closeable.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    /** {@code count} events from index {@code from}: three types in turn, 10 charts; even ones before midnight UTC, odd after. */
    static List<EnrichedEvent> events(int from, int count) {
        EventType[] types = {EventType.PRODUCT_IMPRESSION, EventType.PRODUCT_CLICK, EventType.OUTBOUND_CLICK};
        EnrichedEvent sample = SampleRecords.enrichedEvent();
        List<EnrichedEvent> events = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            events.add(EnrichedEvent.newBuilder(sample)
                    .setEventId(new UUID(7, i))
                    .setEventType(types[i % 3])
                    .setChart(Chart.newBuilder(sample.getChart())
                            .setChartId("chart-" + (i % 10))
                            .build())
                    .setDerivedAt(BASE.plusSeconds((i % 2) * 3600L + i))
                    .build());
        }
        return events;
    }

    static List<Record> rows(Table table, List<EnrichedEvent> events) {
        return events.stream()
                .map(e -> AvroRows.toRow(e, table.schema().asStruct()))
                .toList();
    }

    Table enriched() {
        return catalog.loadTable(LakeTable.ENRICHED_EVENTS.identifier());
    }

    void append(List<EnrichedEvent> events) {
        new TestLake(s3, catalog, connectorConfig).append(events);
    }

    /** The data files of enriched_events' current snapshot, as Iceberg plans them. */
    long dataFiles() {
        try (var tasks = enriched().newScan().planFiles()) {
            long n = 0;
            for (var ignored : tasks) {
                n++;
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Run(int exit, String out, String err) {}

    Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of("lake", "query"));
        all.addAll(List.of("--connector-config", connectorConfig.toString(), "--cache-dir", cache.toString()));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var commandLine = ChartPulseCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void withTheStorageDownEveryLakeCommandSaysSoAtOnceInOneLine() {
        String endpoint = s3.endpoint();
        s3.close();
        s3 = null;
        String config = connectorConfig.toString();
        for (String[] command : List.of(
                new String[] {"lake", "query", "--connector-config", config, "--cache-dir", cache.toString(), "SELECT 1"
                },
                new String[] {"lake", "tables", "--connector-config", config},
                new String[] {"lake", "maintain", "--dry-run", "--connector-config", config})) {
            long started = System.nanoTime();
            Run run = run(command);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            // Without the probe each of these sat through the sinks' S3 and Iceberg retries: about ten minutes.
            assertThat(seconds).as(String.join(" ", command)).isLessThan(15);
            assertThat(run.exit()).as(run.err()).isEqualTo(ExitCode.UNREACHABLE);
            assertThat(run.err().strip())
                    .startsWith("chartpulse: The lake's storage does not answer at " + endpoint)
                    .contains("s3://chartpulse-lake/warehouse")
                    .doesNotContain("\n");
            assertThat(run.err().strip().lines()).hasSize(1);
            assertThat(run.out()).isEmpty();
        }
    }

    @Test
    void answersFromTheCurrentSnapshotAndCopiesEachFileOnce() throws Exception {
        List<EnrichedEvent> sent = events(0, 600);
        append(sent.subList(0, 300));
        append(sent.subList(300, 600));
        Map<String, Long> byType = new TreeMap<>();
        sent.forEach(e -> byType.merge(e.getEventType().name(), 1L, Long::sum));

        try (LakeQuery query = LakeQuery.open(catalog, LakeTable.NAMESPACE, cache)) {
            LakeQuery.View view = query.views().stream()
                    .filter(v -> v.table().equals(LakeTable.ENRICHED_EVENTS.identifier()))
                    .findFirst()
                    .orElseThrow();
            // Two appends over two days and three types: a file per (append, day, type), all copied by this first open.
            assertThat(view.files()).isEqualTo(dataFiles()).isEqualTo(2 * 2 * 3);
            assertThat(view.copied()).isEqualTo(view.files());

            LakeQuery.Answer types =
                    query.query("SELECT event_type, count(*) AS n FROM enriched_events GROUP BY 1 ORDER BY 1", 100);
            assertThat(types.columns()).containsExactly("event_type", "n");
            Map<String, Long> counted = new TreeMap<>();
            types.rows().forEach(r -> counted.put((String) r.get(0), ((Number) r.get(1)).longValue()));
            assertThat(counted).isEqualTo(byType);

            // Structs, timestamps with their zone, qualified names, and the partition directories not taken for
            // columns.
            LakeQuery.Answer first = query.query(
                    "SELECT chart.chart_id, min(derived_at)::VARCHAR, count(DISTINCT event_id)"
                            + " FROM chartpulse.enriched_events WHERE chart.chart_id = 'chart-3' GROUP BY 1",
                    100);
            Instant earliest = sent.stream()
                    .filter(e -> e.getChart().getChartId().equals("chart-3"))
                    .map(EnrichedEvent::getDerivedAt)
                    .min(Instant::compareTo)
                    .orElseThrow();
            assertThat(first.rows())
                    .containsExactly(List.of(
                            "chart-3", earliest.toString().replace("T", " ").replace("Z", "+00"), 60L));
            assertThat(query.query("DESCRIBE enriched_events", 500).rows())
                    .extracting(r -> (String) r.get(0))
                    .doesNotContain("derived_at_day")
                    .contains("event_id", "derived_at", "chart", "product");

            // An empty table still has its columns.
            LakeQuery.Answer sessions = query.query("SELECT session_id, start_at FROM sessions", 100);
            assertThat(sessions.columns()).containsExactly("session_id", "start_at");
            assertThat(sessions.rows()).isEmpty();

            LakeQuery.Answer some = query.query("SELECT event_id FROM enriched_events", 7);
            assertThat(some.rows()).hasSize(7);
            assertThat(some.truncated()).isTrue();
        }

        try (LakeQuery again = LakeQuery.open(catalog, LakeTable.NAMESPACE, cache)) {
            assertThat(again.views()).allSatisfy(v -> assertThat(v.copied()).isZero());
        }
    }

    @Test
    void anOverwriteReplacesTheCopiesAndTheAnswer() throws Exception {
        append(events(0, 300));
        try (LakeQuery query = LakeQuery.open(catalog, LakeTable.NAMESPACE, cache)) {
            assertThat(query.query("SELECT count(*) FROM enriched_events", 1).rows())
                    .containsExactly(List.of(300L));
        }
        Table table = enriched();
        List<DataFile> replacement = LakeWriter.write(table, rows(table, events(1000, 30)));
        LakeWriter.overwrite(table, Expressions.alwaysTrue(), replacement, "test");

        try (LakeQuery query = LakeQuery.open(catalog, LakeTable.NAMESPACE, cache)) {
            assertThat(query.query("SELECT count(*), min(event_id) FROM enriched_events", 1)
                            .rows())
                    .containsExactly(List.of(30L, new UUID(7, 1000).toString()));
        }
        try (Stream<Path> copies =
                Files.walk(cache.resolve(LakeTable.ENRICHED_EVENTS.identifier().toString()))) {
            assertThat(copies.filter(Files::isRegularFile).count())
                    .as("the copies of the replaced files are gone")
                    .isEqualTo(replacement.size());
        }
    }

    @Test
    void aTableWithDeleteFilesIsRefusedNotShownWithDeletedRows() {
        append(events(0, 30));
        Table table = enriched();
        DataFile data =
                table.currentSnapshot().addedDataFiles(table.io()).iterator().next();
        table.newRowDelta()
                .addDeletes(FileMetadata.deleteFileBuilder(table.spec())
                        .ofPositionDeletes()
                        .withFormat(FileFormat.PARQUET)
                        .withPath(table.location() + "/data/deletes-1.parquet")
                        .withFileSizeInBytes(100)
                        .withRecordCount(1)
                        .withPartition(data.partition())
                        .build())
                .commit();

        assertThatThrownBy(() -> LakeQuery.open(catalog, LakeTable.NAMESPACE, cache))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("chartpulse.enriched_events has row-level delete files");
        Run run = cli("SELECT 1");
        assertThat(run.exit()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(run.err()).contains("row-level delete files", "pyiceberg").doesNotContain("Exception");
    }

    @Test
    void theCommandPrintsTablesCsvAndJsonAndExplainsBadSql() {
        append(events(0, 90));

        Run table = cli("SELECT event_type, count(*) AS n FROM enriched_events GROUP BY 1 ORDER BY 1");
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out())
                .startsWith("event_type          n\n------------------  --\n")
                .contains("OUTBOUND_CLICK      30\n", "PRODUCT_IMPRESSION  30\n")
                .contains("(3 rows; " + dataFiles() + " data files, " + dataFiles() + " copied now)");

        Run csv = cli("--format", "csv", "SELECT 'a,b' AS x, NULL AS y, 2 AS z");
        assertThat(csv.out()).isEqualTo("x,y,z\r\n\"a,b\",,2\r\n");

        Run json = cli(
                "--format",
                "json",
                "SELECT count(*) AS n, bool_or(is_bot) AS bot, any_value(chart.chart_id) AS c"
                        + " FROM enriched_events WHERE chart.chart_id = 'chart-1'");
        assertThat(json.out()).isEqualTo("{\"n\":9,\"bot\":true,\"c\":\"chart-1\"}\n");

        Run bad = cli("SELECT nope FROM enriched_evnts");
        assertThat(bad.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(bad.err()).contains("The query failed", "enriched_evnts").doesNotContain("\tat ");

        Run noRows = cli("--max-rows", "0", "SELECT 1");
        assertThat(noRows.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(noRows.err()).contains("--max-rows must be at least 1");
    }
}
