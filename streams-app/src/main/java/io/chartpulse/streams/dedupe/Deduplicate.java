package io.chartpulse.streams.dedupe;

import java.time.Duration;

import io.chartpulse.avro.ChartEvent;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Step 3: forwards an event only if its event_id was not seen within the horizon before or after its
 * received_at. Ids live in a window store whose retention bounds its size: old ids expire with their segments.
 * Records are keyed by anonymous_id, and a retried event keeps both ids, so every copy meets the same store
 * partition. Deterministic on replay: time is the event's received_at, not the wall clock.
 */
public final class Deduplicate implements FixedKeyProcessor<String, ChartEvent, ChartEvent> {

    public static final String STORE = "dedup-store";

    private final Duration horizon;
    private final Runnable onDuplicate;
    private WindowStore<String, Long> seen;
    private FixedKeyProcessorContext<String, ChartEvent> context;

    public Deduplicate(Duration horizon, Runnable onDuplicate) {
        this.horizon = horizon;
        this.onDuplicate = onDuplicate;
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
        try (WindowStoreIterator<Long> earlier = seen.fetch(id, at - horizon.toMillis(), at + horizon.toMillis())) {
            if (earlier.hasNext()) {
                onDuplicate.run();
                return;
            }
        }
        seen.put(id, at, at);
        context.forward(record);
    }
}
