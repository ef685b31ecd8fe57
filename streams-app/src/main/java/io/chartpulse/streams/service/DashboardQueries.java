package io.chartpulse.streams.service;

import io.chartpulse.streams.topology.MinuteCounts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What the dashboard asks of a chart, shaped from the per-minute rows every instance answers with (see
 * {@link ChartQueries#rows}): headline totals of a period, the per-minute series, the rank curve, deal clicks by
 * merchant, every product of the period. Pure functions of the merged rows, so the answer is the same whichever
 * instance was asked. The definitions (README, "Dashboard"):
 *
 * <ul>
 *   <li>impressions: chart impressions (the chart came into view); product impressions: rows that came into view;
 *   <li>clicks: product clicks plus outbound (deal) clicks; outbound clicks: deal clicks alone;
 *   <li>CTR: clicks / chart impressions (the chart's rows' CTR, as in the metrics endpoint), and for a product or a
 *       rank its clicks / its impressions;
 *   <li>events: chart impressions + product impressions + clicks of people (bots are left out of chart metrics).
 * </ul>
 */
final class DashboardQueries {

    static final long MINUTE_MS = 60_000;

    private DashboardQueries() {}

    private static long count(Map<String, Object> row, String field) {
        Object value = row.get(field);
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static long start(Map<String, Object> row) {
        return Instant.parse(row.get("window_start").toString()).toEpochMilli();
    }

    private static boolean isChartRow(Map<String, Object> row) {
        return row.get("product_id") == null;
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0.0 : (double) part / whole;
    }

    /** Totals of the rows with window start in [from, to); {@code visitors} as estimated by the caller's union. */
    static Map<String, Object> totals(List<Map<String, Object>> rows, long from, long to, long visitors) {
        long impressions = 0;
        long productImpressions = 0;
        long clicks = 0;
        long outbound = 0;
        for (Map<String, Object> row : rows) {
            long start = start(row);
            if (start < from || start >= to) {
                continue;
            }
            if (isChartRow(row)) {
                impressions += count(row, "impressions");
                clicks += count(row, "clicks");
                outbound += count(row, "outbound_clicks");
            } else {
                productImpressions += count(row, "impressions");
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", Instant.ofEpochMilli(from).toString());
        out.put("to", Instant.ofEpochMilli(to).toString());
        out.put("visitors", visitors);
        out.put("events", impressions + productImpressions + clicks);
        out.put("events_per_minute", (double) (impressions + productImpressions + clicks) / ((to - from) / MINUTE_MS));
        out.put("impressions", impressions);
        out.put("product_impressions", productImpressions);
        out.put("clicks", clicks);
        out.put("outbound_clicks", outbound);
        out.put("ctr", ratio(clicks, impressions));
        return out;
    }

    /** One entry per minute in [from, to), minutes without rows as zeros: the chart's own counts and product impressions. */
    static List<Map<String, Object>> series(List<Map<String, Object>> rows, long from, long to) {
        TreeMap<Long, long[]> minutes = new TreeMap<>();
        for (long m = from; m < to; m += MINUTE_MS) {
            minutes.put(m, new long[4]);
        }
        for (Map<String, Object> row : rows) {
            long[] c = minutes.get(start(row));
            if (c == null) {
                continue;
            }
            if (isChartRow(row)) {
                c[0] += count(row, "impressions");
                c[1] += count(row, "clicks");
                c[2] += count(row, "outbound_clicks");
            } else {
                c[3] += count(row, "impressions");
            }
        }
        List<Map<String, Object>> out = new ArrayList<>(minutes.size());
        minutes.forEach((minute, c) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("minute", Instant.ofEpochMilli(minute).toString());
            entry.put("impressions", c[0]);
            entry.put("clicks", c[1]);
            entry.put("outbound_clicks", c[2]);
            entry.put("product_impressions", c[3]);
            out.add(entry);
        });
        return out;
    }

    /** Product rows' impressions and clicks by the rank they were shown at, ascending: the rank-position CTR curve. */
    static List<Map<String, Object>> ranks(List<Map<String, Object>> rows) {
        return breakdown(
                rows,
                "ranks",
                "rank",
                key -> ((Number) key).intValue(),
                Comparator.comparingInt(e -> ((Number) e.get("rank")).intValue()));
    }

    /** Product rows' impressions and clicks by merchant, most deal clicks first. */
    static List<Map<String, Object>> merchants(List<Map<String, Object>> rows) {
        return breakdown(
                rows,
                "merchants",
                "merchant",
                Object::toString,
                Comparator.<Map<String, Object>>comparingLong(e -> count(e, "outbound_clicks"))
                        .reversed()
                        .thenComparing(e -> e.get("merchant").toString()));
    }

    private static List<Map<String, Object>> breakdown(
            List<Map<String, Object>> rows,
            String field,
            String name,
            Function<Object, Object> key,
            Comparator<Map<String, Object>> order) {
        Map<Object, long[]> totals = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            Object entries = row.get(field);
            if (!(entries instanceof List<?> list)) {
                continue;
            }
            for (Object item : list) {
                @SuppressWarnings("unchecked")
                Map<String, Object> entry = (Map<String, Object>) item;
                long[] t = totals.computeIfAbsent(key.apply(entry.get(name)), k -> new long[3]);
                t[0] += count(entry, "impressions");
                t[1] += count(entry, "clicks");
                t[2] += count(entry, "outbound_clicks");
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        totals.forEach((k, t) -> {
            Map<String, Object> entry = ChartQueries.breakdownEntry(name, k, t);
            entry.put("ctr", ratio(t[1], t[0]));
            out.add(entry);
        });
        out.sort(order);
        return out;
    }

    /** The pipeline's counts of [from, to) summed over the instances' minute rows (see {@link MinuteCounts#between}). */
    static Map<String, Object> pipeline(List<Object> minuteRows, long from, long to) {
        long[] sum = new long[MinuteCounts.Kind.values().length];
        for (Object item : minuteRows) {
            @SuppressWarnings("unchecked")
            Map<String, Object> row = (Map<String, Object>) item;
            long start = Instant.parse(row.get("minute").toString()).toEpochMilli();
            if (start < from || start >= to) {
                continue;
            }
            for (MinuteCounts.Kind kind : MinuteCounts.Kind.values()) {
                sum[kind.ordinal()] += count(row, field(kind));
            }
        }
        long valid = sum[MinuteCounts.Kind.VALID.ordinal()];
        long rejected = sum[MinuteCounts.Kind.REJECTED.ordinal()];
        long bots = sum[MinuteCounts.Kind.BOT.ordinal()];
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", Instant.ofEpochMilli(from).toString());
        out.put("to", Instant.ofEpochMilli(to).toString());
        for (MinuteCounts.Kind kind : MinuteCounts.Kind.values()) {
            out.put(field(kind), sum[kind.ordinal()]);
        }
        out.put("bot_share", ratio(bots, valid));
        out.put("invalid_share", ratio(rejected, valid + rejected));
        return out;
    }

    /** The JSON field of a kind of minute count: {@code valid}, {@code bot}, {@code duplicate}, {@code rejected}. */
    static String field(MinuteCounts.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** This instance's minute counts in [from, to) as JSON-ready rows. */
    static List<Map<String, Object>> minuteRows(MinuteCounts counts, long from, long to) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (long[] minute : counts.between(from, to)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("minute", Instant.ofEpochMilli(minute[0]).toString());
            for (MinuteCounts.Kind kind : MinuteCounts.Kind.values()) {
                row.put(field(kind), minute[1 + kind.ordinal()]);
            }
            out.add(row);
        }
        return out;
    }
}
