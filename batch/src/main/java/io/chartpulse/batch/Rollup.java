package io.chartpulse.batch;

import io.chartpulse.batch.LakeInput.EventRow;
import io.chartpulse.batch.LakeInput.SessionRow;
import io.chartpulse.streams.metrics.MetricAggregate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.Union;

/**
 * The rollups of one interval, computed in one pass over its enriched events and sessions (the inputs are the day's
 * rows, not yet aggregated; memory grows with the number of cells and client sessions, not of events). Bots are
 * left out of every count, as in the live metrics, and counted apart in {@code chart_daily.bot_events}.
 *
 * <p>Unique visitors are counted exactly per row (a batch run can afford the distinct set: memory grows with the
 * distinct visitor-cell pairs, at most one per event) and each row also keeps a DataSketches HLL sketch of them, with
 * the live metrics' settings (lgK {@value MetricAggregate#LG_K}, relative standard error {@code MetricAggregate.RSE}):
 * a week's or a chart's visitors over several rows are the union of their sketches ({@link #unionEstimate}), never a
 * sum of counts.
 *
 * <p>A funnel step counts a client session ({@code anonymous_id} + the tracker's {@code session_id}) when it
 * happened at or after the session reached the step before, so a click before any impression does not complete the
 * funnel.
 */
public final class Rollup {

    /** The campaign of an event without one. */
    public static final String NO_CAMPAIGN = "(none)";
    /** The device class of an event without a parsed user agent. */
    public static final String NO_DEVICE = "Unknown";
    /** The referrer class of an event without one. */
    public static final String NO_REFERRER = "UNKNOWN";
    /** The funnel row of every chart together. */
    public static final String ALL_CHARTS = "*";

    private static final String IMPRESSION = "PRODUCT_IMPRESSION";
    private static final String CLICK = "PRODUCT_CLICK";
    private static final String OUTBOUND = "OUTBOUND_CLICK";
    private static final String CHART_IMPRESSION = "CHART_IMPRESSION";

    private final Map<List<Object>, Cell> products = new HashMap<>();
    private final Map<String, ChartCell> charts = new TreeMap<>();
    private final Map<List<Object>, long[]> ranks = new HashMap<>();
    // chart (or *) → client session → the times of each funnel step
    private final Map<String, Map<String, Funnel>> funnels = new TreeMap<>();
    // One String per visitor, shared by every cell's set.
    private final Map<String, String> visitorIds = new HashMap<>();
    private long events;
    private long sessions;

    private static final class Cell {
        long impressions;
        long clicks;
        long outbound;
        final Set<String> visitors = new HashSet<>();
    }

    private static final class ChartCell {
        long chartImpressions;
        long impressions;
        long clicks;
        long outbound;
        long bots;
        long sessions;
        long bounces;
        long sessionMs;
        final Set<String> visitors = new HashSet<>();
        final Map<String, Long> byMerchant = new TreeMap<>();
    }

    // The times at which a client session did each step; the funnel is read from them in order.
    private static final class Funnel {
        final List<List<Long>> steps =
                List.of(new ArrayList<>(1), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());

        void add(int step, long t) {
            steps.get(step).add(t);
        }

        // How many steps, in order, the session reached: each at or after the one before.
        int reached() {
            long at = Long.MIN_VALUE;
            int n = 0;
            for (List<Long> times : steps) {
                long next = Long.MAX_VALUE;
                for (long t : times) {
                    if (t >= at && t < next) {
                        next = t;
                    }
                }
                if (next == Long.MAX_VALUE) {
                    return n;
                }
                at = next;
                n++;
            }
            return n;
        }
    }

