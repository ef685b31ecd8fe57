package io.chartpulse.streams.service;

import io.chartpulse.avro.ChartMetric;
import io.chartpulse.streams.metrics.ChartMetrics;
import io.chartpulse.streams.metrics.MetricAggregate;
import io.chartpulse.streams.metrics.MetricKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.Union;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads this instance's part of the chart-metrics store: per-minute rows of one chart (its own row and its
 * products'), in a time range. Rows of one chart may live on several instances (chart and product keys are
 * partitioned apart), so the HTTP layer asks every instance and merges.
 */
final class ChartQueries {

    private final KafkaStreams streams;

    ChartQueries(KafkaStreams streams) {
        this.streams = streams;
    }

    /**
     * Rows of {@code chart} with window start in [from, to), as JSON-ready maps. Two range reads, no scan: the chart's
     * own rows are keyed {@code chart NUL start} and its products' {@code chart|product NUL start}, so they sort
     * between {@code chart|} and {@code chart}} (the character after {@code |}).
     */
    List<Map<String, Object>> rows(String chart, long from, long to) {
        List<Map<String, Object>> rows = new ArrayList<>();
        if (from >= to) {
            return rows;
        }
        BiConsumer<String, MetricAggregate> add = (key, aggregate) -> {
            ChartMetric m = ChartMetrics.toMetric(key, aggregate);
            long start = m.getWindowStart().toEpochMilli();
            if (m.getChartId().equals(chart) && start >= from && start < to) {
                Map<String, Object> row = row(m, aggregate.emitted(), aggregate.late());
                if (m.getProductId() != null) {
                    row.put("ranks", breakdown("rank", aggregate.byRank()));
                    row.put("merchants", breakdown("merchant", aggregate.byMerchant()));
                }
                rows.add(row);
            }
        };
        String group = MetricKeys.group(chart, null);
        range(ChartMetrics.storeKey(group, Math.max(0, from)), ChartMetrics.storeKey(group, Math.max(0, to - 1)), add);
        range(group + "|", group + "}", add);
        return rows;
    }

    /**
     * The union of the visitor sketches of {@code chart}'s own windows (not its products') with start in [from, to),
     * as base64 of the compact sketch — empty when this instance holds none of them. The chart's own windows all
     * live on the instance its key partitions to, but a rebalance can leave some on another; a union of the answers
     * is right either way.
     */
    List<String> visitors(String chart, long from, long to) {
        if (from >= to) {
            return List.of();
        }
        Union union = new Union(MetricAggregate.LG_K);
        boolean[] any = {false};
        String group = MetricKeys.group(chart, null);
        range(
                ChartMetrics.storeKey(group, Math.max(0, from)),
                ChartMetrics.storeKey(group, Math.max(0, to - 1)),
                (k, a) -> {
                    union.update(HllSketch.heapify(a.visitorSketch()));
                    any[0] = true;
                });
        return any[0]
                ? List.of(Base64.getEncoder().encodeToString(union.getResult().toCompactByteArray()))
                : List.of();
    }

    /** The estimated distinct visitors of the union of base64 sketches (as {@link #visitors} returns them). */
    static long unionEstimate(List<?> sketches) {
        Union union = new Union(MetricAggregate.LG_K);
        for (Object sketch : sketches) {
            union.update(HllSketch.heapify(Base64.getDecoder().decode(sketch.toString())));
        }
        return Math.round(union.getEstimate());
    }

    private static <K> List<Map<String, Object>> breakdown(String name, Map<K, long[]> counts) {
        List<Map<String, Object>> out = new ArrayList<>(counts.size());
        counts.forEach((key, c) -> out.add(breakdownEntry(name, key, c)));
        return out;
    }

