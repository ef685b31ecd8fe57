package io.chartpulse.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.EventType;
import io.chartpulse.batch.RollupJob.Target;
import io.chartpulse.lake.LakeTable;
import io.chartpulse.streams.metrics.MetricAggregate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.Binary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollup of a generated day, written to real Iceberg tables on S3Proxy and to mongo-java-server, checked
 * against an independent computation over the generated events (plain grouping, funnels by sorting each session's
 * events), read back with the official MongoDB driver and with Iceberg's reader.
 */
class RollupIT {

    static final Interval DAY = Interval.parse("2026-12-01");

    @TempDir
    static Path dir;

    static BatchStack stack;
    static Dataset data;
    static RollupJob job;

    @BeforeAll
    static void setUp() {
        stack = new BatchStack(dir);
        data = new Dataset(DAY, 400, 42);
        // Two sink commits, as the Iceberg sink would make them over a day.
        int half = data.events.size() / 2;
        stack.append(LakeTable.ENRICHED_EVENTS, data.events.subList(0, half));
        stack.append(LakeTable.ENRICHED_EVENTS, data.events.subList(half, data.events.size()));
        stack.append(LakeTable.SESSIONS, data.sessions);
        job = RollupJob.over(stack.catalog, stack.mongo);
    }

    @AfterAll
    static void tearDown() {
        stack.close();
    }

    static List<EnrichedEvent> dayHumans() {
        return data.events.stream()
                .filter(e -> DAY.contains(e.getDerivedAt()) && !e.getIsBot())
                .toList();
    }

    @Test
    void productCellsMatchAnIndependentCount() {
        RollupJob.Result result = job.run(DAY, List.of(Target.MONGO, Target.LAKE));
        assertThat(result.events())
                .isEqualTo(data.events.stream()
                        .filter(e -> DAY.contains(e.getDerivedAt()))
                        .count());

        Map<String, long[]> expected = new TreeMap<>();
        Map<String, Set<String>> visitors = new HashMap<>();
        for (EnrichedEvent e : dayHumans()) {
            if (e.getProduct() == null || e.getChart() == null) {
                continue;
            }
            String key = String.join(
                    "|",
                    DAY.key(),
                    e.getChart().getChartId(),
                    e.getProduct().getProductId(),
                    String.valueOf(e.getProduct().getRank()),
                    e.getProduct().getMerchant(),
                    e.getUserAgent() == null ? "Unknown" : e.getUserAgent().getDeviceClass(),
                    e.getReferrer().getReferrerClass().name(),
                    e.getCampaign() == null ? "(none)" : e.getCampaign().getName());
            long[] n = expected.computeIfAbsent(key, k -> new long[3]);
            n[
                    e.getEventType() == EventType.PRODUCT_IMPRESSION
                            ? 0
                            : e.getEventType() == EventType.PRODUCT_CLICK ? 1 : 2]++;
            visitors.computeIfAbsent(key, k -> new HashSet<>()).add(e.getAnonymousId());
        }
        Map<String, Document> docs = new TreeMap<>();
        stack.mongo.getCollection("product_daily").find(ofDay()).forEach(d -> docs.put(d.getString("_id"), d));
        assertThat(docs.keySet()).isEqualTo(expected.keySet());
        expected.forEach((key, n) -> {
            Document d = docs.get(key);
            assertThat(new long[] {d.getLong("impressions"), d.getLong("clicks"), d.getLong("outbound_clicks")})
                    .as(key)
                    .containsExactly(n);
            assertThat(d.getLong("visitors"))
                    .as(key)
                    .isEqualTo(visitors.get(key).size()); // HLL is exact when small
        });
        assertThat(docs.values().stream().mapToLong(d -> d.getLong("clicks")).sum())
                .isPositive();
    }

