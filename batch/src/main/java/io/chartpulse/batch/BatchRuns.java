package io.chartpulse.batch;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bson.Document;

/**
 * The record of completed runs, MongoDB {@code batch_runs}: one document per job and interval
 * ({@code rollup|day|2026-12-01}), replaced by each run that completes. {@code chartpulse batch gaps} reads it to
 * find the intervals never rolled up; a run that died left no document, so its interval is a gap until rerun.
 */
public final class BatchRuns {

    /** The collection. */
    public static final String COLLECTION = "batch_runs";

    private final MongoCollection<Document> runs;

    public BatchRuns(MongoDatabase database) {
        this.runs = database.getCollection(COLLECTION);
    }

    /** Records that {@code job} completed {@code interval}. */
    public void completed(String job, Interval interval, String runId, Instant at, Map<String, Object> details) {
        Document doc = new Document("_id", id(job, interval))
                .append("job", job)
                .append("interval", interval.key())
                .append("grain", interval.grain().label())
                .append("interval_start", Date.from(interval.start()))
                .append("run_id", runId)
                .append("completed_at", Date.from(at));
        details.forEach(doc::append);
        runs.replaceOne(Filters.eq("_id", doc.get("_id")), doc, new ReplaceOptions().upsert(true));
    }

    /** The intervals of {@code grain} from the one holding {@code since} to the last ending by {@code until} that
     * {@code job} has not completed. */
    public List<Interval> gaps(String job, Interval.Grain grain, Instant since, Instant until) {
        Set<String> done = new HashSet<>();
        runs.find(Filters.and(
                        Filters.eq("job", job),
                        Filters.eq("grain", grain.label()),
                        Filters.gte(
                                "interval_start",
                                Date.from(Interval.containing(grain, since).start()))))
                .forEach(d -> done.add(d.getString("interval")));
        List<Interval> gaps = new ArrayList<>();
        for (Interval i : Interval.between(grain, since, until)) {
            if (!done.contains(i.key())) {
                gaps.add(i);
            }
        }
        return gaps;
    }

    /** The newest interval of {@code grain} that {@code job} has completed, if any. */
    public Optional<Interval> newest(String job, Interval.Grain grain) {
        Document newest = runs.find(Filters.and(Filters.eq("job", job), Filters.eq("grain", grain.label())))
                .sort(Sorts.descending("interval_start"))
                .limit(1)
                .first();
        return newest == null
                ? Optional.empty()
                : Optional.of(Interval.containing(
                        grain, newest.getDate("interval_start").toInstant()));
    }

    static String id(String job, Interval interval) {
        return job + "|" + interval.grain().label() + "|" + interval.key();
    }
}
