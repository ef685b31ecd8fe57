package io.chartpulse.batch;

import com.mongodb.client.MongoDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.catalog.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code chartpulse batch rollup}: reads an interval's enriched events and sessions from the lake, computes its
 * rollups ({@link Rollup}) and replaces the interval's rows in MongoDB ({@link MongoOutput}) and in the lake's
 * rollup tables ({@link LakeOutput}).
 *
 * <p><b>Idempotent.</b> The rows are a function of the interval's committed input alone: every run reads the whole
 * interval (never "what is new since the last run"), so a second run, or one after a crash, writes the same rows.
 * Both outputs replace the interval: MongoDB by deterministic {@code _id}s and a final delete of what the run did
 * not write, Iceberg by one overwrite commit. Late events are in the input as soon as the lake has committed them,
 * because the lake is partitioned by event time: rerunning an interval after its lookback counts them.
 */
public final class RollupJob {

    private static final Logger LOG = LoggerFactory.getLogger(RollupJob.class);

    /** Where a run writes. */
    public enum Target {
        MONGO,
        LAKE;

        /** {@code mongo} or {@code lake} (case-insensitive). */
        public static Target of(String name) {
            for (Target t : values()) {
                if (t.name().equalsIgnoreCase(name.trim())) {
                    return t;
                }
            }
            throw new IllegalArgumentException("target must be mongo or lake, got '" + name + "'");
        }
    }

    /** What a run did. */
    public record Result(
            Interval interval,
            String runId,
            long events,
            long sessions,
            Map<RollupTable, Integer> rows,
            List<Target> targets,
            Duration took) {}

    private final LakeInput input;
    private final MongoOutput mongo;
    private final LakeOutput lake;
    private final BatchRuns runs;
    private final Clock clock;

    /**
     * {@code mongo} or {@code lake} may be null when a run writes only to the other; {@code runs}, where completed
     * runs are recorded, may be null (nothing recorded).
     */
    public RollupJob(LakeInput input, MongoOutput mongo, LakeOutput lake, BatchRuns runs, Clock clock) {
        this.input = input;
        this.mongo = mongo;
        this.lake = lake;
        this.runs = runs;
        this.clock = clock;
    }

    /**
     * The job as every caller runs it: reading the lake's processed tables, writing MongoDB and the lake's rollup
     * tables, recording runs in {@code db}'s {@code batch_runs}, on the UTC clock.
     */
    public static RollupJob over(Catalog catalog, MongoDatabase db) {
        return new RollupJob(
                new LakeInput(catalog),
                new MongoOutput(db),
                new LakeOutput(catalog),
                new BatchRuns(db),
                Clock.systemUTC());
    }

    /** The job's name in {@code batch_runs}. */
    public static final String JOB = "rollup";

    /** Rolls {@code interval} up into {@code targets}. */
    public Result run(Interval interval, List<Target> targets) {
        Instant started = clock.instant();
        String runId = UUID.randomUUID().toString();
        Rollup rollup = new Rollup();
        input.events(interval, rollup::add);
        input.sessions(interval, rollup::add);
        Map<RollupTable, List<Map<String, Object>>> rows = rollup.rows(interval, runId, started);
        Map<RollupTable, Integer> counts = new EnumMap<>(RollupTable.class);
        rows.forEach((table, r) -> counts.put(table, r.size()));
        if (targets.contains(Target.LAKE)) {
            lake.ensureTables();
            rows.forEach((table, r) -> lake.replace(table, interval, runId, r));
        }
        if (targets.contains(Target.MONGO)) {
            mongo.ensureIndexes();
            rows.forEach((table, r) -> mongo.replace(table, interval, runId, r));
        }
        Duration took = Duration.between(started, clock.instant());
        if (runs != null) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("events", rollup.events());
            details.put("sessions", rollup.sessions());
            details.put(
                    "targets",
                    targets.stream().map(t -> t.name().toLowerCase(Locale.ROOT)).toList());
            details.put("took_ms", took.toMillis());
            runs.completed(JOB, interval, runId, clock.instant(), details);
        }
        LOG.info(
                "Rolled up {} ({} events, {} sessions) into {} in {} ms: {}",
                interval,
                rollup.events(),
                rollup.sessions(),
                targets,
                took.toMillis(),
                counts);
        return new Result(interval, runId, rollup.events(), rollup.sessions(), counts, targets, took);
    }
}