    @Test
    void chartRowsCountVisitorsSessionsAndMerchantsAndTheirSketchesUnionWithinTheStatedError() {
        job.run(DAY, List.of(Target.MONGO));
        Map<String, List<EnrichedEvent>> byChart = dayHumans().stream()
                .filter(e -> e.getChart() != null)
                .collect(Collectors.groupingBy(e -> e.getChart().getChartId()));
        for (String chart : Dataset.CHARTS) {
            Document d = stack.mongo
                    .getCollection("chart_daily")
                    .find(Filters.and(ofDay(), Filters.eq("chart_id", chart)))
                    .first();
            assertThat(d).as(chart).isNotNull();
            List<EnrichedEvent> events = byChart.get(chart);
            assertThat(d.getLong("chart_impressions"))
                    .isEqualTo(events.stream()
                            .filter(e -> e.getEventType() == EventType.CHART_IMPRESSION)
                            .count());
            assertThat(d.getLong("outbound_clicks"))
                    .isEqualTo(events.stream()
                            .filter(e -> e.getEventType() == EventType.OUTBOUND_CLICK)
                            .count());
            long distinct = events.stream()
                    .map(EnrichedEvent::getAnonymousId)
                    .distinct()
                    .count();
            assertThat(d.getLong("visitors")).isEqualTo(distinct);
            Map<String, Long> byMerchant = events.stream()
                    .filter(e -> e.getEventType() == EventType.OUTBOUND_CLICK)
                    .collect(Collectors.groupingBy(
                            e -> e.getProduct().getMerchant(), TreeMap::new, Collectors.counting()));
            Document merchants = d.get("outbound_by_merchant", Document.class);
            assertThat(merchants.keySet()).isEqualTo(byMerchant.keySet());
            byMerchant.forEach((m, n) -> assertThat(merchants.getLong(m)).isEqualTo(n));
            long sessions = data.sessions.stream()
                    .filter(s -> DAY.contains(s.getStartAt())
                            && !s.getIsBot()
                            && s.getCharts().contains(chart))
                    .count();
            assertThat(d.getLong("sessions")).isEqualTo(sessions);
            long bots = data.events.stream()
                    .filter(e -> DAY.contains(e.getDerivedAt()) && e.getIsBot() && e.getChart() != null)
                    .filter(e -> e.getChart().getChartId().equals(chart))
                    .count();
            assertThat(d.getLong("bot_events")).isEqualTo(bots).isPositive();
        }
        // A week's visitors are a union of sketches: here, the union of all charts ≈ the day's distinct visitors.
        List<byte[]> sketches = new ArrayList<>();
        stack.mongo
                .getCollection("chart_daily")
                .find()
                .forEach(d -> sketches.add(d.get("visitors_hll", Binary.class).getData()));
        long all = dayHumans().stream()
                .filter(e -> e.getChart() != null)
                .map(EnrichedEvent::getAnonymousId)
                .distinct()
                .count();
        assertThat((double) Rollup.unionEstimate(sketches)).isCloseTo(all, within(3 * MetricAggregate.RSE * all + 1));
    }

    @Test
    void funnelsCountSessionsThatReachEachStepInOrder() {
        job.run(DAY, List.of(Target.MONGO));
        // Independently: sort each session's events by time and walk a state machine.
        Map<String, long[]> expected = new TreeMap<>();
        Map<String, List<EnrichedEvent>> bySession = dayHumans().stream()
                .filter(e -> e.getChart() != null)
                .collect(Collectors.groupingBy(e -> e.getAnonymousId() + "/" + e.getSessionId()));
        List<EventType> steps = List.of(
                EventType.CHART_IMPRESSION,
                EventType.PRODUCT_IMPRESSION,
                EventType.PRODUCT_CLICK,
                EventType.OUTBOUND_CLICK);
        for (List<EnrichedEvent> events : bySession.values()) {
            Set<String> charts =
                    events.stream().map(e -> e.getChart().getChartId()).collect(Collectors.toSet());
            charts.add("*");
            for (String chart : charts) {
                int state = 0;
                for (EnrichedEvent e : events.stream()
                        .filter(e ->
                                chart.equals("*") || e.getChart().getChartId().equals(chart))
                        .sorted(Comparator.comparing(EnrichedEvent::getDerivedAt))
                        .toList()) {
                    if (state < 4 && e.getEventType() == steps.get(state)) {
                        state++;
                    }
                }
                long[] n = expected.computeIfAbsent(chart, k -> new long[4]);
                for (int i = 0; i < state; i++) {
                    n[i]++;
                }
            }
        }
        expected.values().removeIf(n -> false);
        Map<String, long[]> actual = new TreeMap<>();
        stack.mongo
                .getCollection("funnel_daily")
                .find()
                .forEach(d -> actual.put(d.getString("chart_id"), new long[] {
                    d.getLong("chart_seen"),
                    d.getLong("product_impression"),
                    d.getLong("product_click"),
                    d.getLong("outbound_click")
                }));
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((chart, n) -> assertThat(actual.get(chart)).as(chart).containsExactly(n));
        assertThat(actual.get("*")[3]).isPositive();
    }

