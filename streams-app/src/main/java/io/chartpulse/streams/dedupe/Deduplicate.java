package io.chartpulse.streams.dedupe;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.streams.topology.StoreKind;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Step 3: forwards an event only if its event_id was not seen within the horizon before or after its
 * received_at. Records are keyed by anonymous_id, and a retried event keeps both ids, so every copy meets the same
 * store partition. Deterministic on replay: time is the event's received_at, not the wall clock.
 *
 * <p>The store is a window store used as a time-bucketed key-value store: an id is put under the start of its
 * received_at's bucket (buckets are one horizon long), its value the received_at. An id within the horizon of
 * {@code at} can only sit in the buckets from {@code at - horizon} to {@code at + horizon}: at most three point
 * lookups (a RocksDB get each, which its bloom filters answer cheaply for new ids) instead of a range read over the
 * store's segments (an iterator per segment), which was half the cost of the topology's structure. Old ids expire
 * with their segments, so the store's size stays bounded.
 */
public final class Deduplicate implements FixedKeyProcessor<String, ChartEvent, ChartEvent> {

    public static final String STORE = "dedup-store";

    private final long horizon;
    private final Runnable onDuplicate;
    private WindowStore<String, Long> seen;
    private FixedKeyProcessorContext<String, ChartEvent> context;

    public Deduplicate(Duration horizon, Runnable onDuplicate) {
        this.horizon = horizon.toMillis();
        this.onDuplicate = onDuplicate;
    }

    /**
     * The store: retention covers the horizon either side of an event plus a bucket of rounding, so every bucket a
     * lookup can reach is still there while stream time is within the horizon of the event.
     */
    public static StoreBuilder<WindowStore<String, Long>> storeBuilder(Duration horizon) {
        return storeBuilder(horizon, StoreKind.PERSISTENT);
    }

    /** {@link #storeBuilder(Duration)} kept as {@code kind} says. */
    public static StoreBuilder<WindowStore<String, Long>> storeBuilder(Duration horizon, StoreKind kind) {
        return kind.logged(Stores.windowStoreBuilder(
                kind.window(STORE, horizon.multipliedBy(3), Duration.ofMillis(1)), Serdes.String(), Serdes.Long()));
    }

    @Override
    public void init(FixedKeyProcessorContext<String, ChartEvent> context) {
        this.context = context;
        this.seen = context.getStateStore(STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, ChartEvent> record) {
        String id = record.value().getEventId().toString();
        long at = record.value().getReceivedAt().toEpochMilli();
        for (long bucket = bucket(at - horizon); bucket <= bucket(at + horizon); bucket += horizon) {
            Long seenAt = seen.fetch(id, bucket);
            if (seenAt != null && Math.abs(at - seenAt) <= horizon) {
                onDuplicate.run();
                return;
            }
        }
        seen.put(id, at, bucket(at));
        context.forward(record);
    }

    private long bucket(long time) {
        return Math.floorDiv(time, horizon) * horizon;
    }
}
