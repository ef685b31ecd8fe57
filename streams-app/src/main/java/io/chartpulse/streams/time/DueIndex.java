package io.chartpulse.streams.time;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keys of a state store by the time they fall due (a session to close, a metric window to emit), so a processor
 * finds what is due without scanning its store. Kept in heap only and rebuilt from the store when the processor
 * starts. Not thread-safe: one instance per processor.
 *
 * <p>A binary min-heap of (due, key) in two parallel arrays, ordered by due then key, next to a map of each key's
 * current due. Changing a key's due pushes a new entry and leaves the old one in the heap, stale: it is recognised
 * (the map no longer gives its due) and dropped when it reaches the top. A new due is usually the latest (a session
 * or window moving on), so a push rarely climbs: setting costs a map put and an array write, where a sorted set cost
 * a removal and an insertion of O(log n) comparisons each (6 % of the stream thread with sessions). Stale entries
 * are bounded: when they outnumber the live keys the heap is rebuilt from the map. About 100 bytes per key.
 */
public final class DueIndex {

    private final Map<String, Long> dueOf = new HashMap<>();
    // Stale entries allowed beyond the live keys before the heap is rebuilt.
    private final int slack;
    private long[] dues = new long[64];
    private String[] keys = new String[64];
    private int size;

    public DueIndex() {
        this(64);
    }

    DueIndex(int slack) {
        this.slack = slack;
    }

    /** Sets when {@code key} falls due, replacing what was set before. */
    public void set(String key, long due) {
        Long before = dueOf.put(key, due);
        if (before != null && before == due) {
            return;
        }
        push(due, key);
        if (size > 2 * dueOf.size() + slack) {
            rebuild();
        }
    }

    /** Forgets {@code key}. */
    public void remove(String key) {
        if (dueOf.remove(key) != null && size > 2 * dueOf.size() + slack) {
            rebuild();
        }
    }

    /** The earliest due time; {@link Long#MAX_VALUE} when empty. */
    public long earliest() {
        dropStaleTop();
        return size == 0 ? Long.MAX_VALUE : dues[0];
    }

    /** Removes and returns the keys due at or before {@code upTo}, earliest first (then by key). */
    public List<String> pollDue(long upTo) {
        List<String> due = new ArrayList<>();
        dropStaleTop();
        while (size > 0 && dues[0] <= upTo) {
            String key = keys[0];
            pop();
            dueOf.remove(key);
            due.add(key);
            dropStaleTop();
        }
        return due;
    }

    public int size() {
        return dueOf.size();
    }

    public void clear() {
        dueOf.clear();
        Arrays.fill(keys, 0, size, null);
        size = 0;
    }

    // An entry is live while the map gives its key this due; a key set again to an earlier due and back may leave
    // two live-looking entries with the same (due, key): the first popped removes the key, the second is then stale.
    private void dropStaleTop() {
        while (size > 0) {
            Long current = dueOf.get(keys[0]);
            if (current != null && current == dues[0]) {
                return;
            }
            pop();
        }
    }

    private void push(long due, String key) {
        if (size == dues.length) {
            dues = Arrays.copyOf(dues, size * 2);
            keys = Arrays.copyOf(keys, size * 2);
        }
        int i = size++;
        // Sift up: parents later than the new entry move down a level.
        while (i > 0 && before(due, key, dues[(i - 1) >>> 1], keys[(i - 1) >>> 1])) {
            i = moveTo(i, (i - 1) >>> 1);
        }
        place(i, due, key);
    }

    private void pop() {
        size--;
        long due = dues[size];
        String key = keys[size];
        keys[size] = null;
        if (size > 0) {
            siftDown(0, due, key);
        }
    }

    private void siftDown(int i, long due, String key) {
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && before(dues[right], keys[right], dues[child], keys[child])) {
                child = right;
            }
            if (!before(dues[child], keys[child], due, key)) {
                break;
            }
            i = moveTo(i, child);
        }
        place(i, due, key);
    }

    // Moves the entry at from into slot to; returns from, the slot now free.
    private int moveTo(int to, int from) {
        dues[to] = dues[from];
        keys[to] = keys[from];
        return from;
    }

    private void place(int i, long due, String key) {
        dues[i] = due;
        keys[i] = key;
    }

    // Only the live entries, heapified bottom-up.
    private void rebuild() {
        size = 0;
        int capacity = Math.max(64, Integer.highestOneBit(Math.max(1, dueOf.size())) * 4);
        dues = new long[capacity];
        keys = new String[capacity];
        for (Map.Entry<String, Long> e : dueOf.entrySet()) {
            dues[size] = e.getValue();
            keys[size] = e.getKey();
            size++;
        }
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i, dues[i], keys[i]);
        }
    }

    private static boolean before(long due, String key, long otherDue, String otherKey) {
        return due < otherDue || (due == otherDue && key.compareTo(otherKey) < 0);
    }
}
