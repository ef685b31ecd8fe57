package io.chartpulse.streams.metrics;

import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Part of one chart's (or product's) window, combined before the repartition by chart ({@link MetricPartials}): the
 * window's counts, breakdowns and visitor sketch over some of its inputs, the raw-topic partition they came from, the
 * newest event time among them (what the per-partition watermark of {@link ChartMetrics} advances by) and how many
 * inputs it holds (counted as late together when its window is already final). Mutable while it is pending.
 *
 * <p>On the repartition topic and in the partials store: the byte {@value #FORMAT}, the partition (int), the newest
 * time (long), the input count (long), then the aggregate as {@link MetricAggregate#serde()} writes it. A record of
 * the earlier one-input-per-record format ({@link MetricInput}, first byte an upper-case letter with or without flags —
 * never {@value #FORMAT}) reads as a partial of that one input, so records in flight at an upgrade are counted.
 */
public final class MetricPartial {

    /** The first byte of a partial's record. */
    static final byte FORMAT = 0x01;

    private static final Serde<MetricAggregate> AGGREGATE = MetricAggregate.serde();
    private static final Serde<MetricInput> INPUT = MetricInput.serde();

    private final int partition;
    private long newest;
    private long inputs;
    private final MetricAggregate aggregate;

    /** An empty partial of inputs from {@code partition} (or {@link MetricInput#UNKNOWN_PARTITION}). */
    public MetricPartial(int partition) {
        this(partition, Long.MIN_VALUE, 0, new MetricAggregate());
    }

    private MetricPartial(int partition, long newest, long inputs, MetricAggregate aggregate) {
        this.partition = partition;
        this.newest = newest;
        this.inputs = inputs;
        this.aggregate = aggregate;
    }

    /** A partial of the one input {@code input}, of the input's partition. */
    public static MetricPartial of(MetricInput input) {
        MetricPartial partial = new MetricPartial(input.partition());
        partial.add(input);
        return partial;
    }

    /** Adds an input of this partial's window and partition. */
    public void add(MetricInput input) {
        aggregate.add(input);
        inputs++;
        newest = Math.max(newest, input.time());
    }

    /** The raw-topic partition the inputs came from. */
    public int partition() {
        return partition;
    }

    /** The newest event time among the inputs; {@link Long#MIN_VALUE} for none. */
    public long newest() {
        return newest;
    }

    /** How many inputs were combined. */
    public long inputs() {
        return inputs;
    }

    /** The inputs combined, as a window's aggregate (never emitted, no late count). */
    public MetricAggregate aggregate() {
        return aggregate;
    }

    public static Serde<MetricPartial> serde() {
        Serializer<MetricPartial> serializer = (topic, p) -> {
            if (p == null) {
                return null;
            }
            byte[] aggregate = AGGREGATE.serializer().serialize(topic, p.aggregate);
            return ByteBuffer.allocate(1 + 4 + 8 + 8 + aggregate.length)
                    .put(FORMAT)
                    .putInt(p.partition)
                    .putLong(p.newest)
                    .putLong(p.inputs)
                    .put(aggregate)
                    .array();
        };
        Deserializer<MetricPartial> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length == 0 || bytes[0] != FORMAT) {
                return of(INPUT.deserializer().deserialize(topic, bytes));
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            buffer.get();
            int partition = buffer.getInt();
            long newest = buffer.getLong();
            long inputs = buffer.getLong();
            byte[] aggregate = new byte[buffer.remaining()];
            buffer.get(aggregate);
            return new MetricPartial(
                    partition, newest, inputs, AGGREGATE.deserializer().deserialize(topic, aggregate));
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
