package io.chartpulse.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.junit.KafkaExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Table maintenance on a real JDBC catalog and S3Proxy: compaction, snapshot expiry and orphan removal. */
@ExtendWith(KafkaExtension.class)
class LakeMaintenanceIT {

    /** Noon of the day the test runs: its partition is the open one, whatever the date. */
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(12));

    static final String TODAY = "window_start_day=" + LocalDate.ofInstant(NOW, ZoneOffset.UTC);

    @TempDir
    static Path dir;

    static LakeStack stack;

    @BeforeAll
    static void start(EmbeddedKafka kafka) {
        stack = new LakeStack(kafka, dir, Duration.ofSeconds(3));
        LakeTables.ensure(stack.catalog);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    static int taskIds = 100;

    /** Writes one data file of {@code rows} metric rows in the window starting at {@code window}; commits it or not. */
    static DataFile write(Table table, Instant window, int rows, boolean commit) throws IOException {
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                .dataFileFormat(FileFormat.PARQUET)
                .build();
        OutputFileFactory outputs = OutputFileFactory.builderFor(table, 1, taskIds++)
                .format(FileFormat.PARQUET)
                .build();
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            Record r = GenericRecord.create(table.schema());
            r.setField("chart_id", "chart-" + taskIds);
            r.setField("product_id", "p-" + i);
            r.setField("window_start", OffsetDateTime.ofInstant(window, ZoneOffset.UTC));
            r.setField("window_end", OffsetDateTime.ofInstant(window.plusSeconds(60), ZoneOffset.UTC));
            r.setField("impressions", 10L + i);
            r.setField("clicks", (long) i);
            r.setField("outbound_clicks", 0L);
            r.setField("ctr", i / (10.0 + i));
            r.setField("unique_visitors", 3L);
            records.add(r);
        }
        PartitionKey partition = new PartitionKey(table.spec(), table.schema());
        partition.partition(new InternalRecordWrapper(table.schema().asStruct()).wrap(records.get(0)));
        DataWriter<Record> writer =
                writers.newDataWriter(outputs.newOutputFile(table.spec(), partition), table.spec(), partition);
        records.forEach(writer::write);
        writer.close();
        DataFile file = writer.toDataFile();
        if (commit) {
            table.newAppend().appendFile(file).commit();
        }
        return file;
    }

    static Map<String, Integer> filesByPartition(Table table) throws IOException {
        table.refresh();
        Map<String, Integer> files = new HashMap<>();
        try (var tasks = table.newScan().planFiles()) {
            tasks.forEach(t -> files.merge(table.spec().partitionToPath(t.file().partition()), 1, Integer::sum));
        }
        return files;
    }

    static List<String> rows(Table table) {
        return stack.rows(LakeTable.CHART_METRICS_MINUTE).stream()
                .map(r -> r.getField("chart_id") + "/" + r.getField("product_id") + "/" + r.getField("window_start")
                        + "/" + r.getField("impressions"))
                .sorted()
                .toList();
    }

    @Test
    void compactsClosedPartitionsExpiresSnapshotsAndRemovesOrphansWithoutChangingRows() throws IOException {
        Table table = stack.catalog.loadTable(LakeTable.CHART_METRICS_MINUTE.identifier());
        Instant closedDay = Instant.parse("2026-11-20T08:00:00Z");
        for (int i = 0; i < 4; i++) {
            write(table, closedDay.plusSeconds(60L * i), 5, true);
        }
        write(table, NOW.minusSeconds(600), 5, true);
        write(table, NOW.minusSeconds(300), 5, true);
        DataFile orphan = write(table, NOW, 5, false); // a crashed writer's file, never committed
        List<String> before = rows(table);
        assertThat(filesByPartition(table))
                .containsEntry("window_start_day=2026-11-20", 4)
                .containsEntry(TODAY, 2);

        LakeMaintenance.Settings settings =
                new LakeMaintenance.Settings(Duration.ZERO, 1, 2, Duration.ofMinutes(-1), false);
        LakeMaintenance.Report report = LakeMaintenance.maintain(table, settings, Instant.now());

        assertThat(report.expiredSnapshots()).as(report.toString()).isEqualTo(5);
        assertThat(report.compactedPartitions()).isEqualTo(1);
        assertThat(report.filesRewritten()).isEqualTo(4);
        assertThat(report.filesWritten()).isEqualTo(1);
        assertThat(report.orphansDeleted()).isEqualTo(1);
        assertThat(rows(table)).as("the same rows, once each").isEqualTo(before);
        assertThat(filesByPartition(table))
                .containsEntry("window_start_day=2026-11-20", 1)
                .as("today's partition is open: not compacted")
                .containsEntry(TODAY, 2);
        assertThat(table.io().newInputFile(orphan.location()).exists()).isFalse();

        // A second run expires the snapshot before the rewrite; the files only it held end up deleted (by expiry or,
        // where expiry leaves them, as orphans), so nothing is left under the table that no snapshot reads.
        LakeMaintenance.Report again = LakeMaintenance.maintain(table, settings, Instant.now());
        assertThat(again.compactedPartitions()).isZero();
        table.refresh();
        List<String> stored = new ArrayList<>();
        ((SupportsPrefixOperations) table.io()).listPrefix(table.location()).forEach(f -> stored.add(f.location()));
        assertThat(LakeMaintenance.reachableFiles(table)).containsAll(stored);
        assertThat(rows(table)).isEqualTo(before);
        assertThat(LakeMaintenance.maintain(table, settings, Instant.now()).orphansDeleted())
                .isZero();
    }
}
