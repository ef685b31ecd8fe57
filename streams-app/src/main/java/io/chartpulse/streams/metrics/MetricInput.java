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
 * @param kind what the event counts as
 * @param partition the upstream (raw topic) partition, or {@value #UNKNOWN_PARTITION}
 */
public record MetricInput(Kind kind, long time, String visitor, int partition) {

    public static final int UNKNOWN_PARTITION = -1;
    private static final int HAS_PARTITION = 0x80;

    /**
     * What an input counts as in its window, with the byte that stands for it on the repartition topic (fixed: records
     * written by an earlier version of the app must read the same).
     */
    public enum Kind {
        /** A chart impression (keyed by chart) or a product impression (keyed by product): one impression. */
        IMPRESSION('I'),
        /** A product click: one click. */
        PRODUCT_CLICK('C'),
        /** An outbound (deal) click: one click and one outbound click. */
        OUTBOUND_CLICK('O'),
        /**
         * A product impression seen from its chart's window: the visitor is counted among the chart's visitors, no
         * impression (the chart's impressions are its own chart-impression events).
         */
        VISIT('V');

        private final char code;

        Kind(char code) {
            this.code = code;
        }

        /** The byte on the repartition topic. */
        public char code() {
            return code;
        }

        /** The kind of {@code code}; an unknown byte is refused, naming it. */
        public static Kind of(char code) {
            for (Kind kind : values()) {
                if (kind.code == code) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("Unknown metric input kind '" + code + "' (0x"
                    + Integer.toHexString(code) + ") on the metrics repartition topic");
        }
    }

    /** An input of unknown upstream partition. */
    public MetricInput(Kind kind, long time, String visitor) {
        this(kind, time, visitor, UNKNOWN_PARTITION);
    }

    public static Serde<MetricInput> serde() {
        Serializer<MetricInput> serializer = (topic, m) -> {
            if (m == null) {
                return null;
            }
            byte[] visitor = m.visitor().getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(1 + 8 + 4 + visitor.length)
                    .put((byte) (m.kind().code() | HAS_PARTITION))
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
                    Kind.of((char) (first & ~HAS_PARTITION)),
                    time,
                    StandardCharsets.UTF_8.decode(buffer).toString(),
                    partition);
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
