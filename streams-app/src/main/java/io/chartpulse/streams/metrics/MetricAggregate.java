package io.chartpulse.streams.metrics;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.apache.datasketches.hll.HllSketch;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One chart's (or product's) engagement in one window: counts and a HyperLogLog sketch of visitors
 * (lg K = 12: relative standard error about 1.6 %, 2.5 KB at most). A product's window also keeps its counts by the
 * rank the row was shown at and by the merchant shown on it — usually one of each, a few when the chart was re-sorted
 * or the cheapest deal changed within the minute; past {@value #MAX_BREAKDOWN} distinct values the rest are counted
 * under {@link #OTHER_RANK} / {@link #OTHER_MERCHANT}, so an aggregate stays small whatever the input. Mutable; kept
 * serialized in the store.
 */
public final class MetricAggregate {

    public static final int LG_K = 12;
    /** Relative standard error of the HLL estimate at {@link #LG_K}: 1.04 / sqrt(2^lgK). */
    public static final double RSE = 1.04 / Math.sqrt(1 << LG_K);

    /** Distinct ranks, and merchants, a window keeps apart before it counts the rest together. */
    public static final int MAX_BREAKDOWN = 16;
    /** The rank the counts of ranks past {@link #MAX_BREAKDOWN} are kept under (real ranks start at 1). */
    public static final int OTHER_RANK = 0;
    /** The merchant the counts of merchants past {@link #MAX_BREAKDOWN} are kept under. */
    public static final String OTHER_MERCHANT = "(other)";

    long impressions;
    long clicks;
    long outboundClicks;
    boolean emitted;
    // Inputs that came after the window was emitted: counted, never added (a final window does not change).
    long late;
    final HllSketch visitors;
    // rank -> impressions, clicks, outbound clicks; merchant -> the same. Empty for a chart's windows.
    private final TreeMap<Integer, long[]> ranks = new TreeMap<>();
    private final TreeMap<String, long[]> merchants = new TreeMap<>();

    public MetricAggregate() {
        this(0, 0, 0, false, 0, new HllSketch(LG_K));
    }

    private MetricAggregate(
            long impressions, long clicks, long outboundClicks, boolean emitted, long late, HllSketch visitors) {
        this.impressions = impressions;
        this.clicks = clicks;
        this.outboundClicks = outboundClicks;
        this.emitted = emitted;
        this.late = late;
        this.visitors = visitors;
    }

    /** Inputs for this window that arrived after it was emitted, left out of its counts. */
    public long late() {
        return late;
    }

    /** True once the window's final value went to the metrics topic; it stays queryable until retention ends. */
    public boolean emitted() {
        return emitted;
    }

    public void add(MetricInput input) {
        switch (input.kind()) {
            case IMPRESSION -> impressions++;
            case PRODUCT_CLICK -> clicks++;
            case OUTBOUND_CLICK -> {
                clicks++;
                outboundClicks++;
            }
            case VISIT -> {
                // counted among the visitors only
            }
        }
        visitors.update(input.visitor());
        if (input.rank() != null) {
            count(ranks, input, input.rank(), OTHER_RANK);
        }
        if (input.merchant() != null) {
            count(merchants, input, input.merchant(), OTHER_MERCHANT);
        }
    }

    private static <K> void count(TreeMap<K, long[]> breakdown, MetricInput input, K key, K other) {
        long[] counts = breakdown.get(key);
        if (counts == null) {
            counts = breakdown.computeIfAbsent(breakdown.size() < MAX_BREAKDOWN ? key : other, k -> new long[3]);
        }
        switch (input.kind()) {
            case IMPRESSION -> counts[0]++;
            case PRODUCT_CLICK -> counts[1]++;
            case OUTBOUND_CLICK -> {
                counts[1]++;
                counts[2]++;
            }
            case VISIT -> {
                // a chart's input; carries no row
            }
        }
    }

    /** Impressions, clicks and outbound clicks by the rank the row was shown at (ascending; a product's window). */
    public Map<Integer, long[]> byRank() {
        return Collections.unmodifiableMap(ranks);
    }

    /** Impressions, clicks and outbound clicks by the merchant shown on the row (a product's window). */
    public Map<String, long[]> byMerchant() {
        return Collections.unmodifiableMap(merchants);
    }

    public long impressions() {
        return impressions;
    }

    public long clicks() {
        return clicks;
    }

    public long outboundClicks() {
        return outboundClicks;
    }

    /** clicks / impressions; 0 without impressions. */
    public double ctr() {
        return impressions == 0 ? 0.0 : (double) clicks / impressions;
    }

    public long uniqueVisitors() {
        return Math.round(visitors.getEstimate());
    }

    // Layout: impressions, clicks, outbound clicks (longs), a flags byte (bit 0 emitted, bit 1 a late count
    // follows, bit 2 the breakdowns follow), the late count when flagged, the breakdowns when flagged (a count of
    // ranks, each rank int and three longs; a count of merchants, each a short UTF-8 length, the bytes and three
    // longs), then the compact sketch. Values written before late counts or breakdowns existed lack those flags and
    // read with none.
    private static final int EMITTED = 1;
    private static final int HAS_LATE = 2;
    private static final int HAS_BREAKDOWN = 4;

    public static Serde<MetricAggregate> serde() {
        Serializer<MetricAggregate> serializer = (topic, a) -> {
            byte[] sketch = a.visitors.toCompactByteArray();
            boolean hasLate = a.late > 0;
            boolean hasBreakdown = !a.ranks.isEmpty() || !a.merchants.isEmpty();
            int breakdownBytes = 0;
            if (hasBreakdown) {
                breakdownBytes = 8 + a.ranks.size() * 28;
                for (String merchant : a.merchants.keySet()) {
                    breakdownBytes += 2 + merchant.getBytes(StandardCharsets.UTF_8).length + 24;
                }
            }
            ByteBuffer buffer = ByteBuffer.allocate(25 + (hasLate ? 8 : 0) + breakdownBytes + sketch.length)
                    .putLong(a.impressions)
                    .putLong(a.clicks)
                    .putLong(a.outboundClicks)
                    .put((byte) ((a.emitted ? EMITTED : 0)
                            | (hasLate ? HAS_LATE : 0)
                            | (hasBreakdown ? HAS_BREAKDOWN : 0)));
            if (hasLate) {
                buffer.putLong(a.late);
            }
            if (hasBreakdown) {
                buffer.putInt(a.ranks.size());
                a.ranks.forEach((rank, counts) -> putCounts(buffer.putInt(rank), counts));
                buffer.putInt(a.merchants.size());
                a.merchants.forEach((merchant, counts) -> {
                    byte[] name = merchant.getBytes(StandardCharsets.UTF_8);
                    putCounts(buffer.putShort((short) name.length).put(name), counts);
                });
            }
            return buffer.put(sketch).array();
        };
        Deserializer<MetricAggregate> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            long impressions = buffer.getLong();
            long clicks = buffer.getLong();
            long outbound = buffer.getLong();
            int flags = buffer.get();
            long late = (flags & HAS_LATE) != 0 ? buffer.getLong() : 0;
            TreeMap<Integer, long[]> ranks = new TreeMap<>();
            TreeMap<String, long[]> merchants = new TreeMap<>();
            if ((flags & HAS_BREAKDOWN) != 0) {
                for (int n = buffer.getInt(); n > 0; n--) {
                    ranks.put(buffer.getInt(), getCounts(buffer));
                }
                for (int n = buffer.getInt(); n > 0; n--) {
                    byte[] name = new byte[buffer.getShort()];
                    buffer.get(name);
                    merchants.put(new String(name, StandardCharsets.UTF_8), getCounts(buffer));
                }
            }
            byte[] sketch = new byte[buffer.remaining()];
            buffer.get(sketch);
            MetricAggregate a = new MetricAggregate(
                    impressions, clicks, outbound, (flags & EMITTED) != 0, late, HllSketch.heapify(sketch));
            a.ranks.putAll(ranks);
            a.merchants.putAll(merchants);
            return a;
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    private static void putCounts(ByteBuffer buffer, long[] counts) {
        buffer.putLong(counts[0]).putLong(counts[1]).putLong(counts[2]);
    }

    private static long[] getCounts(ByteBuffer buffer) {
        return new long[] {buffer.getLong(), buffer.getLong(), buffer.getLong()};
    }

    /** The visitors sketch, compact, for a union across windows (current visitors over several minutes). */
    public byte[] visitorSketch() {
        return visitors.toCompactByteArray();
    }
}
