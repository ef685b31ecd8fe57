package io.chartpulse.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * Removes rows from a lake table for good, copy-on-write: every data file that holds a matching row is rewritten
 * without it, in one overwrite commit, and then every snapshot older than the table's current one is expired, which
 * deletes the old files (the only place the rows still were) and the table's history before the erasure with them.
 *
 * <p>Copy-on-write rather than Iceberg's delete files: the rows are gone from the files themselves, so no reader has
 * to apply deletes (pyiceberg, DuckDB and Athena all read the table alike) and nothing of the visitor is left for a
 * later compaction to carry along. The cost is rewriting the affected files; a visitor's rows are in few of them
 * (one per day partition and sink task at most). Idempotent: run again, it finds no row and commits nothing, but
 * expires again what an interrupted run left.
 */
public final class LakeErasure {

    /** The snapshot summary property naming the erasure request an overwrite was made for. */
    public static final String REQUEST_PROPERTY = "chartpulse.erasure-request";

    private LakeErasure() {}

    /** What one erasure did to one table. */
    public record Result(String table, long rowsRemoved, int filesRewritten, int snapshotsExpired) {}

    /**
     * Counts the rows matching {@code matches} in the files that {@code filter} (the same condition, for Iceberg's
     * file pruning) may hold, without changing anything.
     */
    public static long count(Table table, Expression filter, Predicate<Record> matches) {
        long n = 0;
        for (DataFile file : candidates(table, filter)) {
            n += countIn(table, file, matches);
        }
        return n;
    }

