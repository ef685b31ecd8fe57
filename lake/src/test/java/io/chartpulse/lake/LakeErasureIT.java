package io.chartpulse.lake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.junit.KafkaExtension;
import io.chartpulse.schemas.SampleRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LakeErasure} on a real table (S3Proxy, SQLite catalog), checked with pyiceberg + pyarrow: the erased
 * visitor's rows are gone from the table and from every file left under it, the others' rows are the same, the
 * history before the erasure is expired, and a second erasure finds nothing and commits nothing.
 */
@ExtendWith(KafkaExtension.class)
class LakeErasureIT {

    @TempDir
    Path dir;

    @Test
    void aVisitorsRowsAreGoneForEveryReaderAndNobodyElsesChanged(EmbeddedKafka kafka) throws Exception {
        try (LakeStack stack = new LakeStack(kafka, dir, Duration.ofSeconds(3))) {
            LakeTables.ensure(stack.catalog);
            Table table = stack.catalog.loadTable(LakeTable.ENRICHED_EVENTS.identifier());
            // Three commits, so the erased visitor's rows are spread over several files and snapshots.
            for (int commit = 0; commit < 3; commit++) {
                List<Record> rows = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    String visitor = "visitor-" + (i % 3);
                    EnrichedEvent e = EnrichedEvent.newBuilder(SampleRecords.enrichedEvent())
                            .setEventId(new UUID(commit, i))
                            .setAnonymousId(visitor)
                            .setUserId(visitor.equals("visitor-1") ? "u-1" : null)
                            .setDerivedAt(Instant.parse("2026-12-0" + (1 + i % 2) + "T10:00:00Z"))
                            .build();
                    rows.add(AvroRows.toRow(e, table.schema().asStruct()));
                }
                AppendFiles append = table.newAppend();
                LakeWriter.write(table, rows).forEach(append::appendFile);
                append.commit();
            }
            // Two files a sink wrote and then dropped (a rebalance): one holding the visitor, one not.
            List<DataFile> abandonedWith = LakeWriter.write(table, rows(table, 9, "visitor-1"));
            List<DataFile> abandonedWithout = LakeWriter.write(table, rows(table, 8, "visitor-2"));
            table.refresh();
            JsonNode before = stack.pyiceberg(LakeTable.ENRICHED_EVENTS, "event_id", "anonymous_id");
            assertThat(before.path("count").asInt()).isEqualTo(90);

            Set<String> gone = Set.of("visitor-1");
            Predicate<Record> matches = r -> gone.contains(r.getField("anonymous_id"));
            List<String> replaced = new ArrayList<>();
            LakeErasure.Result result = LakeErasure.erase(
                    table, Expressions.in("anonymous_id", gone.toArray()), matches, "request-1", replaced::addAll);
            int deleted = LakeErasure.deleteUnreferenced(table, replaced);
            int abandoned = LakeErasure.deleteAbandoned(table, matches);

            assertThat(result.rowsRemoved()).isEqualTo(30);
            assertThat(result.filesRewritten()).isEqualTo(replaced.size()).isPositive();
            assertThat(deleted).isEqualTo(replaced.size());
            table.refresh();
            assertThat(table.snapshots()).as("the history before the erasure").hasSize(1);
            assertThat(table.currentSnapshot().summary()).containsEntry(LakeErasure.REQUEST_PROPERTY, "request-1");

            // pyiceberg reads the table without the visitor, and everybody else's rows as they were.
            JsonNode after = stack.pyiceberg(LakeTable.ENRICHED_EVENTS, "event_id", "anonymous_id");
            assertThat(byEvent(after)).isEqualTo(withoutVisitor(byEvent(before), "visitor-1"));
            // No file left under the table holds a row of theirs, referenced or not.
            for (String file : replaced) {
                assertThat(table.io().newInputFile(file).exists()).as(file).isFalse();
            }
            assertThat(LakeMaintenance.reachableFiles(table)).doesNotContainAnyElementsOf(replaced);
            assertThat(abandoned).isEqualTo(abandonedWith.size());
            abandonedWith.forEach(
                    f -> assertThat(table.io().newInputFile(f.location()).exists())
                            .as("an abandoned file holding the visitor")
                            .isFalse());
            abandonedWithout.forEach(
                    f -> assertThat(table.io().newInputFile(f.location()).exists())
                            .as("an unreferenced file without them is not the erasure's business")
                            .isTrue());

            // Again: nothing to find, nothing committed.
            LakeErasure.Result again = LakeErasure.erase(
                    table, Expressions.in("anonymous_id", gone.toArray()), matches, "request-1", replaced::addAll);
            assertThat(again.rowsRemoved()).isZero();
            assertThat(again.filesRewritten()).isZero();
            table.refresh();
            assertThat(table.snapshots()).hasSize(1);
        }
    }

    private static List<Record> rows(Table table, int commit, String visitor) {
        List<Record> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            EnrichedEvent e = EnrichedEvent.newBuilder(SampleRecords.enrichedEvent())
                    .setEventId(new UUID(commit, i))
                    .setAnonymousId(visitor)
                    .setDerivedAt(Instant.parse("2026-12-01T10:00:00Z"))
                    .build();
            rows.add(AvroRows.toRow(e, table.schema().asStruct()));
        }
        return rows;
    }

    private static TreeMap<String, String> byEvent(JsonNode read) {
        TreeMap<String, String> out = new TreeMap<>();
        read.path("rows")
                .forEach(r -> out.put(
                        r.path("event_id").asText(), r.path("anonymous_id").asText()));
        return out;
    }

    private static TreeMap<String, String> withoutVisitor(TreeMap<String, String> rows, String visitor) {
        TreeMap<String, String> out = new TreeMap<>(rows);
        out.values().removeIf(visitor::equals);
        assertThat(out).hasSizeLessThan(rows.size());
        return out;
    }
}
