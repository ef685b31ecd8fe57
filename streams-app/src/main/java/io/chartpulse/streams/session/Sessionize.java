package io.chartpulse.streams.session;

import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.Session;
import io.chartpulse.streams.privacy.ErasedVisitors;
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
    /** The partition's watermark (its stream time), stored with the sessions so that a restart judges alike. */
    public static final String WATERMARK = "session-watermark";

    private static final String WATERMARK_KEY = "";
    /** The longest session by default: a crawler that never pauses gets a session a day. */
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofHours(24);

    private static final Comparator<Session> BY_START = Comparator.comparing(Session::getStartAt);

    private final Duration gap;
    private final long maxDuration;
    private final Duration grace;
    private final Duration checkEvery;
    private final Runnable onLate;
    private final Runnable onErased;
    private ErasedVisitors erased;
    private ProcessorContext<String, Session> context;
    private KeyValueStore<String, List<Session>> open;
    private KeyValueStore<String, Long> stored;
    private final Watermark watermark;
    private final DueIndex closing = new DueIndex();

    public Sessionize(Duration gap, Duration grace, Duration checkEvery, Runnable onLate) {
        this(gap, grace, checkEvery, DEFAULT_MAX_DURATION, onLate);
    }

    /**
     * @param maxDuration the longest a session may last: an event that would stretch a session beyond it closes
     *     that session at once (flagged {@code max_duration_reached}) and starts the next one
     */
    public Sessionize(Duration gap, Duration grace, Duration checkEvery, Duration maxDuration, Runnable onLate) {
        this(gap, grace, checkEvery, maxDuration, onLate, null);
    }

    /**
     * @param onErased with the topology's global table of erased visitors ({@link ErasedVisitors#STORE}): a session
     *     of an erased visitor that comes due is deleted, not emitted, and {@code onErased} runs; null without
     */
    public Sessionize(
            Duration gap,
            Duration grace,
            Duration checkEvery,
            Duration maxDuration,
            Runnable onLate,
            Runnable onErased) {
        this.onErased = onErased;
        this.maxDuration = maxDuration.toMillis();
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
        this.stored = context.getStateStore(WATERMARK);
        this.erased = onErased == null ? null : ErasedVisitors.open(context);
        Long restored = stored.get(WATERMARK_KEY);
        if (restored != null) {
            watermark.observe(restored, context.currentSystemTimeMs());
        }
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
        if (watermark.observe(t, wall)) {
            stored.put(WATERMARK_KEY, t);
        }
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
        List<Session> reachedMax = new ArrayList<>(0);
        touched = withinMaxDuration(touched, t, kept, reachedMax);
        Session merged;
        if (touched.isEmpty()) {
            merged = SessionAggregation.start(e);
        } else if (touched.size() == 1) {
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
        for (Session full : reachedMax) {
            full.setMaxDurationReached(true);
            emit(full);
        }
        if (closing.earliest() <= streamTime) {
            closeUpTo(streamTime);
        }
    }

    // Of the sessions an event at t is near, those it may join without any session lasting longer than the maximum.
    // A session the event would stretch past it, ending before t, has reached its longest: it goes to reachedMax,
    // to be emitted now. One the event lies before stays open as it is (kept). When joining them all would exceed
    // the maximum, only the latest-ending joins.
    private List<Session> withinMaxDuration(
            List<Session> touched, long t, List<Session> kept, List<Session> reachedMax) {
        List<Session> joinable = new ArrayList<>(touched.size());
        for (Session s : touched) {
            long start = Math.min(s.getStartAt().toEpochMilli(), t);
            long end = Math.max(s.getEndAt().toEpochMilli(), t);
            if (end - start <= maxDuration) {
                joinable.add(s);
            } else if (s.getEndAt().toEpochMilli() < t) {
                reachedMax.add(s);
            } else {
                kept.add(s);
            }
        }
        if (joinable.size() > 1) {
            long start = t;
            long end = t;
            Session latest = joinable.get(0);
            for (Session s : joinable) {
                start = Math.min(start, s.getStartAt().toEpochMilli());
                end = Math.max(end, s.getEndAt().toEpochMilli());
                if (s.getEndAt().isAfter(latest.getEndAt())) {
                    latest = s;
                }
            }
            if (end - start > maxDuration) {
                for (Session s : joinable) {
                    if (s != latest) {
                        kept.add(s);
                    }
                }
                return List.of(latest);
            }
        }
        return joinable;
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

    // An erased visitor's session is dropped here: already deleted from the store (a tombstone in its changelog).
    private void emit(Session session) {
        if (erased != null && erased.erased(session.getAnonymousId(), session.getUserId())) {
            onErased.run();
            return;
        }
        Session closed = SessionAggregation.close(session);
        context.forward(
                new Record<>(closed.getSessionId(), closed, closed.getEndAt().toEpochMilli()));
    }
}
