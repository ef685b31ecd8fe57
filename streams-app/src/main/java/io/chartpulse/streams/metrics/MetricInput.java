package io.chartpulse.streams.metrics;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What chart metrics need of an event, re-keyed by chart (and product) for the repartition: its kind, its
 * derived time, the visitor, and the raw-topic partition it came from (each upstream partition keeps its own
 * watermark, see {@link ChartMetrics}). A compact private format on the internal repartition topic only: the kind
 * byte, with its high bit set when the partition follows, the time, the partition, then the visitor. Records
 * written before partitions were carried read as partition {@value #UNKNOWN_PARTITION}.
 *
 * @param kind 'I' impression, 'C' product click, 'O' outbound click
 * @param partition the upstream (raw topic) partition, or {@value #UNKNOWN_PARTITION}
 */
public record MetricInput(char kind, long time, String visitor, int partition) {

    public static final int UNKNOWN_PARTITION = -1;
    private static final int HAS_PARTITION = 0x80;

    /** An input of unknown upstream partition. */
    public MetricInput(char kind, long time, String visitor) {
        this(kind, time, visitor, UNKNOWN_PARTITION);
    }

    public static Serde<MetricInput> serde() {
        Serializer<MetricInput> serializer = (topic, m) -> {
            if (m == null) {
                return null;
            }
            byte[] visitor = m.visitor().getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(1 + 8 + 4 + visitor.length)
                    .put((byte) (m.kind() | HAS_PARTITION))
                    .putLong(m.time())
                    .putInt(m.partition())
                    .put(visitor)
                    .array();
        };
        Deserializer<MetricInput> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            int first = buffer.get() & 0xFF;
            long time = buffer.getLong();
            int partition = (first & HAS_PARTITION) != 0 ? buffer.getInt() : UNKNOWN_PARTITION;
            return new MetricInput(
                    (char) (first & ~HAS_PARTITION),
                    time,
                    StandardCharsets.UTF_8.decode(buffer).toString(),
                    partition);
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