    /** Adds one enriched event. */
    public void add(EventRow e) {
        events++;
        String chart = e.chartId();
        if (chart == null) {
            return;
        }
        ChartCell c = charts.computeIfAbsent(chart, k -> new ChartCell());
        if (e.bot()) {
            c.bots++;
            return;
        }
        String visitor = visitorIds.computeIfAbsent(e.anonymousId(), v -> v);
        c.visitors.add(visitor);
        int step = switch (e.eventType()) {
            case CHART_IMPRESSION -> 0;
            case IMPRESSION -> 1;
            case CLICK -> 2;
            case OUTBOUND -> 3;
            default -> -1;
        };
        if (step == 0) {
            c.chartImpressions++;
        }
        if (step >= 0) {
            String session = e.anonymousId() + '\u0000' + e.sessionId();
            long t = e.derivedAt().toEpochMilli();
            funnels.computeIfAbsent(chart, k -> new HashMap<>())
                    .computeIfAbsent(session, k -> new Funnel())
                    .add(step, t);
            funnels.computeIfAbsent(ALL_CHARTS, k -> new HashMap<>())
                    .computeIfAbsent(session, k -> new Funnel())
                    .add(step, t);
        }
        if (step < 1 || e.productId() == null) {
            return;
        }
        Cell cell = products.computeIfAbsent(
                List.of(
                        chart,
                        e.productId(),
                        Objects.requireNonNullElse(e.rank(), -1),
                        Objects.requireNonNullElse(e.merchant(), ""),
                        Objects.requireNonNullElse(e.deviceClass(), NO_DEVICE),
                        Objects.requireNonNullElse(e.referrerClass(), NO_REFERRER),
                        Objects.requireNonNullElse(e.campaign(), NO_CAMPAIGN)),
                k -> new Cell());
        cell.visitors.add(visitor);
        long[] rank = e.rank() == null ? null : ranks.computeIfAbsent(List.of(chart, e.rank()), k -> new long[3]);
        switch (step) {
            case 1 -> {
                cell.impressions++;
                c.impressions++;
                if (rank != null) {
                    rank[0]++;
                }
            }
            case 2 -> {
                cell.clicks++;
                c.clicks++;
                if (rank != null) {
                    rank[1]++;
                }
            }
            default -> {
                cell.outbound++;
                c.outbound++;
                if (rank != null) {
                    rank[2]++;
                }
                if (e.merchant() != null) {
                    c.byMerchant.merge(e.merchant(), 1L, Long::sum);
                }
            }
        }
    }

    /** Adds one session (bots left out). */
    public void add(SessionRow s) {
        if (s.bot()) {
            return;
        }
        sessions++;
        for (String chart : s.charts()) {
            ChartCell c = charts.computeIfAbsent(chart, k -> new ChartCell());
            c.sessions++;
            c.sessionMs += s.durationMs();
            if (s.bounce()) {
                c.bounces++;
            }
        }
    }

    /** Events added. */
    public long events() {
        return events;
    }

    /** Sessions added (bots left out). */
    public long sessions() {
        return sessions;
    }

