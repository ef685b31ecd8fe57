package io.chartpulse.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import io.chartpulse.avro.ChartEvent;
import io.chartpulse.streams.validate.EventValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.bson.Document;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@code chartpulse batch reconcile}: counts one interval's events (by {@code received_at}) at every stage and
 * checks that they agree.
 *
 * <ul>
 *   <li><b>raw</b>: the archive's records, their distinct event ids, and how many of those the topology's own
 *       validator ({@link EventValidator}, the streams app's class) accepts — {@code raw_valid_distinct};
 *   <li><b>lake</b>: rows of {@code enriched_events} and their distinct event ids;
 *   <li><b>mongo</b>: documents of {@code events} (the live sink upserts by event id, so each is one event);
 *   <li><b>invalid</b> (when a reader of the invalid topic is given): the streams stage's rejections of the interval.
 * </ul>
 *
 * The rules, with a tolerance of 0 once the interval is closed: {@code raw_valid_distinct = lake_distinct =
 * mongo_events}; the lake holds no event twice; and, with the invalid topic, the streams stage rejected exactly the
 * archive's invalid records ({@code raw_invalid}; the collector's rejections never reach the archive, nor do
 * records no reader can decode). An open interval is reported with the same numbers and no verdict ({@code
 * open}), because its events are still arriving. The report is written as JSON to the archive's bucket and to
 * MongoDB {@code reconcile_reports}.
 */
public final class Reconcile {

    /** The collection of the reports. */
    public static final String REPORTS = "reconcile_reports";
    /** The key prefix of the reports in the archive's bucket. */
    public static final String REPORT_PREFIX = "reports/reconcile/";

    /** The verdict. */
    public enum Status {
        /** Every rule holds. */
        OK,
        /** A rule is broken on a closed interval. */
        MISMATCH,
        /** The interval is not closed yet: numbers only. */
        OPEN
    }

    /** Counts the streams stage's rejections of an interval (the invalid topic's reader). */
    public interface InvalidCounter {
        /** Rejections by the streams stage of events received in {@code interval}, undecodable ones excepted. */
        long streamsRejections(Interval interval);
    }

    /** One reconciliation. */
    public record Report(
            Interval interval,
            Status status,
            long rawRecords,
            long rawDistinct,
            long rawValidDistinct,
            long rawInvalid,
            long lakeRows,
            long lakeDistinct,
            long mongoEvents,
            OptionalLong invalidTopic,
            List<String> problems,
            Instant checkedAt) {

        /** The report as a flat JSON-friendly map. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("interval", interval.key());
            m.put("grain", interval.grain().label());
            m.put("interval_start", interval.start().toString());
            m.put("interval_end", interval.end().toString());
            m.put("status", status.name());
            m.put("raw_records", rawRecords);
            m.put("raw_distinct", rawDistinct);
            m.put("raw_valid_distinct", rawValidDistinct);
            m.put("raw_invalid", rawInvalid);
            m.put("lake_rows", lakeRows);
            m.put("lake_distinct", lakeDistinct);
            m.put("mongo_events", mongoEvents);
            m.put("invalid_topic", invalidTopic.isPresent() ? invalidTopic.getAsLong() : null);
            m.put("problems", problems);
            m.put("checked_at", checkedAt.toString());
            return m;
        }
    }

    private final RawArchive archive;
    private final LakeInput lake;
    private final MongoDatabase mongo;
    private final InvalidCounter invalid;
    private final EventValidator validator;
    private final Clock clock;

    /** {@code invalid} may be null: the invalid topic is then left out. */
    public Reconcile(
            RawArchive archive,
            LakeInput lake,
            MongoDatabase mongo,
            InvalidCounter invalid,
            Duration maxClockSkew,
            Clock clock) {
        this.archive = archive;
        this.lake = lake;
        this.mongo = mongo;
        this.invalid = invalid;
        this.validator = new EventValidator(maxClockSkew);
        this.clock = clock;
    }

    /** Counts, checks (unless {@code closed} is false) and stores the report of {@code interval}. */
    public Report run(Interval interval, boolean closed) {
        long[] raw = new long[2];
        Set<String> distinct = new HashSet<>();
        Set<String> valid = new HashSet<>();
        archive.events(interval, (ChartEvent e) -> {
            raw[0]++;
            String id = e.getEventId().toString();
            distinct.add(id);
            if (validator.check(e).isEmpty()) {
                valid.add(id);
            } else {
                raw[1]++;
            }
        });
        long[] lakeRows = new long[1];
        Set<String> lakeIds = new HashSet<>();
        lake.receivedEventIds(interval, id -> {
            lakeRows[0]++;
            lakeIds.add(id);
        });
        long mongoEvents = mongo.getCollection("events")
                .countDocuments(Filters.and(
                        Filters.gte("received_at", Date.from(interval.start())),
                        Filters.lt("received_at", Date.from(interval.end()))));
        OptionalLong invalidTopic =
                invalid == null ? OptionalLong.empty() : OptionalLong.of(invalid.streamsRejections(interval));

        List<String> problems = new ArrayList<>();
        if (valid.size() != lakeIds.size()) {
            problems.add("raw_valid_distinct " + valid.size() + " != lake_distinct " + lakeIds.size() + " ("
                    + missing(valid, lakeIds) + ")");
        }
        if (lakeIds.size() != mongoEvents) {
            problems.add("lake_distinct " + lakeIds.size() + " != mongo_events " + mongoEvents);
        }
        if (lakeRows[0] != lakeIds.size()) {
            problems.add("the lake holds " + (lakeRows[0] - lakeIds.size()) + " event(s) more than once");
        }
        if (invalidTopic.isPresent() && invalidTopic.getAsLong() != raw[1]) {
            problems.add("invalid_topic " + invalidTopic.getAsLong() + " != raw_invalid " + raw[1]);
        }
        Status status = !closed ? Status.OPEN : problems.isEmpty() ? Status.OK : Status.MISMATCH;
        Report report = new Report(
                interval,
                status,
                raw[0],
                distinct.size(),
                valid.size(),
                raw[1],
                lakeRows[0],
                lakeIds.size(),
                mongoEvents,
                invalidTopic,
                problems,
                clock.instant());
        store(report);
        return report;
    }

    // A few of the ids one side has and the other lacks, to start the search from.
    private static String missing(Set<String> raw, Set<String> lake) {
        List<String> notInLake =
                raw.stream().filter(id -> !lake.contains(id)).limit(3).toList();
        List<String> notInRaw =
                lake.stream().filter(id -> !raw.contains(id)).limit(3).toList();
        return "not in the lake, e.g. " + notInLake + "; not in the archive, e.g. " + notInRaw;
    }

    private void store(Report report) {
        Map<String, Object> map = report.toMap();
        Document doc = new Document("_id", report.interval().key());
        map.forEach(doc::append);
        doc.put("checked_at", Date.from(report.checkedAt()));
        mongo.getCollection(REPORTS)
                .replaceOne(Filters.eq("_id", doc.get("_id")), doc, new ReplaceOptions().upsert(true));
        try {
            byte[] json = new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsBytes(map);
            archive.s3()
                    .putObject(
                            r -> r.bucket(archive.bucket())
                                    .key(reportKey(report.interval()))
                                    .contentType("application/json"),
                            RequestBody.fromBytes(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the report of {@code interval} is kept in the archive's bucket. */
    public static String reportKey(Interval interval) {
        return REPORT_PREFIX + "grain=" + interval.grain().label() + "/" + interval.key() + ".json";
    }
}