    @Test
    void rankCurveFallsWithRank() {
        job.run(DAY, List.of(Target.MONGO));
        List<Document> laptops = stack.mongo
                .getCollection("rank_ctr_daily")
                .find(Filters.and(ofDay(), Filters.eq("chart_id", "laptops")))
                .sort(Sorts.ascending("rank"))
                .into(new ArrayList<>());
        assertThat(laptops).extracting(d -> d.getInteger("rank")).startsWith(1, 2, 3);
        for (Document d : laptops) {
            long impressions = dayHumans().stream()
                    .filter(e -> e.getEventType() == EventType.PRODUCT_IMPRESSION
                            && e.getChart().getChartId().equals("laptops")
                            && e.getProduct().getRank() == d.getInteger("rank"))
                    .count();
            assertThat(d.getLong("impressions")).isEqualTo(impressions);
        }
        assertThat(laptops.get(0).getDouble("ctr_vs_top")).isEqualTo(1.0);
        assertThat(laptops.get(0).getDouble("ctr")).isGreaterThan(laptops.get(4).getDouble("ctr"));
    }

    @Test
    void aSecondRunChangesNothingAndTheLakeHoldsTheSameRows() throws IOException {
        job.run(DAY, List.of(Target.MONGO, Target.LAKE));
        Map<String, List<Document>> first = snapshot();
        List<Record> lakeFirst = lakeRows(RollupTable.PRODUCT);
        RollupJob.Result second = job.run(DAY, List.of(Target.MONGO, Target.LAKE));
        assertThat(snapshot()).isEqualTo(first);
        List<Record> lakeSecond = lakeRows(RollupTable.PRODUCT);
        assertThat(lakeSecond).hasSameSizeAs(lakeFirst).hasSize(second.rows().get(RollupTable.PRODUCT));
        assertThat(lakeSecond).allSatisfy(r -> assertThat(r.getField("run_id")).isEqualTo(second.runId()));
        long lakeClicks =
                lakeSecond.stream().mapToLong(r -> (Long) r.getField("clicks")).sum();
        long mongoClicks = stack.mongo.getCollection("product_daily").find(ofDay()).into(new ArrayList<>()).stream()
                .mapToLong(d -> d.getLong("clicks"))
                .sum();
        assertThat(lakeClicks).isEqualTo(mongoClicks).isPositive();
    }

    @Test
    void anotherIntervalIsLeftAlone() throws IOException {
        Interval before = Interval.parse("2026-11-30");
        job.run(before, List.of(Target.MONGO, Target.LAKE));
        long beforeDocs =
                stack.mongo.getCollection("product_daily").countDocuments(Filters.eq("interval", before.key()));
        assertThat(beforeDocs).isPositive(); // the dataset spills an hour into the day before
        job.run(DAY, List.of(Target.MONGO, Target.LAKE));
        assertThat(stack.mongo.getCollection("product_daily").countDocuments(Filters.eq("interval", before.key())))
                .isEqualTo(beforeDocs);
        Table table = stack.catalog.loadTable(RollupTable.PRODUCT.identifier(Interval.Grain.DAY));
        long lakeBefore = 0;
        try (CloseableIterable<Record> it =
                IcebergGenerics.read(table).where(LakeOutput.filter(before)).build()) {
            for (Record ignored : it) {
                lakeBefore++;
            }
        }
        assertThat(lakeBefore).isEqualTo(beforeDocs);
    }

    @Test
    void anHourRollsUpIntoTheHourlyTablesAndLeavesTheDaysAlone() throws IOException {
        job.run(DAY, List.of(Target.MONGO, Target.LAKE));
        Map<String, List<Document>> days = snapshot();
        Interval hour = Interval.parse("2026-12-01T13");
        RollupJob.Result run = job.run(hour, List.of(Target.MONGO, Target.LAKE));
        assertThat(snapshot()).as("the day's documents").isEqualTo(days);
        for (RollupTable t : RollupTable.values()) {
            var hourly = stack.mongo.getCollection(t.tableName(Interval.Grain.HOUR));
            assertThat(hourly.countDocuments(Filters.ne("interval", hour.key())))
                    .as(t.tableName(Interval.Grain.HOUR) + " holds hours only")
                    .isZero();
            assertThat(hourly.countDocuments(Filters.eq("grain", "hour")))
                    .as(t.tableName(Interval.Grain.HOUR))
                    .isEqualTo(run.rows().get(t).longValue())
                    .isPositive();
            assertThat(stack.mongo
                            .getCollection(t.tableName(Interval.Grain.DAY))
                            .countDocuments(Filters.ne("grain", "day")))
                    .as(t.tableName(Interval.Grain.DAY) + " holds days only")
                    .isZero();
        }
        long hourImpressions = data.events.stream()
                .filter(e -> !e.getIsBot() && e.getChart() != null && hour.contains(e.getDerivedAt()))
                .filter(e -> e.getEventType() == EventType.CHART_IMPRESSION)
                .count();
        long rolled = stack.mongo.getCollection("chart_hourly").find().into(new ArrayList<>()).stream()
                .mapToLong(d -> d.getLong("chart_impressions"))
                .sum();
        assertThat(rolled).isEqualTo(hourImpressions).isPositive();
        Table lakeHours = stack.catalog.loadTable(RollupTable.CHART.identifier(Interval.Grain.HOUR));
        long lakeRows = 0;
        try (CloseableIterable<Record> it = IcebergGenerics.read(lakeHours).build()) {
            for (Record r : it) {
                assertThat(r.getField("interval")).isEqualTo(hour.key());
                lakeRows++;
            }
        }
        assertThat(lakeRows).isEqualTo(run.rows().get(RollupTable.CHART).longValue());
    }

