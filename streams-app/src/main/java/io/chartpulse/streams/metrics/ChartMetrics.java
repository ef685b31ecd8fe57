package io.chartpulse.streams.metrics;

import io.chartpulse.avro.ChartMetric;
import io.chartpulse.streams.time.DueIndex;
import io.chartpulse.streams.time.Watermark;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Step 6: per chart and per product, one-minute tumbling windows on derived time. Input is keyed by
 * {@code chart} or {@code chart|product} (after the repartition). Each window aggregates in
 * {@value #STORE} under {@code <key> NUL <window start>} — the live values interactive queries read — and is
 * emitted to {@code chart.metrics.minute.v1} once the watermark passes its end + grace, keyed
 * {@code chart|product|window start}; emitted windows stay in the store, queryable, for {@code retention}. As
 * for sessions, the wall clock advances the watermark on an idle partition ({@link Watermark}); inputs for
 * windows already emitted are counted as late.
 *
 * <p>Nothing here scans the store: windows not yet emitted are kept in a {@link DueIndex} by the time they fall
 * due, and expiry deletes, about once per minute of event time, each key's expired windows with a range read
 * ({@code <key> NUL 0…} to {@code <key> NUL <cutoff>}) over the keys that have windows in the store. Both are rebuilt
 * from the store when the processor starts.
 */
public final class ChartMetrics implements Processor<String, MetricInput, String, ChartMetric> {

    public static final String STORE = "chart-metrics-store";
    /**
     * Each upstream partition's watermark, stored with the windows so that a restart judges alike: its stream time
     * and the wall-clock time it was reached at (two longs).
     */
    public static final String WATERMARKS = "chart-metrics-watermarks";

    public static final long WINDOW_MS = Duration.ofMinutes(1).toMillis();
    static final String SEPARATOR = "\u0000";
    private static final String ZEROS = "0000000000000000000";

    private final Duration grace;
    private final Duration retention;
    private final Duration checkEvery;
    private final Runnable onLate;
    private final Consumer<ChartMetric> onEmit;
    private ProcessorContext<String, ChartMetric> context;
    private KeyValueStore<String, MetricAggregate> windows;
    private KeyValueStore<Integer, byte[]> storedMarks;
    // One watermark per upstream (raw topic) partition seen: a window is final once every one of them has passed
    // its end + grace, so a partition that lags (catching up, rebalanced) holds windows back instead of making its
    // events late.
    private final Map<Integer, Watermark> marks = new HashMap<>();
    private final DueIndex emitting = new DueIndex();
    // The windows not yet emitted, as objects: the same values as in the store (every change is put there too), kept
    // so that each input does not decode its window's sketch again. At most the windows within their grace.
    private final Map<String, MetricAggregate> live = new HashMap<>();
    // Each chart or chart|product key with windows in the store, and its newest window start.
    private final Map<String, Long> newestStart = new HashMap<>();
    private long expiredThrough = Long.MIN_VALUE;
    // No window in the store starts before this (a lower bound): expiry has nothing to do while the cutoff is older.
    private long oldestStart = Long.MAX_VALUE;

    /** @param onEmit told of every final window emitted (for the service's per-chart Prometheus counters) */
    public ChartMetrics(
            Duration grace, Duration retention, Duration checkEvery, Runnable onLate, Consumer<ChartMetric> onEmit) {
        this.onEmit = onEmit;
        this.grace = grace;
        this.retention = retention;
        this.checkEvery = checkEvery;
        this.onLate = onLate;
    }

    @Override
    public void init(ProcessorContext<String, ChartMetric> context) {
        this.context = context;
        this.windows = context.getStateStore(STORE);
        this.storedMarks = context.getStateStore(WATERMARKS);
        marks.clear();
        // Stream times as stored, idle from now: the time the app was down is not quiet time. A crashed instance
        // cannot know what reached a partition meanwhile, and crediting the downtime let the first punctuation close
        // windows whose events were still waiting in the backlog, making them late (seen in the fault run: a streams
        // kill -9 lost about 3 % of a minute's impressions to "late"). The cost: a partition that really was quiet
        // holds windows back once more, for at most a window plus grace after the restart.
        long restoredAt = context.currentSystemTimeMs();
        try (KeyValueIterator<Integer, byte[]> all = storedMarks.all()) {
            all.forEachRemaining(kv -> {
                ByteBuffer mark = ByteBuffer.wrap(kv.value);
                watermark(kv.key).restore(mark.getLong(), restoredAt);
            });
        }
        emitting.clear();
        live.clear();
        newestStart.clear();
        expiredThrough = Long.MIN_VALUE;
        oldestStart = Long.MAX_VALUE;
        try (KeyValueIterator<String, MetricAggregate> all = windows.all()) {
            all.forEachRemaining(kv -> {
                int sep = kv.key.lastIndexOf(SEPARATOR);
                long start = Long.parseLong(kv.key.substring(sep + 1));
                newestStart.merge(kv.key.substring(0, sep), start, Math::max);
                oldestStart = Math.min(oldestStart, start);
                if (!kv.value.emitted()) {
                    emitting.set(kv.key, start + WINDOW_MS + grace.toMillis());
                }
            });
        }
        context.schedule(checkEvery, PunctuationType.WALL_CLOCK_TIME, wall -> {
            if (!marks.isEmpty()) {
                closeUpTo(watermark(wall, null));
            }
        });
    }

    @Override
    public void process(Record<String, MetricInput> record) {
        long t = record.value().time();
        long wall = context.currentSystemTimeMs();
        Integer partition = record.value().partition();
        if (watermark(partition).observe(t, wall)) {
            storedMarks.put(
                    partition, ByteBuffer.allocate(16).putLong(t).putLong(wall).array());
        }
        long streamTime = watermark(wall, partition);
        long start = t - Math.floorMod(t, WINDOW_MS);
        String key = storeKey(record.key(), start);
        MetricAggregate aggregate = live.get(key);
        if (aggregate == null) {
            aggregate = windows.get(key);
            if (aggregate != null && aggregate.emitted()) {
                // Final means final: a window once emitted (by event time or by the idle wall clock) never changes
                // again; the event is counted as late, overall and in the window's own late count.
                late(key, aggregate);
                return;
            }
            if (aggregate != null) {
                live.put(key, aggregate);
            }
        }
        if (aggregate == null && start + WINDOW_MS + grace.toMillis() <= streamTime) {
            late(key, null);
            return;
        }
        if (aggregate == null) {
            aggregate = new MetricAggregate();
            live.put(key, aggregate);
            emitting.set(key, start + WINDOW_MS + grace.toMillis());
            newestStart.merge(record.key(), start, Math::max);
            oldestStart = Math.min(oldestStart, start);
        }
        aggregate.add(record.value());
        windows.put(key, aggregate);
        if (emitting.earliest() <= streamTime || expiryDue(streamTime)) {
            closeUpTo(streamTime);
        }
    }

    private Watermark watermark(Integer partition) {
        return marks.computeIfAbsent(partition, p -> new Watermark());
    }

    // The watermark of the windows: the least over the upstream partitions seen of each one's stream time, advanced
    // by the wall clock while that partition is idle (except for the partition of the input in hand, whose stream
    // time is taken as it is, as a single-partition watermark would be).
    private long watermark(long wall, Integer current) {
        long least = Long.MAX_VALUE;
        for (Map.Entry<Integer, Watermark> mark : marks.entrySet()) {
            Watermark w = mark.getValue();
            least = Math.min(least, mark.getKey().equals(current) ? w.streamTime() : w.idle(wall));
        }
        return least;
    }

    private void late(String key, MetricAggregate emitted) {
        onLate.run();
        if (emitted != null) {
            emitted.late++;
            windows.put(key, emitted);
        }
    }

    /** The store key of a chart's or product's window: {@code chart[|product] NUL start} (start zero-padded). */
    public static String storeKey(String group, long start) {
        String digits = Long.toString(Math.max(0, start));
        return group + SEPARATOR + ZEROS.substring(digits.length()) + digits;
    }

    // Emits the windows due by upTo, then deletes expired ones.
    private void closeUpTo(long upTo) {
        for (String key : emitting.pollDue(upTo)) {
            MetricAggregate aggregate = live.remove(key);
            if (aggregate == null) {
                aggregate = windows.get(key);
            }
            if (aggregate == null || aggregate.emitted()) {
                continue;
            }
            aggregate.emitted = true;
            windows.put(key, aggregate);
            ChartMetric metric = toMetric(key, aggregate);
            context.forward(new Record<>(
                    MetricKeys.outputKey(
                            metric.getChartId(),
                            metric.getProductId(),
                            metric.getWindowStart().toEpochMilli()),
                    metric,
                    metric.getWindowEnd().toEpochMilli()));
            onEmit.accept(metric);
        }
        if (expiryDue(upTo)) {
            expire(upTo - WINDOW_MS - retention.toMillis());
        }
    }

    // Expiry runs when the cutoff (the newest start that has expired) reached the oldest window and moved a window
    // on since the last run.
    private boolean expiryDue(long upTo) {
        long cutoff = upTo - WINDOW_MS - retention.toMillis();
        return cutoff >= oldestStart && cutoff >= expiredThrough + WINDOW_MS;
    }

    // Deletes every window starting at or before cutoff, key by key; forgets keys left without windows.
    private void expire(long cutoff) {
        expiredThrough = cutoff;
        oldestStart = cutoff + 1;
        List<String> expired = new ArrayList<>();
        for (Iterator<Map.Entry<String, Long>> groups = newestStart.entrySet().iterator(); groups.hasNext(); ) {
            Map.Entry<String, Long> group = groups.next();
            try (KeyValueIterator<String, MetricAggregate> old =
                    windows.range(storeKey(group.getKey(), 0), storeKey(group.getKey(), Math.max(0, cutoff)))) {
                old.forEachRemaining(kv -> expired.add(kv.key));
            }
            if (group.getValue() <= cutoff) {
                groups.remove();
            }
        }
        expired.forEach(key -> {
            windows.delete(key);
            emitting.remove(key);
            live.remove(key);
        });
    }

    @Override
    public void close() {
        live.clear();
    }

    /** The metric record of a stored window: key {@code group NUL start} (see {@link MetricKeys#group}). */
    public static ChartMetric toMetric(String storeKey, MetricAggregate a) {
        int sep = storeKey.lastIndexOf(SEPARATOR);
        String[] group = MetricKeys.parseGroup(storeKey.substring(0, sep));
        long start = Long.parseLong(storeKey.substring(sep + 1));
        return ChartMetric.newBuilder()
                .setChartId(group[0])
                .setProductId(group[1])
                .setWindowStart(Instant.ofEpochMilli(start))
                .setWindowEnd(Instant.ofEpochMilli(start + WINDOW_MS))
                .setImpressions(a.impressions())
                .setClicks(a.clicks())
                .setOutboundClicks(a.outboundClicks())
                .setCtr(a.ctr())
                .setUniqueVisitors(a.uniqueVisitors())
                .setUniqueVisitorsRse(MetricAggregate.RSE)
                .build();
    }
}
