package io.chartpulse.batch;

import io.chartpulse.lake.LakeTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;

/**
 * {@code chartpulse batch ready}: whether an interval is closed, so that a scheduler runs its rollup and
 * reconciliation only once its data is in. An interval {@code [start, end)} is closed when, with {@code due = end +
 * lookback} (the time late events are given to arrive, 6 h by default as in Snowplow's models):
 *
 * <ol>
 *   <li>the clock has passed {@code due};
 *   <li>the <b>lake's watermark</b> — the newest {@code received_at} in the committed snapshot of
 *       {@code enriched_events}, from the data files' column bounds — has passed {@code due}; or, when quiet
 *       intervals are allowed, the streams app and the Iceberg sink have consumed everything there is;
 *   <li>the <b>archive</b> has: on every partition of the raw topic, the S3 sink's committed offset is at the end,
 *       or the first record it has not committed was stamped at or after {@code due}.
 * </ol>
 *
 * Each reason it is not closed yet is reported, so a sensor's log says what it waits for.
 */
public final class Readiness {

    /** The lookback when none is configured. */
    public static final Duration DEFAULT_LOOKBACK = Duration.ofHours(6);

    /** The groups and topics whose progress tells the interval's data is in. */
    public record Groups(
            String rawTopic, String archiveGroup, String streamsGroup, String enrichedTopic, String lakeGroup) {}

    /** The answer. */
    public record Verdict(
            Interval interval, boolean closed, Instant due, Instant lakeWatermark, List<String> waitingFor) {}

    private final Catalog catalog;
    private final KafkaState kafka;
    private final Groups groups;
    private final Duration lookback;
    private final boolean allowQuiet;
    private final Clock clock;

    public Readiness(
            Catalog catalog, KafkaState kafka, Groups groups, Duration lookback, boolean allowQuiet, Clock clock) {
        this.catalog = catalog;
        this.kafka = kafka;
        this.groups = groups;
        this.lookback = lookback;
        this.allowQuiet = allowQuiet;
        this.clock = clock;
    }

    /** Whether {@code interval} is closed, and if not, why. */
    public Verdict check(Interval interval) {
        Instant due = interval.end().plus(lookback);
        List<String> waiting = new ArrayList<>();
        Instant now = clock.instant();
        if (now.isBefore(due)) {
            waiting.add("the lookback: it is " + now + ", the interval is due at " + due);
        }
        Instant watermark = lakeWatermark(interval.start());
        if (watermark == null || watermark.isBefore(due)) {
            boolean quiet = allowQuiet
                    && caughtUp(groups.streamsGroup(), groups.rawTopic())
                    && caughtUp(groups.lakeGroup(), groups.enrichedTopic());
            if (!quiet) {
                waiting.add("the lake: enriched_events' newest received_at is " + watermark + ", before " + due
                        + (allowQuiet ? " (and the streams app or the Iceberg sink has not caught up)" : ""));
            }
        }
        for (KafkaState.Progress p : kafka.progress(groups.archiveGroup(), groups.rawTopic())) {
            if (!p.caughtUp() && (p.nextTimestamp() == null || p.nextTimestamp().isBefore(due))) {
                waiting.add("the archive: " + groups.archiveGroup() + " has committed " + p.partition() + " up to "
                        + p.committed() + " of " + p.end() + ", the next record stamped " + p.nextTimestamp());
            }
        }
        return new Verdict(interval, waiting.isEmpty(), due, watermark, waiting);
    }

    private boolean caughtUp(String group, String topic) {
        return kafka.progress(group, topic).stream().allMatch(KafkaState.Progress::caughtUp);
    }

    /**
     * The newest {@code received_at} in the committed files of {@code enriched_events} holding events from {@code
     * since} on (from the files' column upper bounds; no data is read), or null when there are none.
     */
    public Instant lakeWatermark(Instant since) {
        Table table = catalog.loadTable(LakeTable.ENRICHED_EVENTS.identifier());
        if (table.currentSnapshot() == null) {
            return null;
        }
        Types.NestedField column = table.schema().findField("received_at");
        long newest = Long.MIN_VALUE;
        try (CloseableIterable<FileScanTask> tasks = table.newScan()
                .filter(Expressions.greaterThanOrEqual("derived_at", LakeInput.micros(since)))
                .includeColumnStats()
                .planFiles()) {
            for (FileScanTask task : tasks) {
                ByteBuffer upper = task.file().upperBounds() == null
                        ? null
                        : task.file().upperBounds().get(column.fieldId());
                if (upper != null) {
                    newest = Math.max(newest, (Long) Conversions.fromByteBuffer(column.type(), upper));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot plan the files of " + table.name(), e);
        }
        return newest == Long.MIN_VALUE ? null : Instant.EPOCH.plusNanos(newest * 1_000);
    }
}