    /**
     * The BI questions of {@code bi/README.md}: each pipeline file under {@code bi/mongodb/<collection>/} run as
     * Metabase runs a native query (the official driver's aggregate), on the rollup of the generated events, against
     * a count straight from those events (over whichever days the rollup collections hold: other tests roll up a
     * neighbouring day).
     */
    @Test
    void theBiQuestionsAnswerFromTheRollupCollections() throws IOException {
        job.run(DAY, List.of(Target.MONGO));
        Set<String> days = stack.mongo
                .getCollection("chart_daily")
                .distinct("interval", String.class)
                .into(new HashSet<>());
        List<EnrichedEvent> humans = data.events.stream()
                .filter(e -> !e.getIsBot() && e.getChart() != null)
                .filter(e -> days.contains(Interval.containing(Interval.Grain.DAY, e.getDerivedAt())
                        .key()))
                .toList();
        List<EnrichedEvent> ofProducts =
                humans.stream().filter(e -> e.getProduct() != null).toList();
        ToIntFunction<EnrichedEvent> step = e -> switch (e.getEventType()) {
            case PRODUCT_IMPRESSION -> 0;
            case PRODUCT_CLICK -> 1;
            case OUTBOUND_CLICK -> 2;
            default -> -1;
        };

        // CTR by rank.
        Map<Integer, long[]> byRank = new TreeMap<>();
        ofProducts.forEach(e -> count(byRank, e.getProduct().getRank(), step.applyAsInt(e)));
        List<Document> ranks = question("rank_ctr_daily", "ctr-by-rank");
        assertThat(ranks).extracting(d -> d.getInteger("rank")).containsExactlyElementsOf(byRank.keySet());
        for (Document d : ranks) {
            long[] n = byRank.get(d.getInteger("rank"));
            assertThat(new long[] {d.getLong("impressions"), d.getLong("clicks")})
                    .as("rank " + d.getInteger("rank"))
                    .containsExactly(n[0], n[1]);
            assertThat(d.getDouble("ctr")).isCloseTo((double) n[1] / n[0], within(1e-12));
        }

        // Top deals, deal clicks by merchant, products seen but never clicked.
        Map<List<String>, long[]> byProduct = new HashMap<>();
        ofProducts.forEach(e -> count(
                byProduct, List.of(e.getChart().getChartId(), e.getProduct().getProductId()), step.applyAsInt(e)));
        Comparator<Map.Entry<List<String>, long[]>> mostDeals =
                Comparator.<Map.Entry<List<String>, long[]>>comparingLong(x -> -x.getValue()[2])
                        .thenComparing(x -> x.getKey().get(0))
                        .thenComparing(x -> x.getKey().get(1));
        List<List<Object>> topDeals = byProduct.entrySet().stream()
                .filter(x -> x.getValue()[2] > 0)
                .sorted(mostDeals)
                .limit(10)
                .map(x -> List.<Object>of(x.getKey().get(0), x.getKey().get(1), x.getValue()[2], x.getValue()[0]))
                .toList();
        assertThat(topDeals).hasSize(10);
        assertThat(question("product_daily", "top-deals"))
                .extracting(d -> List.<Object>of(
                        d.getString("chart_id"),
                        d.getString("product_id"),
                        d.getLong("outbound_clicks"),
                        d.getLong("impressions")))
                .containsExactlyElementsOf(topDeals);

        Map<String, long[]> byMerchant = new TreeMap<>();
        ofProducts.forEach(e -> count(byMerchant, e.getProduct().getMerchant(), step.applyAsInt(e)));
        Map<String, List<Long>> merchants = new TreeMap<>();
        question("product_daily", "deal-clicks-by-merchant")
                .forEach(d -> merchants.put(
                        d.getString("merchant"), List.of(d.getLong("outbound_clicks"), d.getLong("impressions"))));
        assertThat(merchants).hasSizeGreaterThan(1);
        byMerchant.forEach((m, n) -> assertThat(merchants.get(m)).as(m).containsExactly(n[2], n[0]));
        assertThat(merchants.keySet()).isEqualTo(byMerchant.keySet());

        Set<List<String>> neverClicked = byProduct.entrySet().stream()
                .filter(x -> x.getValue()[0] > 0 && x.getValue()[1] == 0 && x.getValue()[2] == 0)
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertThat(neverClicked).isNotEmpty();
        assertThat(question("product_daily", "seen-never-clicked"))
                .extracting(d -> List.of(d.getString("chart_id"), d.getString("product_id")))
                .containsExactlyInAnyOrderElementsOf(neverClicked);

        // The funnel of every chart, one row per step (Metabase's funnel chart): the rollup's own rows summed, in
        // the order of the steps (the rows themselves are checked against the events above).
        long[] funnel = new long[4];
        stack.mongo
                .getCollection("funnel_daily")
                .find(Filters.and(Filters.eq("grain", "day"), Filters.eq("chart_id", "*")))
                .forEach(d -> {
                    funnel[0] += d.getLong("chart_seen");
                    funnel[1] += d.getLong("product_impression");
                    funnel[2] += d.getLong("product_click");
                    funnel[3] += d.getLong("outbound_click");
                });
        assertThat(question("funnel_daily", "funnel"))
                .extracting(d -> d.getString("step") + "=" + ((Number) d.get("sessions")).longValue())
                .containsExactly(
                        "1 chart seen=" + funnel[0],
                        "2 product seen=" + funnel[1],
                        "3 product clicked=" + funnel[2],
                        "4 deal clicked=" + funnel[3]);
        assertThat(funnel[3]).isPositive();

        // The daily trend: the chart-level counts per day.
        Map<String, long[]> byDay = new TreeMap<>();
        humans.forEach(e -> count(
                byDay,
                Interval.containing(Interval.Grain.DAY, e.getDerivedAt())
                        .start()
                        .toString(),
                e.getEventType() == EventType.CHART_IMPRESSION ? 3 : step.applyAsInt(e)));
        Map<String, List<Long>> trend = new TreeMap<>();
        question("chart_daily", "daily-trend")
                .forEach(d -> trend.put(
                        d.getDate("day").toInstant().toString(),
                        List.of(
                                d.getLong("chart_impressions"),
                                d.getLong("product_impressions"),
                                d.getLong("clicks"),
                                d.getLong("outbound_clicks"))));
        assertThat(trend).containsKey(DAY.start().toString());
        byDay.forEach((day, n) -> assertThat(trend.get(day)).as(day).containsExactly(n[3], n[0], n[1], n[2]));
    }