    /** The rows of every rollup table for {@code interval}, stamped with the run. */
    public Map<RollupTable, List<Map<String, Object>>> rows(Interval interval, String runId, Instant computedAt) {
        Map<RollupTable, List<Map<String, Object>>> out = new EnumMap<>(RollupTable.class);
        List<Map<String, Object>> productRows = new ArrayList<>();
        products.entrySet().stream()
                .sorted((a, b) -> compare(a.getKey(), b.getKey()))
                .forEach(e -> {
                    List<Object> k = e.getKey();
                    Cell c = e.getValue();
                    Map<String, Object> row = start(interval);
                    row.put("chart_id", k.get(0));
                    row.put("product_id", k.get(1));
                    row.put("rank", (Integer) k.get(2) < 0 ? null : k.get(2));
                    row.put("merchant", "".equals(k.get(3)) ? null : k.get(3));
                    row.put("device_class", k.get(4));
                    row.put("referrer_class", k.get(5));
                    row.put("campaign", k.get(6));
                    row.put("impressions", c.impressions);
                    row.put("clicks", c.clicks);
                    row.put("outbound_clicks", c.outbound);
                    row.put("ctr", ratio(c.clicks, c.impressions));
                    row.put("visitors", (long) c.visitors.size());
                    row.put("visitors_hll", sketch(c.visitors));
                    productRows.add(finish(row, runId, computedAt));
                });
        out.put(RollupTable.PRODUCT, productRows);

        List<Map<String, Object>> chartRows = new ArrayList<>();
        charts.forEach((chart, c) -> {
            Map<String, Object> row = start(interval);
            row.put("chart_id", chart);
            row.put("chart_impressions", c.chartImpressions);
            row.put("product_impressions", c.impressions);
            row.put("clicks", c.clicks);
            row.put("outbound_clicks", c.outbound);
            row.put("ctr", ratio(c.clicks, c.impressions));
            row.put("visitors", (long) c.visitors.size());
            row.put("visitors_hll", sketch(c.visitors));
            row.put("sessions", c.sessions);
            row.put("bounced_sessions", c.bounces);
            row.put("avg_session_ms", c.sessions == 0 ? null : (double) c.sessionMs / c.sessions);
            row.put("bot_events", c.bots);
            row.put("outbound_by_merchant", new LinkedHashMap<>(c.byMerchant));
            chartRows.add(finish(row, runId, computedAt));
        });
        out.put(RollupTable.CHART, chartRows);

        List<Map<String, Object>> funnelRows = new ArrayList<>();
        funnels.forEach((chart, bySession) -> {
            long[] reached = new long[4];
            for (Funnel f : bySession.values()) {
                int n = f.reached();
                for (int i = 0; i < n; i++) {
                    reached[i]++;
                }
            }
            Map<String, Object> row = start(interval);
            row.put("chart_id", chart);
            row.put("chart_seen", reached[0]);
            row.put("product_impression", reached[1]);
            row.put("product_click", reached[2]);
            row.put("outbound_click", reached[3]);
            row.put("impression_rate", ratio(reached[1], reached[0]));
            row.put("click_rate", ratio(reached[2], reached[1]));
            row.put("outbound_rate", ratio(reached[3], reached[2]));
            funnelRows.add(finish(row, runId, computedAt));
        });
        out.put(RollupTable.FUNNEL, funnelRows);

        List<Map<String, Object>> rankRows = new ArrayList<>();
        Map<String, Double> topCtr = new HashMap<>();
        ranks.entrySet().stream()
                .sorted((a, b) -> compare(a.getKey(), b.getKey()))
                .forEach(e -> {
                    String chart = (String) e.getKey().get(0);
                    long[] n = e.getValue();
                    Double ctr = ratio(n[1], n[0]);
                    // Sorted by rank within a chart: the first rank with impressions is the chart's top.
                    if (ctr != null) {
                        topCtr.putIfAbsent(chart, ctr);
                    }
                    Double top = topCtr.get(chart);
                    Map<String, Object> row = start(interval);
                    row.put("chart_id", chart);
                    row.put("rank", e.getKey().get(1));
                    row.put("impressions", n[0]);
                    row.put("clicks", n[1]);
                    row.put("outbound_clicks", n[2]);
                    row.put("ctr", ctr);
                    row.put("ctr_vs_top", ctr == null || top == null || top == 0 ? null : ctr / top);
                    rankRows.add(finish(row, runId, computedAt));
                });
        out.put(RollupTable.RANK_CTR, rankRows);
        return out;
    }

    /** The union of HLL sketches (rows' {@code visitors_hll}): distinct visitors over several rows or intervals. */
    public static long unionEstimate(List<byte[]> sketches) {
        Union union = new Union(MetricAggregate.LG_K);
        for (byte[] s : sketches) {
            union.update(HllSketch.heapify(s));
        }
        return Math.round(union.getEstimate());
    }

    // The sketch of a cell's visitors, fed in sorted order: the same visitors give the same bytes, whatever order the
    // lake's files were read in (a sketch's hash table, and its HIP estimate, depend on the order of updates).
    static byte[] sketch(Set<String> visitors) {
        HllSketch sketch = new HllSketch(MetricAggregate.LG_K);
        visitors.stream().sorted().forEach(sketch::update);
        return sketch.toCompactByteArray();
    }

    private static Map<String, Object> start(Interval interval) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("interval", interval.key());
        row.put("grain", interval.grain().label());
        row.put("interval_start", interval.start());
        row.put("interval_end", interval.end());
        return row;
    }

    private static Map<String, Object> finish(Map<String, Object> row, String runId, Instant computedAt) {
        row.put("computed_at", computedAt);
        row.put("run_id", runId);
        return row;
    }

    private static Double ratio(long numerator, long denominator) {
        return denominator == 0 ? null : (double) numerator / denominator;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(List<Object> a, List<Object> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = ((Comparable) a.get(i)).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
