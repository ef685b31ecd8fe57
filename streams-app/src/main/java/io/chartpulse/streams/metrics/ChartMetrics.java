package io.chartpulse.streams.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.chartpulse.avro.ChartMetric;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import io.chartpulse.streams.time.Watermark;

/**
 * Step 6: per chart and per product, one-minute tumbling windows on derived time. Input is keyed by
 * {@code chart} or {@code chart|product} (after the repartition). Each window aggregates in
 * {@value #STORE} under {@code <key> NUL <window start>} — the live values interactive queries read — and is
 * emitted to {@code chart.metrics.minute.v1} once the watermark passes its end + grace, keyed
 * {@code chart|product|window start}; emitted windows stay in the store, queryable, for {@code retention}. As
 * for sessions, the wall clock advances the watermark on an idle partition ({@link Watermark}); inputs for
 * windows already emitted are counted as late.
 */
public final class ChartMetrics implements Processor<String, MetricInput, String, ChartMetric> {

    public static final String STORE = "chart-metrics-store";
    public static final long WINDOW_MS = Duration.ofMinutes(1).toMillis();
    static final String SEPARATOR = "\u0000";

    private final Duration grace;
    private final Duration retention;
    private final Duration checkEvery;
    private final Runnable onLate;
    private final java.util.function.Consumer<ChartMetric> onEmit;
    private ProcessorContext<String, ChartMetric> context;
    private KeyValueStore<String, MetricAggregate> windows;
    private final Watermark watermark;

    /** @param onEmit told of every final window emitted (for the service's per-chart Prometheus counters) */
    public ChartMetrics(Duration grace, Duration retention, Duration checkEvery, Runnable onLate,
                        java.util.function.Consumer<ChartMetric> onEmit) {
        this.onEmit = onEmit;
        this.grace = grace;
        this.retention = retention;
        this.checkEvery = checkEvery;
        this.onLate = onLate;
        this.watermark = new Watermark(checkEvery);
    }

    @Override
    public void init(ProcessorContext<String, ChartMetric> context) {
        this.context = context;
        this.windows = context.getStateStore(STORE);
        context.schedule(checkEvery, PunctuationType.WALL_CLOCK_TIME, wall -> {
            if (watermark.streamTime() != Long.MIN_VALUE) {
                closeUpTo(watermark.idle(wall));
            }
        });
    }

    @Override
    public void process(Record<String, MetricInput> record) {
        long t = record.value().time();
        long wall = context.currentSystemTimeMs();
        watermark.observe(t, wall);
        long streamTime = watermark.streamTime();
        long start = t - Math.floorMod(t, WINDOW_MS);
        if (start + WINDOW_MS + grace.toMillis() <= streamTime) {
            onLate.run();
            return;
        }
        String key = record.key() + SEPARATOR + String.format("%019d", start);
        MetricAggregate aggregate = windows.get(key);
        if (aggregate == null) {
            aggregate = new MetricAggregate();
        }
        aggregate.add(record.value());
        windows.put(key, aggregate);
        if (watermark.scanDue(wall)) {
            closeUpTo(streamTime);
        }
    }

    private void closeUpTo(long upTo) {
        List<KeyValue<String, MetricAggregate>> due = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, MetricAggregate> all = windows.all()) {
            all.forEachRemaining(kv -> {
                long start = Long.parseLong(kv.key.substring(kv.key.lastIndexOf(SEPARATOR) + 1));
                if (start + WINDOW_MS + retention.toMillis() <= upTo) {
                    expired.add(kv.key);
                } else if (!kv.value.emitted() && start + WINDOW_MS + grace.toMillis() <= upTo) {
                    due.add(kv);
                }
            });
        }
        expired.forEach(windows::delete);
        for (KeyValue<String, MetricAggregate> kv : due) {
            kv.value.emitted = true;
            windows.put(kv.key, kv.value);
            ChartMetric metric = toMetric(kv.key, kv.value);
            String product = metric.getProductId() == null ? "" : metric.getProductId();
            context.forward(new Record<>(metric.getChartId() + "|" + product + "|" + metric.getWindowStart().toEpochMilli(),
                    metric, metric.getWindowEnd().toEpochMilli()));
            onEmit.accept(metric);
        }
    }

    /** The metric record of a stored window: key {@code chart[|product] NUL start}. */
    public static ChartMetric toMetric(String storeKey, MetricAggregate a) {
        int sep = storeKey.lastIndexOf(SEPARATOR);
        String group = storeKey.substring(0, sep);
        long start = Long.parseLong(storeKey.substring(sep + 1));
        int bar = group.indexOf('|');
        return ChartMetric.newBuilder()
                .setChartId(bar < 0 ? group : group.substring(0, bar))
                .setProductId(bar < 0 ? null : group.substring(bar + 1))
                .setWindowStart(Instant.ofEpochMilli(start)).setWindowEnd(Instant.ofEpochMilli(start + WINDOW_MS))
                .setImpressions(a.impressions()).setClicks(a.clicks()).setOutboundClicks(a.outboundClicks())
                .setCtr(a.ctr()).setUniqueVisitors(a.uniqueVisitors()).setUniqueVisitorsRse(MetricAggregate.RSE).build();
    }
}
