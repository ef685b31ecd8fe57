package io.chartpulse.streams.time;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Keys of a state store by the time they fall due (a session to close, a metric window to emit), so a processor
 * finds what is due without scanning its store: each change costs O(log n), finding the due ones O(due). Kept in
 * heap only (about 120 bytes per key) and rebuilt from the store when the processor starts. Not thread-safe: one
 * instance per processor.
 */
public final class DueIndex {

    private record Entry(long due, String key) {
    }

    private static final Comparator<Entry> ORDER = Comparator.comparingLong(Entry::due).thenComparing(Entry::key);

    private final TreeSet<Entry> byTime = new TreeSet<>(ORDER);
    private final Map<String, Long> dueOf = new HashMap<>();

    /** Sets when {@code key} falls due, replacing what was set before. */
    public void set(String key, long due) {
        Long before = dueOf.put(key, due);
        if (before != null) {
            if (before == due) {
                return;
            }
            byTime.remove(new Entry(before, key));
        }
        byTime.add(new Entry(due, key));
    }

    /** Forgets {@code key}. */
    public void remove(String key) {
        Long before = dueOf.remove(key);
        if (before != null) {
            byTime.remove(new Entry(before, key));
        }
    }

    /** The earliest due time; {@link Long#MAX_VALUE} when empty. */
    public long earliest() {
        return byTime.isEmpty() ? Long.MAX_VALUE : byTime.first().due();
    }

    /** Removes and returns the keys due at or before {@code upTo}, earliest first. */
    public List<String> pollDue(long upTo) {
        List<String> due = new ArrayList<>();
        while (!byTime.isEmpty() && byTime.first().due() <= upTo) {
            Entry first = byTime.pollFirst();
            dueOf.remove(first.key());
            due.add(first.key());
        }
        return due;
    }

    public int size() {
        return dueOf.size();
    }

    public void clear() {
        byTime.clear();
        dueOf.clear();
    }
}
