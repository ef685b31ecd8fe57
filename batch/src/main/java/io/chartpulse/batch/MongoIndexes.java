package io.chartpulse.batch;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** An index: collection, name, keys, unique or not, and why it exists. */
    public record Index(String collection, String name, Bson keys, boolean unique, String why) {}

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
     * alone). Returns each index and whether it was created now.
     */
    public static Map<Index, Boolean> ensure(MongoDatabase db, List<Index> indexes) {
        Map<String, Set<String>> existing = new LinkedHashMap<>();
        Map<Index, Boolean> created = new LinkedHashMap<>();
        for (Index index : indexes) {
            Set<String> names = existing.computeIfAbsent(index.collection(), c -> {
                Set<String> found = new HashSet<>();
                for (Document d : db.getCollection(c).listIndexes()) {
                    found.add(d.getString("name"));
                }
                return found;
            });
            boolean missing = names.add(index.name());
            if (missing) {
                db.getCollection(index.collection())
                        .createIndex(
                                index.keys(),
                                new IndexOptions().name(index.name()).unique(index.unique()));
            }
            created.put(index, missing);
        }
        return created;
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
