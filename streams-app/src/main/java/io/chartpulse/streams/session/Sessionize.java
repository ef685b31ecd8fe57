package io.chartpulse.streams.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.Session;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import io.chartpulse.streams.time.Watermark;

/**
 * Step 5: session windows per anonymous id, on derived event time, kept open until they can no longer change. An
 * event within {@code gap} of an open session joins it; an event within gap of two open sessions bridges and
 * merges them; otherwise it opens a session of its own. An event that could only belong to a session already
 * emitted (its time plus gap plus grace is behind the watermark) is counted as late and left out of sessions (it
 * is in the enriched topic anyway). Open sessions are stored under {@code <anonymous_id> NUL <start>}.
 *
 * <p>A session closes when the watermark passes its end + gap + grace, and only then is it emitted (keyed by its
 * deterministic id). The watermark is stream time, which only moves when records arrive; so that a quiet
 * partition still closes its sessions, a wall-clock punctuator lets the watermark advance with the wall clock
 * while the partition is idle. Which events form a session depends only on their times, so a replay gives the
 * same sessions; the wall clock only decides when a session is emitted.
 */
public final class Sessionize implements Processor<String, EnrichedEvent, String, Session> {

    public static final String STORE = "session-store";
    private static final String SEPARATOR = "\u0000";

    private final Duration gap;
    private final Duration grace;
    private final Duration checkEvery;
    private final Runnable onLate;
    private ProcessorContext<String, Session> context;
    private KeyValueStore<String, Session> open;
    private final Watermark watermark;

    public Sessionize(Duration gap, Duration grace, Duration checkEvery, Runnable onLate) {
        this.gap = gap;
        this.grace = grace;
        this.checkEvery = checkEvery;
        this.onLate = onLate;
        this.watermark = new Watermark(checkEvery);
    }

    @Override
    public void init(ProcessorContext<String, Session> context) {
        this.context = context;
        this.open = context.getStateStore(STORE);
        context.schedule(checkEvery, PunctuationType.WALL_CLOCK_TIME, wall -> {
            if (watermark.streamTime() != Long.MIN_VALUE) {
                closeUpTo(watermark.idle(wall));
            }
        });
    }

    @Override
    public void process(Record<String, EnrichedEvent> record) {
        EnrichedEvent e = record.value();
        long t = e.getDerivedAt().toEpochMilli();
        long wall = context.currentSystemTimeMs();
        watermark.observe(t, wall);
        long streamTime = watermark.streamTime();
        String visitor = e.getAnonymousId() + SEPARATOR;
        List<KeyValue<String, Session>> touched = new ArrayList<>();
        try (KeyValueIterator<String, Session> sessions = open.prefixScan(visitor, new StringSerializer())) {
            sessions.forEachRemaining(kv -> {
                if (t >= kv.value.getStartAt().toEpochMilli() - gap.toMillis()
                        && t <= kv.value.getEndAt().toEpochMilli() + gap.toMillis()) {
                    touched.add(kv);
                }
            });
        }
        if (touched.isEmpty() && t + gap.toMillis() + grace.toMillis() <= streamTime) {
            onLate.run();
            return;
        }
        Session merged = SessionAggregation.start(e);
        for (KeyValue<String, Session> kv : touched) {
            open.delete(kv.key);
            merged = SessionAggregation.merge(merged, kv.value);
        }
        open.put(visitor + String.format("%019d", merged.getStartAt().toEpochMilli()), merged);
        if (watermark.scanDue(wall)) {
            closeUpTo(streamTime);
        }
    }

    private void closeUpTo(long upTo) {
        long wait = gap.toMillis() + grace.toMillis();
        List<KeyValue<String, Session>> due = new ArrayList<>();
        try (KeyValueIterator<String, Session> all = open.all()) {
            all.forEachRemaining(kv -> {
                if (kv.value.getEndAt().toEpochMilli() + wait <= upTo) {
                    due.add(kv);
                }
            });
        }
        for (KeyValue<String, Session> kv : due) {
            open.delete(kv.key);
            emit(kv.value);
        }
    }

    private void emit(Session session) {
        Session closed = SessionAggregation.close(session);
        context.forward(new Record<>(closed.getSessionId(), closed, closed.getEndAt().toEpochMilli()));
    }
}
