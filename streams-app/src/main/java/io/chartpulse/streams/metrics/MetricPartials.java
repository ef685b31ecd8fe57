package io.chartpulse.streams.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Combines a task's metric inputs before the repartition by chart: per chart (or product) and one-minute window, one
 * {@link MetricPartial} holds what the task's events added since the last flush, and a flush forwards every pending
 * partial (oldest window first) to {@link ChartMetrics}, which merges them into its windows. A flush happens every
 * {@code flushEvery} of wall-clock time (how stale the live values may be) and whenever the task's stream time enters a
 * new minute (so a window's inputs are on their way as soon as its minute is over); so the repartition carries one
 * record per window and flush instead of one per input.
 *
 * <p>The pending partials are also in {@value #STORE} (logged, cached: written to the changelog once per commit),
 * each under its window's store key ({@link ChartMetrics#storeKey}), and deleted when forwarded: under exactly-once
 * a commit takes the inputs' offsets with the partials they made, and a restarted task forwards what was pending.
 * Each partial keeps the newest event time of its inputs, which a window's own inputs never make late downstream; the
 * oldest-first order keeps a flush from making its own older windows late.
 *
 * @param <V> the events, turned into metric inputs by the function given
 */
public final class MetricPartials<V> implements Processor<String, V, String, MetricPartial> {

    public static final String STORE = "chart-metric-partials";

    private static final Comparator<Map.Entry<String, MetricPartial>> OLDEST_WINDOW_FIRST = Comparator.comparing(
                    (Map.Entry<String, MetricPartial> e) -> windowStart(e.getKey()))
            .thenComparing(Map.Entry::getKey);

    private final Duration flushEvery;
    private final BiFunction<V, Integer, List<KeyValue<String, MetricInput>>> inputs;
    private ProcessorContext<String, MetricPartial> context;
    private KeyValueStore<String, MetricPartial> store;
    // The partials not yet forwarded, as objects (the store holds the same, serialized).
    private final Map<String, MetricPartial> pending = new HashMap<>();
    private long streamTime = Long.MIN_VALUE;
    private long flushedMinute = Long.MIN_VALUE;

    /**
     * @param inputs an event's metric inputs, keyed by {@code chart} or {@code chart|product}, given the event and
     *     its raw-topic partition
     */
    public MetricPartials(Duration flushEvery, BiFunction<V, Integer, List<KeyValue<String, MetricInput>>> inputs) {
        this.flushEvery = flushEvery;
        this.inputs = inputs;
    }

    @Override
    public void init(ProcessorContext<String, MetricPartial> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        pending.clear();
        streamTime = Long.MIN_VALUE;
        flushedMinute = Long.MIN_VALUE;
        try (KeyValueIterator<String, MetricPartial> all = store.all()) {
            all.forEachRemaining(kv -> {
                pending.put(kv.key, kv.value);
                streamTime = Math.max(streamTime, kv.value.newest());
            });
        }
        context.schedule(flushEvery, PunctuationType.WALL_CLOCK_TIME, wall -> flush());
    }

    @Override
    public void process(Record<String, V> record) {
        int partition = context.recordMetadata().map(RecordMetadata::partition).orElse(MetricInput.UNKNOWN_PARTITION);
        for (KeyValue<String, MetricInput> input : inputs.apply(record.value(), partition)) {
            long t = input.value.time();
            String key = ChartMetrics.storeKey(input.key, t - Math.floorMod(t, ChartMetrics.WINDOW_MS));
            MetricPartial partial = pending.get(key);
            if (partial == null) {
                partial = new MetricPartial(partition);
                pending.put(key, partial);
            }
            partial.add(input.value);
            store.put(key, partial);
            streamTime = Math.max(streamTime, t);
        }
        if (streamTime != Long.MIN_VALUE && Math.floorDiv(streamTime, ChartMetrics.WINDOW_MS) > flushedMinute) {
            flush();
        }
    }

    // Forwards every pending partial, oldest window first, keyed by its chart (or chart|product) for the repartition.
    private void flush() {
        if (streamTime != Long.MIN_VALUE) {
            flushedMinute = Math.floorDiv(streamTime, ChartMetrics.WINDOW_MS);
        }
        if (pending.isEmpty()) {
            return;
        }
        List<Map.Entry<String, MetricPartial>> due = new ArrayList<>(pending.entrySet());
        due.sort(OLDEST_WINDOW_FIRST);
        for (Map.Entry<String, MetricPartial> entry : due) {
            String key = entry.getKey();
            MetricPartial partial = entry.getValue();
            context.forward(
                    new Record<>(key.substring(0, key.lastIndexOf(ChartMetrics.SEPARATOR)), partial, partial.newest()));
            store.delete(key);
        }
        pending.clear();
    }

    private static long windowStart(String storeKey) {
        return Long.parseLong(storeKey.substring(storeKey.lastIndexOf(ChartMetrics.SEPARATOR) + 1));
    }
}
