package io.chartpulse.batch;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The MongoDB indexes ChartPulse needs, declared once: the live sinks' upsert keys (unique: a business key is one
 * document, and an upsert by it is a point lookup, not a collection scan), what dashboards and BI query by, and the
 * rollup collections' keys. {@code chartpulse mongo init} creates them all; a replay or a rollup creates those of
 * the collections it writes before writing, so that it is right and fast even on a database nobody initialised.
 */
public final class MongoIndexes {

    /**
     * An index: collection, name, keys, unique or not, why it exists, and for a TTL index how long after its date a
     * document is deleted (null for the others).
     */
    public record Index(String collection, String name, Bson keys, boolean unique, String why, Duration expireAfter) {

        public Index(String collection, String name, Bson keys, boolean unique, String why) {
            this(collection, name, keys, unique, why, null);
        }
    }

    /** What {@link #ensure} did with an index. */
    public enum Outcome {
        CREATED,
        EXISTS,
        /** A TTL index whose retention differed: changed to the new one in place. */
        CHANGED,
        /** A TTL index no longer wanted (retention off): dropped. */
        DROPPED
    }

    /** The name of the retention (TTL) index on {@code events} and {@code sessions}. */
    public static final String EXPIRE = "expire";

    /** The shipped retention of MongoDB's events and sessions: 13 months. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(395);

    /**
     * The TTL indexes that delete a visitor's events and sessions {@code keep} after their time (events by
     * {@code derived_at}, sessions by {@code end_at}); none when {@code keep} is null (kept until deleted).
     */
    public static List<Index> retention(Duration keep) {
        if (keep == null) {
            return List.of();
        }
        return List.of(
                new Index("events", EXPIRE, Indexes.ascending("derived_at"), false, "retention", keep),
                new Index("sessions", EXPIRE, Indexes.ascending("end_at"), false, "retention", keep));
    }

    /** The live collections' indexes. */
    public static final List<Index> LIVE = List.of(
            new Index("events", "event_id", Indexes.ascending("event_id"), true, "the sink's upsert key"),
            new Index(
                    "events",
                    "chart_time",
                    Indexes.ascending("chart.chart_id", "derived_at"),
                    false,
                    "events of a chart over time"),
            new Index(
                    "events",
                    "visitor_time",
                    Indexes.ascending("anonymous_id", "derived_at"),
                    false,
                    "a visitor's events over time"),
            new Index("sessions", "session_id", Indexes.ascending("session_id"), true, "the sink's upsert key"),
            new Index("sessions", "start", Indexes.ascending("start_at"), false, "sessions by start"),
            new Index(
                    "sessions",
                    "visitor_start",
                    Indexes.ascending("anonymous_id", "start_at"),
                    false,
                    "a visitor's sessions"),
            new Index(
                    "chart_metrics",
                    "chart_product_window",
                    Indexes.ascending("chart_id", "product_id", "window_start"),
                    true,
                    "the sink's upsert key"),
            new Index(
                    "chart_metrics",
                    "chart_window",
                    Indexes.ascending("chart_id", "window_start"),
                    false,
                    "a chart's metrics over time"),
            new Index(
                    "product_metrics",
                    "chart_product_window",
                    Indexes.ascending("chart_id", "product_id", "window_start"),
                    true,
                    "the sink's upsert key"),
            new Index(
                    "product_metrics",
                    "chart_window",
                    Indexes.ascending("chart_id", "window_start"),
                    false,
                    "a chart's products over time"));

    /** The rollup collections' indexes: a run's documents, a chart over time, a period. */
    public static final List<Index> ROLLUPS = rollups();

    /** Every index. */
    public static final List<Index> ALL =
            Stream.concat(LIVE.stream(), ROLLUPS.stream()).toList();

    private MongoIndexes() {}

    /** The indexes of {@code collections}. */
    public static List<Index> of(String... collections) {
        Set<String> wanted = Set.of(collections);
        return ALL.stream().filter(i -> wanted.contains(i.collection())).toList();
    }