    private static <K> void count(Map<K, long[]> counts, K key, int index) {
        long[] n = counts.computeIfAbsent(key, k -> new long[4]);
        if (index >= 0) {
            n[index]++;
        }
    }

    // A BI question's pipeline, from its file, run with the official driver.
    static List<Document> question(String collection, String name) throws IOException {
        String json = Files.readString(Path.of("..", "bi", "mongodb", collection, name + ".json"));
        List<BsonDocument> pipeline =
                BsonArray.parse(json).stream().map(BsonValue::asDocument).toList();
        return stack.mongo.getCollection(collection).aggregate(pipeline).into(new ArrayList<>());
    }

    // The documents of the day without what says which run wrote them.
    static Map<String, List<Document>> snapshot() {
        return snapshot(stack, DAY);
    }

    static Map<String, List<Document>> snapshot(BatchStack stack, Interval day) {
        Map<String, List<Document>> out = new TreeMap<>();
        for (RollupTable t : RollupTable.values()) {
            List<Document> docs = stack.mongo
                    .getCollection(t.tableName(day.grain()))
                    .find(Filters.eq("interval", day.key()))
                    .sort(Sorts.ascending("_id"))
                    .into(new ArrayList<>());
            docs.forEach(d -> {
                d.remove("run_id");
                d.remove("computed_at");
                d.computeIfPresent("visitors_hll", (k, v) -> Arrays.toString(((Binary) v).getData()));
            });
            out.put(t.tableName(day.grain()), docs);
        }
        return out;
    }

    static List<Record> lakeRows(RollupTable rollup) throws IOException {
        Table table = stack.catalog.loadTable(rollup.identifier(Interval.Grain.DAY));
        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
            it.forEach(r -> rows.add(r.copy()));
        }
        return rows.stream()
                .filter(r -> Objects.equals(r.getField("interval"), DAY.key()))
                .toList();
    }

    static Bson ofDay() {
        return Filters.eq("interval", DAY.key());
    }
}