    /**
     * One entry of a rank or merchant breakdown, as every endpoint answers it: {@code name: key} and the counts
     * {@code c} = [impressions, clicks, outbound clicks].
     */
    static Map<String, Object> breakdownEntry(String name, Object key, long[] c) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put(name, key);
        entry.put("impressions", c[0]);
        entry.put("clicks", c[1]);
        entry.put("outbound_clicks", c[2]);
        return entry;
    }

    /** Charts with a window in [from, to). */
    List<String> charts(long from, long to) {
        TreeSet<String> charts = new TreeSet<>();
        forEach((key, aggregate) -> {
            ChartMetric m = ChartMetrics.toMetric(key, aggregate);
            long start = m.getWindowStart().toEpochMilli();
            if (start >= from && start < to) {
                charts.add(m.getChartId());
            }
        });
        return new ArrayList<>(charts);
    }

    private void range(String from, String to, BiConsumer<String, MetricAggregate> action) {
        try (KeyValueIterator<String, MetricAggregate> range = store().range(from, to)) {
            while (range.hasNext()) {
                KeyValue<String, MetricAggregate> kv = range.next();
                action.accept(kv.key, kv.value);
            }
        }
    }

    private ReadOnlyKeyValueStore<String, MetricAggregate> store() {
        return streams.store(StoreQueryParameters.fromNameAndType(
                ChartMetrics.STORE, QueryableStoreTypes.<String, MetricAggregate>keyValueStore()));
    }

    private void forEach(BiConsumer<String, MetricAggregate> action) {
        ReadOnlyKeyValueStore<String, MetricAggregate> store = store();
        try (KeyValueIterator<String, MetricAggregate> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, MetricAggregate> kv = all.next();
                action.accept(kv.key, kv.value);
            }
        }
    }

    static Map<String, Object> row(ChartMetric m, boolean emitted, long late) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("chart_id", m.getChartId());
        row.put("product_id", m.getProductId());
        row.put("window_start", m.getWindowStart().toString());
        row.put("window_end", m.getWindowEnd().toString());
        row.put("impressions", m.getImpressions());
        row.put("clicks", m.getClicks());
        row.put("outbound_clicks", m.getOutboundClicks());
        row.put("ctr", m.getCtr());
        row.put("unique_visitors", m.getUniqueVisitors());
        row.put("final", emitted);
        row.put("late", late);
        return row;
    }

    /**
     * Products of a chart summed over the rows given, best first by {@code by} (one of {@link #PRODUCT_ORDERS}).
     * Unique visitors are not summed (sketches are per window), so the ranking uses counts only.
     */
    static final List<String> PRODUCT_ORDERS = List.of("ctr", "clicks", "outbound_clicks", "impressions");

    static List<Map<String, Object>> topProducts(List<Map<String, Object>> rows, String by, int limit) {
        Map<String, long[]> totals = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            Object product = row.get("product_id");
            if (product == null) {
                continue;
            }
            long[] t = totals.computeIfAbsent(product.toString(), p -> new long[3]);
            t[0] += ((Number) row.get("impressions")).longValue();
            t[1] += ((Number) row.get("clicks")).longValue();
            t[2] += ((Number) row.get("outbound_clicks")).longValue();
        }
        List<Map<String, Object>> out = new ArrayList<>();
        totals.forEach((product, t) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("product_id", product);
            row.put("impressions", t[0]);
            row.put("clicks", t[1]);
            row.put("outbound_clicks", t[2]);
            row.put("ctr", t[0] == 0 ? 0.0 : (double) t[1] / t[0]);
            out.add(row);
        });
        Comparator<Map<String, Object>> order = "ctr".equals(by)
                ? Comparator.comparing(r -> ((Number) r.get("ctr")).doubleValue())
                : Comparator.comparing(r -> ((Number) r.get(by)).longValue());
        out.sort(order.reversed().thenComparing(r -> r.get("product_id").toString()));
        return out.subList(0, Math.min(limit, out.size()));
    }

    /** Epoch milliseconds or ISO-8601. */
    static long time(String text, long fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException notMillis) {
            return Instant.parse(text).toEpochMilli();
        }
    }
}