    /**
     * Creates those of {@code indexes} that are missing (by name; safe to run again, and an existing index is left
     * alone). Returns each index and whether it was created now. The retention is left as it is (a replay or a
     * rollup never changes it; {@code mongo init} does, through {@link #ensure(MongoDatabase, List, Duration)}).
     */
    public static Map<Index, Boolean> ensure(MongoDatabase db, List<Index> indexes) {
        Map<Index, Boolean> created = new LinkedHashMap<>();
        apply(db, indexes, List.of(), false)
                .forEach((index, outcome) -> created.put(index, outcome == Outcome.CREATED));
        return created;
    }

    /**
     * As {@link #ensure(MongoDatabase, List)}, and makes the retention of {@code events} and {@code sessions} the
     * one given: a TTL index with another retention is changed in place ({@code collMod}), and with {@code
     * retention} null an existing one is dropped (nothing expires).
     */
    public static Map<Index, Outcome> ensure(MongoDatabase db, List<Index> indexes, Duration retention) {
        return apply(db, indexes, retention(retention), retention == null);
    }

    // Creates what is missing of indexes and ttl, changes a TTL that differs, and drops the retention indexes when
    // dropRetention (retention turned off).
    private static Map<Index, Outcome> apply(
            MongoDatabase db, List<Index> indexes, List<Index> ttl, boolean dropRetention) {
        Map<String, Map<String, Document>> existing = new LinkedHashMap<>();
        Map<Index, Outcome> outcomes = new LinkedHashMap<>();
        List<Index> wanted = new ArrayList<>(indexes);
        wanted.addAll(ttl);
        for (Index index : wanted) {
            Document found = existing(db, existing, index.collection()).get(index.name());
            Outcome outcome = Outcome.EXISTS;
            if (found != null && index.expireAfter() != null) {
                Number seconds = found.get("expireAfterSeconds", Number.class);
                if (seconds == null
                        || seconds.longValue() != index.expireAfter().toSeconds()) {
                    // collMod changes a TTL in place: no rebuild of an index over a large collection.
                    db.runCommand(new Document("collMod", index.collection())
                            .append(
                                    "index",
                                    new Document("name", index.name())
                                            .append(
                                                    "expireAfterSeconds",
                                                    index.expireAfter().toSeconds())));
                    outcome = Outcome.CHANGED;
                }
            }
            if (found == null) {
                IndexOptions options = new IndexOptions().name(index.name()).unique(index.unique());
                if (index.expireAfter() != null) {
                    options.expireAfter(index.expireAfter().toSeconds(), TimeUnit.SECONDS);
                }
                db.getCollection(index.collection()).createIndex(index.keys(), options);
                outcome = Outcome.CREATED;
            }
            outcomes.put(index, outcome);
        }
        if (dropRetention) {
            for (String collection : List.of("events", "sessions")) {
                if (existing(db, existing, collection).containsKey(EXPIRE)) {
                    db.getCollection(collection).dropIndex(EXPIRE);
                    outcomes.put(
                            new Index(collection, EXPIRE, Indexes.ascending("_id"), false, "retention"),
                            Outcome.DROPPED);
                }
            }
        }
        return outcomes;
    }

    private static Map<String, Document> existing(
            MongoDatabase db, Map<String, Map<String, Document>> cache, String collection) {
        return cache.computeIfAbsent(collection, c -> {
            Map<String, Document> found = new LinkedHashMap<>();
            for (Document d : db.getCollection(c).listIndexes()) {
                found.put(d.getString("name"), d);
            }
            return found;
        });
    }

    private static List<Index> rollups() {
        List<Index> out = new ArrayList<>();
        for (Interval.Grain grain : Interval.Grain.values()) {
            for (RollupTable table : RollupTable.values()) {
                String c = table.tableName(grain);
                out.add(new Index(
                        c, "interval_run", Indexes.ascending("interval", "run_id"), false, "a run's documents"));
                out.add(new Index(
                        c, "chart_time", Indexes.ascending("chart_id", "interval_start"), false, "a chart over time"));
                out.add(new Index(c, "time", Indexes.ascending("interval_start"), false, "a period"));
            }
        }
        return List.copyOf(out);
    }
}
