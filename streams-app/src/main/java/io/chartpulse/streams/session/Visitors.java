package io.chartpulse.streams.session;

import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.Session;
import io.chartpulse.streams.privacy.ErasedVisitors;
import io.chartpulse.streams.time.DueIndex;
import io.chartpulse.streams.time.Watermark;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Steps 3 and 5, per visitor: deduplication and session windows, on one state per anonymous id
 * ({@link VisitorState} in {@value #STORE}). Events are keyed by anonymous id and a tracker's retry keeps both
 * ids, so every copy of an event meets its visitor's state.
 *
 * <p><b>Deduplication.</b> An event whose id the visitor's state holds, received within the horizon of it, is
 * counted and dropped; any other is forwarded and its id remembered. The state keeps the ids of the visitor's last
 * {@code maxIds} events received within the horizon of the newest, so an event is recognised as a copy when it
 * comes within the horizon and fewer than {@code maxIds} other events of the same visitor came between them.
 * Decisions depend on received_at only, never on the wall clock, so a replay decides alike.
 *
 * <p><b>Sessions</b> (when built with {@link SessionRules}): on derived event time, kept open until they can no
 * longer change. An event within {@code gap} of an open session joins it; an event within gap of two open
 * sessions bridges and merges them; otherwise it opens a session of its own. An event that could only belong to a
 * session already emitted (its time plus gap plus grace is behind the watermark) is counted as late and left out
 * of sessions (it is forwarded anyway). A session closes when the watermark passes its end + gap + grace, and only
 * then is it emitted (keyed by its deterministic id). Which visitors have a session to close is kept in a
 * {@link DueIndex}, rebuilt from the store's headers when the processor starts, so closing never scans the store.
 * The watermark is stream time, stored in {@value #WATERMARK}; a wall-clock punctuator lets it advance while the
 * partition is idle, so a quiet partition still closes its sessions.
 *
 * <p><b>Cost.</b> The states of the visitors seen last are kept as objects ({@value #CACHED} of them), so an event
 * costs no read of the store and no decoding; each change is written through to the store, whose record cache
 * writes RocksDB and the changelog once per commit. A state whose sessions are all closed stays for its ids; a
 * sweep (a bounded slice of the store each {@code checkEvery}) deletes those whose newest id is older than the
 * horizon (plus an hour, for collectors' clocks) behind the newest received_at the processor saw, and those of
 * erased visitors.
 *
 * <p>Forwards the events it keeps (as they came) and, with sessions, the closed {@link Session}s.
 */
public final class Visitors implements Processor<String, EnrichedEvent, String, SpecificRecord> {

    /**
     * The visitor store. Named for what it held first (the open sessions), so an upgrade keeps the changelog and
     * the sessions open in it.
     */
    public static final String STORE = "session-store";
    /** The partition's session watermark (its stream time), stored so that a restart judges alike. */
    public static final String WATERMARK = "session-watermark";
    /** The longest session by default: a crawler that never pauses gets a session a day. */
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofHours(24);
    /**
     * How many ids a visitor's state keeps by default: more than the tracker ever holds unanswered in a tab (500),
     * so any copy it resends is recognised within the horizon.
     */
    public static final int DEFAULT_MAX_IDS = 512;

    static final int CACHED = 4_096;
    static final int SWEEP_SLICE = 10_000;
    static final long SWEEP_MARGIN = Duration.ofHours(1).toMillis();

    private static final String WATERMARK_KEY = "";
    private static final Comparator<Session> BY_START = Comparator.comparing(Session::getStartAt);

    /**
     * How sessions are cut.
     *
     * @param maxDuration the longest a session may last: an event that would stretch a session beyond it closes
     *     that session at once (flagged {@code max_duration_reached}) and starts the next one
     * @param onLate runs for an event left out of sessions as late
     */
    public record SessionRules(Duration gap, Duration grace, Duration maxDuration, Runnable onLate) {
        public SessionRules(Duration gap, Duration grace, Runnable onLate) {
            this(gap, grace, DEFAULT_MAX_DURATION, onLate);
        }
    }

    private final long horizon;
    private final int maxIds;
    private final Duration checkEvery;
    private final Runnable onDuplicate;
    private final Runnable onErased;
    private final SessionRules rules;
    private final long gap;
    private final long wait;
    private final long maxDuration;

    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, VisitorState> store;
    private KeyValueStore<String, Long> stored;
    private ErasedVisitors erased;
    private final Watermark watermark = new Watermark();
    private final DueIndex closing = new DueIndex();
    private final Map<String, VisitorState> cache = new LinkedHashMap<>(CACHED * 4 / 3, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, VisitorState> eldest) {
            return size() > CACHED;
        }
    };
    private long newestReceived = Long.MIN_VALUE;
    private String sweepFrom;

    /**
     * @param horizon how long an event id is remembered
     * @param maxIds how many of a visitor's most recent ids are remembered
     * @param checkEvery how often (wall clock) idle sessions are closed and a slice of the store swept
     * @param onErased with the topology's global table of erased visitors ({@link ErasedVisitors#STORE}): a session
     *     of an erased visitor that comes due is deleted, not emitted, and {@code onErased} runs; the sweep deletes
     *     erased visitors' ids. Null without the table.
     * @param sessions how sessions are cut; null for deduplication alone
     */
    public Visitors(
            Duration horizon,
            int maxIds,
            Duration checkEvery,
            Runnable onDuplicate,
            Runnable onErased,
            SessionRules sessions) {
        if (maxIds < 1) {
            throw new IllegalArgumentException("a visitor must keep at least one event id, not " + maxIds);
        }
        this.horizon = horizon.toMillis();
        this.maxIds = maxIds;
        this.checkEvery = checkEvery;
        this.onDuplicate = onDuplicate;
        this.onErased = onErased;
        this.rules = sessions;
        this.gap = sessions == null ? 0 : sessions.gap().toMillis();
        this.wait = sessions == null
                ? 0
                : sessions.gap().toMillis() + sessions.grace().toMillis();
        this.maxDuration = sessions == null ? 0 : sessions.maxDuration().toMillis();
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        this.erased = onErased == null ? null : ErasedVisitors.open(context);
        cache.clear();
        closing.clear();
        sweepFrom = null;
        newestReceived = Long.MIN_VALUE;
        if (rules != null) {
            this.stored = context.getStateStore(WATERMARK);
            Long restored = stored.get(WATERMARK_KEY);
            if (restored != null) {
                watermark.observe(restored, context.currentSystemTimeMs());
            }
            try (KeyValueIterator<String, VisitorState> all = store.all()) {
                all.forEachRemaining(kv -> {
                    long end = kv.value.earliestEnd();
                    if (end != Long.MAX_VALUE) {
                        closing.set(kv.key, end + wait);
                    }
                });
            }
        }
        context.schedule(checkEvery, PunctuationType.WALL_CLOCK_TIME, wall -> {
            if (rules != null && watermark.streamTime() != Long.MIN_VALUE) {
                closeUpTo(watermark.idle(wall));
            }
            sweep();
        });
    }

    @Override
    public void process(Record<String, EnrichedEvent> record) {
        EnrichedEvent e = record.value();
        String visitor = e.getAnonymousId();
        VisitorState state = load(visitor);
        if (state == null) {
            state = new VisitorState();
            cache.put(visitor, state);
        }
        long received = e.getReceivedAt().toEpochMilli();
        if (state.ids().seen(e.getEventId(), received, horizon)) {
            onDuplicate.run();
            return;
        }
        state.ids().remember(e.getEventId(), received, maxIds, horizon);
        newestReceived = Math.max(newestReceived, received);
        List<Session> reachedMax = rules == null ? List.of() : sessionize(visitor, state, e);
        store.put(visitor, state);
        context.forward(record.withValue(e));
        for (Session full : reachedMax) {
            full.setMaxDurationReached(true);
            emit(full);
        }
        if (rules != null && closing.earliest() <= watermark.streamTime()) {
            closeUpTo(watermark.streamTime());
        }
    }

    // Adds the event to the visitor's sessions (in state); returns the sessions it closed by reaching their longest.
    private List<Session> sessionize(String visitor, VisitorState state, EnrichedEvent e) {
        long t = e.getDerivedAt().toEpochMilli();
        if (watermark.observe(t, context.currentSystemTimeMs())) {
            stored.put(WATERMARK_KEY, t);
        }
        List<Session> sessions = state.sessions();
        List<Session> kept = new ArrayList<>(sessions.size() + 1);
        List<Session> touched = new ArrayList<>(1);
        for (Session s : sessions) {
            boolean near = t >= s.getStartAt().toEpochMilli() - gap
                    && t <= s.getEndAt().toEpochMilli() + gap;
            (near ? touched : kept).add(s);
        }
        if (touched.isEmpty() && t + wait <= watermark.streamTime()) {
            rules.onLate().run();
            return List.of();
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
        state.sessions(kept);
        closing.set(visitor, state.earliestEnd() + wait);
        return reachedMax;
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

    // Emits every session whose end + gap + grace is at or before upTo: only the visitors the index says are due.
    private void closeUpTo(long upTo) {
        for (String visitor : closing.pollDue(upTo)) {
            VisitorState state = load(visitor);
            if (state == null) {
                continue;
            }
            List<Session> due = new ArrayList<>(1);
            List<Session> remaining = new ArrayList<>(state.sessions().size());
            for (Session s : state.sessions()) {
                (s.getEndAt().toEpochMilli() + wait <= upTo ? due : remaining).add(s);
            }
            state.sessions(remaining);
            if (!remaining.isEmpty()) {
                closing.set(visitor, state.earliestEnd() + wait);
            }
            boolean erasedVisitor = false;
            for (Session s : due) {
                if (erased != null && erased.erased(s.getAnonymousId(), s.getUserId())) {
                    // Deleted from the store, not emitted; its ids go with it.
                    onErased.run();
                    erasedVisitor = true;
                } else {
                    emit(s);
                }
            }
            if (erasedVisitor) {
                state.ids().clear();
            }
            if (remaining.isEmpty() && (erasedVisitor || expired(state))) {
                delete(visitor);
            } else {
                store.put(visitor, state);
            }
        }
    }

    private void emit(Session session) {
        Session closed = SessionAggregation.close(session);
        context.forward(
                new Record<>(closed.getSessionId(), closed, closed.getEndAt().toEpochMilli()));
    }

    // Whether a state without open sessions holds no id that could still match an event.
    private boolean expired(VisitorState state) {
        return state.ids().size() == 0
                || (newestReceived != Long.MIN_VALUE && state.ids().newest() + horizon + SWEEP_MARGIN < newestReceived);
    }

    // Deletes, from the next slice of the store, the states without open sessions whose ids expired or whose
    // visitor was erased. Slice by slice, so the stream thread never stops for long however large the store.
    private void sweep() {
        List<String> deletes = new ArrayList<>();
        try (KeyValueIterator<String, VisitorState> slice =
                sweepFrom == null ? store.all() : store.range(sweepFrom, null)) {
            for (int i = 0; i < SWEEP_SLICE && slice.hasNext(); i++) {
                KeyValue<String, VisitorState> kv = slice.next();
                if (kv.value.earliestEnd() == Long.MAX_VALUE
                        && (expired(kv.value) || (erased != null && erased.erased(kv.key, null)))) {
                    deletes.add(kv.key);
                }
            }
            sweepFrom = slice.hasNext() ? slice.peekNextKey() : null;
        }
        deletes.forEach(this::delete);
    }

    private VisitorState load(String visitor) {
        VisitorState state = cache.get(visitor);
        if (state == null) {
            state = store.get(visitor);
            if (state != null) {
                cache.put(visitor, state);
            }
        }
        return state;
    }

    private void delete(String visitor) {
        store.delete(visitor);
        cache.remove(visitor);
    }
}
