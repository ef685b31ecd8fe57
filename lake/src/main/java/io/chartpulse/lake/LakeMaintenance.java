package io.chartpulse.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ReachableFileUtil;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * Keeps a lake table small and fast while its sink writes: snapshot expiry, compaction of closed partitions and
 * removal of orphan files, each with Iceberg's core API (no Spark).
 *
 * <ul>
 *   <li><b>Expiry</b> drops snapshots older than {@link Settings#snapshotAge} but keeps the newest
 *       {@link Settings#retainLast}; the current snapshot is never expired, so readers never lose the table.
 *   <li><b>Compaction</b> rewrites the data files of each closed partition (a day older than
 *       {@link Settings#closedAfterDays}) into files up to the table's target size, when it has more than one. The
 *       rewrite commits with validation from the snapshot it read: a sink commit that lands meanwhile only appends
 *       (it never removes the files being replaced), so the two commute; a concurrent removal of one of them fails
 *       the rewrite and leaves the table as it was. Partitions with delete files are left alone.
 *   <li><b>Orphans</b> are objects under the table's location that no snapshot, manifest or metadata file refers
 *       to — what a crashed writer leaves — and that are older than {@link Settings#orphanAge}, so a file a sink
 *       wrote but has not committed yet (at most a few commit intervals old) is never taken for one.
 * </ul>
 */
public final class LakeMaintenance {

    /** How far each step goes. */
    public record Settings(
            Duration snapshotAge, int retainLast, int closedAfterDays, Duration orphanAge, boolean dryRun) {

        /** Snapshots kept 5 days (at least 10), partitions closed after 2 days, orphans older than 3 days. */
        public static Settings defaults() {
            return new Settings(Duration.ofDays(5), 10, 2, Duration.ofDays(3), false);
        }
    }

    /** What one run did to one table. */
    public record Report(
            String table,
            int expiredSnapshots,
            int compactedPartitions,
            int filesRewritten,
            int filesWritten,
            int orphansDeleted) {}

    private LakeMaintenance() {}

    /** Runs expiry, compaction and orphan removal on {@code table}, in that order. */
    public static Report maintain(Table table, Settings settings, Instant now) {
        int expired = expireSnapshots(table, settings, now);
        int[] compacted = compactClosedPartitions(table, settings, now);
        int orphans = deleteOrphans(table, settings, now);
        return new Report(table.name(), expired, compacted[0], compacted[1], compacted[2], orphans);
    }

    static int expireSnapshots(Table table, Settings settings, Instant now) {
        table.refresh();
        int before = count(table.snapshots());
        long cutoff = now.minus(settings.snapshotAge()).toEpochMilli();
        if (settings.dryRun()) {
            // Newest first: the last retainLast ones (the current among them) stay whatever their age.
            List<Snapshot> newestFirst = new ArrayList<>();
            table.snapshots().forEach(newestFirst::add);
            newestFirst.sort((a, b) -> Long.compare(b.timestampMillis(), a.timestampMillis()));
            return (int) newestFirst.stream()
                    .skip(settings.retainLast())
                    .filter(snapshot -> snapshot.timestampMillis() < cutoff)
                    .count();
        }
        table.expireSnapshots()
                .expireOlderThan(cutoff)
                .retainLast(settings.retainLast())
                .commit();
        table.refresh();
        return before - count(table.snapshots());
    }

    /** Returns {partitions compacted, files rewritten, files written}. */
    static int[] compactClosedPartitions(Table table, Settings settings, Instant now) {
        table.refresh();
        Snapshot snapshot = table.currentSnapshot();
        if (snapshot == null) {
            return new int[3];
        }
        int lastClosedDay = (int) LocalDate.ofInstant(now, ZoneOffset.UTC)
                .minusDays(settings.closedAfterDays())
                .toEpochDay();
        Map<String, List<DataFile>> byPartition = new LinkedHashMap<>();
        Map<String, StructLike> partitions = new LinkedHashMap<>();
        Set<String> withDeletes = new HashSet<>();
        try (CloseableIterable<FileScanTask> tasks =
                table.newScan().useSnapshot(snapshot.snapshotId()).planFiles()) {
            for (FileScanTask task : tasks) {
                DataFile file = task.file();
                if (file.specId() != table.spec().specId()) {
                    continue;
                }
                Integer day = file.partition().get(0, Integer.class);
                if (day == null || day > lastClosedDay) {
                    continue;
                }
                String key = table.spec().partitionToPath(file.partition());
                byPartition.computeIfAbsent(key, k -> new ArrayList<>()).add(file);
                partitions.putIfAbsent(key, file.partition());
                if (!task.deletes().isEmpty()) {
                    withDeletes.add(key);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int compacted = 0;
        int rewritten = 0;
        int written = 0;
        for (Map.Entry<String, List<DataFile>> partition : byPartition.entrySet()) {
            List<DataFile> files = partition.getValue();
            if (files.size() < 2 || withDeletes.contains(partition.getKey())) {
                continue;
            }
            if (!settings.dryRun()) {
                List<DataFile> replacements =
                        rewrite(table, files, partitions.get(partition.getKey()), compacted, "compaction", row -> true);
                RewriteFiles rewrite = table.newRewrite().validateFromSnapshot(snapshot.snapshotId());
                files.forEach(rewrite::deleteFile);
                replacements.forEach(rewrite::addFile);
                rewrite.commit();
                written += replacements.size();
            }
            compacted++;
            rewritten += files.size();
        }
        return new int[] {compacted, rewritten, written};
    }

    /**
     * Writes the rows of {@code files} (all of one partition) that {@code keep} accepts into new data files of that
     * partition, at most the table's target size each; nothing is committed. No file when no row is kept.
     */
    static List<DataFile> rewrite(
            Table table,
            List<DataFile> files,
            StructLike partition,
            int taskId,
            String operation,
            Predicate<Record> keep) {
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                .dataFileFormat(FileFormat.PARQUET)
                .build();
        OutputFileFactory outputs = OutputFileFactory.builderFor(table, 0, taskId)
                .format(FileFormat.PARQUET)
                .operationId(operation + "-" + System.currentTimeMillis())
                .build();
        long target = Long.parseLong(table.properties()
                .getOrDefault("write.target-file-size-bytes", String.valueOf(LakeTable.TARGET_FILE_BYTES)));
        List<DataFile> out = new ArrayList<>();
        DataWriter<Record> writer = null;
        try {
            for (DataFile file : files) {
                try (CloseableIterable<Record> records = FormatModelRegistry.<Record, Schema>readBuilder(
                                FileFormat.PARQUET, Record.class, table.io().newInputFile(file.location()))
                        .project(table.schema())
                        .build()) {
                    for (Record record : records) {
                        if (!keep.test(record)) {
                            continue;
                        }
                        if (writer == null) {
                            writer = writers.newDataWriter(
                                    outputs.newOutputFile(table.spec(), partition), table.spec(), partition);
                        }
                        writer.write(record);
                        if (writer.length() >= target) {
                            writer.close();
                            out.add(writer.toDataFile());
                            writer = null;
                        }
                    }
                }
            }
            if (writer != null) {
                writer.close();
                out.add(writer.toDataFile());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(operation + " of " + table.name() + " " + partition, e);
        }
        return out;
    }

    static int deleteOrphans(Table table, Settings settings, Instant now) {
        if (!(table.io() instanceof SupportsPrefixOperations prefixes)) {
            return 0;
        }
        table.refresh();
        Set<String> reachable = reachableFiles(table);
        long cutoff = now.minus(settings.orphanAge()).toEpochMilli();
        int deleted = 0;
        for (FileInfo file : prefixes.listPrefix(table.location())) {
            if (!reachable.contains(file.location()) && file.createdAtMillis() < cutoff) {
                if (!settings.dryRun()) {
                    table.io().deleteFile(file.location());
                }
                deleted++;
            }
        }
        return deleted;
    }

    /** Every file a reader of any retained snapshot may open, and the table's metadata files. */
    static Set<String> reachableFiles(Table table) {
        Set<String> reachable = new HashSet<>(ReachableFileUtil.metadataFileLocations(table, true));
        reachable.addAll(ReachableFileUtil.manifestListLocations(table));
        reachable.addAll(ReachableFileUtil.statisticsFilesLocations(table));
        Set<String> manifestsSeen = new HashSet<>();
        for (Snapshot snapshot : table.snapshots()) {
            for (ManifestFile manifest : snapshot.allManifests(table.io())) {
                if (!manifestsSeen.add(manifest.path())) {
                    continue;
                }
                reachable.add(manifest.path());
                try {
                    if (manifest.content() == ManifestContent.DATA) {
                        try (CloseableIterable<String> paths =
                                ManifestFiles.readPaths(manifest, table.io(), table.specs())) {
                            paths.forEach(reachable::add);
                        }
                    } else {
                        try (var deletes = ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
                            deletes.forEach(d -> reachable.add(d.location()));
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return reachable;
    }

    private static int count(Iterable<?> items) {
        int n = 0;
        for (Object ignored : items) {
            n++;
        }
        return n;
    }
}