    /**
     * Rewrites the files holding rows that match, without them, and expires the older snapshots.
     *
     * <p>The files replaced are handed to {@code replacing} before the commit, so that the caller can keep them and
     * {@link #deleteUnreferenced delete} them once no snapshot references them (also after a crash between the commit
     * and the deletion).
     *
     * @param filter the condition as an Iceberg expression, to skip the files that cannot hold a match
     * @param matches the same condition on a row
     * @param requestId recorded in the overwrite's snapshot summary
     */
    public static Result erase(
            Table table,
            Expression filter,
            Predicate<Record> matches,
            String requestId,
            Consumer<List<String>> replacing) {
        // A sink commit that lands between the scan and the overwrite and might hold a matching row fails the
        // overwrite's validation (nothing changed): scan again from the new snapshot.
        for (int attempt = 1; ; attempt++) {
            try {
                return eraseOnce(table, filter, matches, requestId, replacing);
            } catch (ValidationException | CommitFailedException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static final int ATTEMPTS = 5;

    private static Result eraseOnce(
            Table table,
            Expression filter,
            Predicate<Record> matches,
            String requestId,
            Consumer<List<String>> replacing) {
        table.refresh();
        Snapshot base = table.currentSnapshot();
        long removed = 0;
        int rewritten = 0;
        if (base != null) {
            OverwriteFiles overwrite = table.newOverwrite()
                    .validateFromSnapshot(base.snapshotId())
                    .conflictDetectionFilter(filter)
                    .validateNoConflictingData()
                    .validateNoConflictingDeletes()
                    .set(REQUEST_PROPERTY, requestId);
            int task = 0;
            List<String> replaced = new ArrayList<>();
            for (DataFile file : candidates(table, filter)) {
                long here = countIn(table, file, matches);
                if (here == 0) {
                    continue;
                }
                overwrite.deleteFile(file);
                replaced.add(file.location());
                LakeMaintenance.rewrite(table, List.of(file), file.partition(), task++, "erasure", matches.negate())
                        .forEach(overwrite::addFile);
                removed += here;
                rewritten++;
            }
            if (rewritten > 0) {
                replacing.accept(replaced);
                overwrite.commit();
            }
        }
        return new Result(table.name(), removed, rewritten, expireHistory(table));
    }

    /**
     * Deletes those of {@code locations} (data files an erasure replaced) that no snapshot of the table references any
     * more; returns how many. Expiring the snapshots does not always delete the files they alone referenced (Iceberg's
     * incremental cleanup leaves the files replaced by a snapshot that is itself kept), so the erasure deletes them
     * by name. Deleting a file already gone is not an error.
     */
    public static int deleteUnreferenced(Table table, List<String> locations) {
        table.refresh();
        Set<String> reachable = LakeMaintenance.reachableFiles(table);
        int deleted = 0;
        for (String location : locations) {
            if (!reachable.contains(location)) {
                table.io().deleteFile(location);
                deleted++;
            }
        }
        return deleted;
    }

    /**
     * Deletes the data files under the table's location that no snapshot references and that hold a matching row;
     * returns how many. The Iceberg sink leaves such files behind when a rebalance makes a task drop what it had
     * written but not committed (it reads those records again and writes them into new files); {@code lake maintain}
     * deletes them after {@code --orphan-age}, but an erasure cannot wait for that. Call it only once the sink has
     * committed every record from before the request: then an unreferenced file holding the visitor is one of those
     * dropped files, never a file still to be committed (the visitor's new events are suppressed), and a file without
     * a matching row is left alone whatever it is.
     */
    public static int deleteAbandoned(Table table, Predicate<Record> matches) {
        if (!(table.io() instanceof SupportsPrefixOperations prefixes)) {
            return 0;
        }
        table.refresh();
        Set<String> reachable = LakeMaintenance.reachableFiles(table);
        int deleted = 0;
        for (FileInfo file : prefixes.listPrefix(table.location() + "/data/")) {
            String location = file.location();
            if (reachable.contains(location) || !location.endsWith(".parquet")) {
                continue;
            }
            boolean holds = false;
            try (CloseableIterable<Record> rows = FormatModelRegistry.<Record, Schema>readBuilder(
                            FileFormat.PARQUET, Record.class, table.io().newInputFile(location))
                    .project(table.schema())
                    .build()) {
                for (Record row : rows) {
                    if (matches.test(row)) {
                        holds = true;
                        break;
                    }
                }
            } catch (IOException | RuntimeException e) {
                continue; // not a data file of this schema (or gone meanwhile): not ours to judge
            }
            if (holds) {
                table.io().deleteFile(location);
                deleted++;
            }
        }
        return deleted;
    }

    // Every snapshot but the current one: the files only they referenced (the erased rows) are deleted.
    private static int expireHistory(Table table) {
        table.refresh();
        Snapshot current = table.currentSnapshot();
        if (current == null) {
            return 0;
        }
        int before = 0;
        for (Snapshot ignored : table.snapshots()) {
            before++;
        }
        table.expireSnapshots()
                .expireOlderThan(current.timestampMillis())
                .retainLast(1)
                .commit();
        table.refresh();
        int after = 0;
        for (Snapshot ignored : table.snapshots()) {
            after++;
        }
        return before - after;
    }

    private static List<DataFile> candidates(Table table, Expression filter) {
        table.refresh();
        List<DataFile> files = new ArrayList<>();
        if (table.currentSnapshot() == null) {
            return files;
        }
        try (CloseableIterable<FileScanTask> tasks =
                table.newScan().filter(filter).planFiles()) {
            for (FileScanTask task : tasks) {
                if (!task.deletes().isEmpty()) {
                    throw new IllegalStateException(
                            table.name() + ": " + task.file().location()
                                    + " has delete files; ChartPulse's tables never should (copy-on-write only)");
                }
                files.add(task.file());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static long countIn(Table table, DataFile file, Predicate<Record> matches) {
        long n = 0;
        try (CloseableIterable<Record> rows = FormatModelRegistry.<Record, Schema>readBuilder(
                        file.format(), Record.class, table.io().newInputFile(file.location()))
                .project(table.schema())
                .build()) {
            for (Record row : rows) {
                if (matches.test(row)) {
                    n++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file.location(), e);
        }
        return n;
    }
}
