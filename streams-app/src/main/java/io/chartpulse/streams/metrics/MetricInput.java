package io.chartpulse.streams.metrics;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What chart metrics need of an event, re-keyed by chart (and product) for the repartition: its kind, its
 * derived time, the visitor, and the raw-topic partition it came from (each upstream partition keeps its own
 * watermark, see {@link ChartMetrics}), and for a product's input the row's rank and merchant as shown (the dashboard's
 * rank curve and deal clicks by merchant). A compact private format on the internal repartition topic only: the kind
 * byte (an upper-case letter), with its high bit set when the partition follows and bit 0x20 (lower case) when the
 * rank and merchant follow it; the time; the partition; the rank ({@link Integer#MIN_VALUE} for none), the
 * merchant's UTF-8 length as a short (-1 for none) and its bytes; then the visitor. Records written before
 * partitions, or ranks, were carried read as partition {@value #UNKNOWN_PARTITION}, or with no rank and merchant.
 *
 * @param kind what the event counts as
 * @param partition the upstream (raw topic) partition, or {@value #UNKNOWN_PARTITION}
 * @param rank the product row's 1-based position as shown, or null (chart inputs, rows without one)
 * @param merchant the merchant shown on the product row, or null
 */
public record MetricInput(Kind kind, long time, String visitor, int partition, Integer rank, String merchant) {

    public static final int UNKNOWN_PARTITION = -1;
    private static final int HAS_PARTITION = 0x80;
    private static final int HAS_ROW = 0x20;
    private static final int NO_RANK = Integer.MIN_VALUE;
    // A merchant name longer than this (in UTF-8 bytes) is cut: it is a label on a dashboard, not a key.
    static final int MAX_MERCHANT_BYTES = 256;

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

    /** An input without a product row's rank and merchant (a chart's). */
    public MetricInput(Kind kind, long time, String visitor, int partition) {
        this(kind, time, visitor, partition, null, null);
    }

    public static Serde<MetricInput> serde() {
        Serializer<MetricInput> serializer = (topic, m) -> {
            if (m == null) {
                return null;
            }
            byte[] visitor = m.visitor().getBytes(StandardCharsets.UTF_8);
            boolean row = m.rank() != null || m.merchant() != null;
            byte[] merchant = m.merchant() == null ? null : merchantBytes(m.merchant());
            ByteBuffer buffer = ByteBuffer.allocate(
                            1 + 8 + 4 + (row ? 4 + 2 + (merchant == null ? 0 : merchant.length) : 0) + visitor.length)
                    .put((byte) (m.kind().code() | HAS_PARTITION | (row ? HAS_ROW : 0)))
                    .putLong(m.time())
                    .putInt(m.partition());
            if (row) {
                buffer.putInt(m.rank() == null ? NO_RANK : m.rank());
                buffer.putShort((short) (merchant == null ? -1 : merchant.length));
                if (merchant != null) {
                    buffer.put(merchant);
                }
            }
            return buffer.put(visitor).array();
        };
        Deserializer<MetricInput> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            int first = buffer.get() & 0xFF;
            long time = buffer.getLong();
            int partition = (first & HAS_PARTITION) != 0 ? buffer.getInt() : UNKNOWN_PARTITION;
            Integer rank = null;
            String merchant = null;
            if ((first & HAS_ROW) != 0) {
                int r = buffer.getInt();
                rank = r == NO_RANK ? null : r;
                int length = buffer.getShort();
                if (length >= 0) {
                    byte[] name = new byte[length];
                    buffer.get(name);
                    merchant = new String(name, StandardCharsets.UTF_8);
                }
            }
            return new MetricInput(
                    Kind.of((char) (first & ~(HAS_PARTITION | HAS_ROW))),
                    time,
                    StandardCharsets.UTF_8.decode(buffer).toString(),
                    partition,
                    rank,
                    merchant);
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    // The merchant's UTF-8 bytes, cut to MAX_MERCHANT_BYTES on a character boundary.
    private static byte[] merchantBytes(String merchant) {
        byte[] bytes = merchant.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_MERCHANT_BYTES) {
            return bytes;
        }
        int end = MAX_MERCHANT_BYTES;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--; // do not split a multi-byte character
        }
        return Arrays.copyOf(bytes, end);
    }
}
