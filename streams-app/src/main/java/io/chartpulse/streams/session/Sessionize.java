package io.chartpulse.streams.session;

import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.Session;
import io.chartpulse.streams.time.DueIndex;
import io.chartpulse.streams.time.Watermark;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Step 5: session windows per anonymous id, on derived event time, kept open until they can no longer change. An
 * event within {@code gap} of an open session joins it; an event within gap of two open sessions bridges and
 * merges them; otherwise it opens a session of its own. An event that could only belong to a session already
 * emitted (its time plus gap plus grace is behind the watermark) is counted as late and left out of sessions (it
 * is in the enriched topic anyway). A visitor's open sessions are stored together under the anonymous id (see
 * {@link OpenSessions}), so each event costs one point lookup and one write.
 *
 * <p>A session closes when the watermark passes its end + gap + grace, and only then is it emitted (keyed by its
 * deterministic id). Which visitors have a session to close is kept in a {@link DueIndex} (visitor → earliest
 * end + gap + grace of its open sessions), so closing costs nothing until a session is due and never scans the
 * store; the index is rebuilt from the store when the processor starts. The watermark is stream time, which only
 * moves when records arrive; so that a quiet partition still closes its sessions, a wall-clock punctuator lets the
 * watermark advance with the wall clock while the partition is idle. Which events form a session depends only on their times, so a replay gives the
 * same sessions; the wall clock only decides when a session is emitted.
 */
public final class Sessionize implements Processor<String, EnrichedEvent, String, Session> {

    public static final String STORE = "session-store";
    private static final Comparator<Session> BY_START = Comparator.comparing(Session::getStartAt);

    private final Duration gap;
    private final Duration grace;
    private final Duration checkEvery;
    private final Runnable onLate;
    private ProcessorContext<String, Session> context;
    private KeyValueStore<String, List<Session>> open;
    private final Watermark watermark;
    private final DueIndex closing = new DueIndex();

    public Sessionize(Duration gap, Duration grace, Duration checkEvery, Runnable onLate) {
        this.gap = gap;
        this.grace = grace;
        this.checkEvery = checkEvery;
        this.onLate = onLate;
        this.watermark = new Watermark();
    }

    @Override
    public void init(ProcessorContext<String, Session> context) {
        this.context = context;
        this.open = context.getStateStore(STORE);
        closing.clear();
        try (KeyValueIterator<String, List<Session>> all = open.all()) {
            all.forEachRemaining(kv -> closing.set(kv.key, closesAt(kv.value)));
        }
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
        String visitor = e.getAnonymousId();
        List<Session> sessions = open.get(visitor);
        List<Session> kept = new ArrayList<>(sessions == null ? 1 : sessions.size() + 1);
        List<Session> touched = new ArrayList<>(1);
        if (sessions != null) {
            for (Session s : sessions) {
                boolean near = t >= s.getStartAt().toEpochMilli() - gap.toMillis()
                        && t <= s.getEndAt().toEpochMilli() + gap.toMillis();
                (near ? touched : kept).add(s);
            }
        }
        if (touched.isEmpty() && t + gap.toMillis() + grace.toMillis() <= streamTime) {
            onLate.run();
            return;
        }
        Session merged;
        if (touched.size() == 1) {
            // The common case: the event joins its visitor's one nearby session, updated in place.
            merged = SessionAggregation.add(touched.get(0), e);
        } else {
            merged = SessionAggregation.start(e);
            for (Session s : touched) {
                merged = SessionAggregation.merge(merged, s);
            }
        }
        kept.add(merged);
        kept.sort(BY_START);
        open.put(visitor, kept);
        closing.set(visitor, closesAt(kept));
        if (closing.earliest() <= streamTime) {
            closeUpTo(streamTime);
        }
    }

    // When the first of a visitor's open sessions can close: its end + gap + grace.
    private long closesAt(List<Session> sessions) {
        long end = Long.MAX_VALUE;
        for (Session s : sessions) {
            end = Math.min(end, s.getEndAt().toEpochMilli());
        }
        return end + gap.toMillis() + grace.toMillis();
    }

    // Emits every session whose end + gap + grace is at or before upTo: only the visitors the index says are due.
    private void closeUpTo(long upTo) {
        long wait = gap.toMillis() + grace.toMillis();
        for (String visitor : closing.pollDue(upTo)) {
            List<Session> sessions = open.get(visitor);
            if (sessions == null) {
                continue;
            }
            List<Session> due = new ArrayList<>(1);
            List<Session> remaining = new ArrayList<>(sessions.size());
            for (Session s : sessions) {
                (s.getEndAt().toEpochMilli() + wait <= upTo ? due : remaining).add(s);
            }
            if (remaining.isEmpty()) {
                open.delete(visitor);
            } else {
                open.put(visitor, remaining);
                closing.set(visitor, closesAt(remaining));
            }
            due.forEach(this::emit);
        }
    }

    private void emit(Session session) {
        Session closed = SessionAggregation.close(session);
        context.forward(
                new Record<>(closed.getSessionId(), closed, closed.getEndAt().toEpochMilli()));
    }
}
