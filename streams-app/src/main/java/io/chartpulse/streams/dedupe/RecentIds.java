package io.chartpulse.streams.dedupe;

import java.util.Arrays;
import java.util.UUID;

/**
 * A visitor's most recent event ids, for deduplication: each id as its two longs with the received_at it came
 * with, oldest first. At most {@code max} are kept, and none received more than a horizon before the newest, so
 * the ids a visitor's state holds are those of its last {@code max} events within the horizon. Not thread-safe.
 */
public final class RecentIds {

    private long[] most;
    private long[] least;
    private long[] at;
    private int size;

    public RecentIds() {
        this(4);
    }

    private RecentIds(int capacity) {
        most = new long[capacity];
        least = new long[capacity];
        at = new long[capacity];
    }

    /** Ids read back from their stored form (see {@link #add(long, long, long)}), oldest first. */
    public static RecentIds of(long[] most, long[] least, long[] at) {
        RecentIds ids = new RecentIds(Math.max(4, most.length));
        for (int i = 0; i < most.length; i++) {
            ids.add(most[i], least[i], at[i]);
        }
        return ids;
    }

    /** Whether {@code id} was seen received within {@code horizon} of {@code receivedAt} (either side). */
    public boolean seen(UUID id, long receivedAt, long horizon) {
        long m = id.getMostSignificantBits();
        long l = id.getLeastSignificantBits();
        for (int i = size - 1; i >= 0; i--) {
            if (least[i] == l && most[i] == m && Math.abs(receivedAt - at[i]) <= horizon) {
                return true;
            }
        }
        return false;
    }

    /**
     * Remembers {@code id}, received at {@code receivedAt}; then forgets the oldest beyond {@code max} and those
     * received more than {@code horizon} before the newest.
     */
    public void remember(UUID id, long receivedAt, int max, long horizon) {
        add(id.getMostSignificantBits(), id.getLeastSignificantBits(), receivedAt);
        long oldestKept = newest() - horizon;
        int drop = Math.max(0, size - max);
        while (drop < size && at[drop] < oldestKept) {
            drop++;
        }
        if (drop > 0) {
            // The oldest beyond max, then the leading ones older than the horizon: ids come almost in order of
            // received_at, so an out-of-order one waits until it leads (it is never wrongly matched: seen()
            // compares times).
            System.arraycopy(most, drop, most, 0, size - drop);
            System.arraycopy(least, drop, least, 0, size - drop);
            System.arraycopy(at, drop, at, 0, size - drop);
            size -= drop;
        }
    }

    private void add(long m, long l, long receivedAt) {
        if (size == most.length) {
            int grown = size * 2;
            most = Arrays.copyOf(most, grown);
            least = Arrays.copyOf(least, grown);
            at = Arrays.copyOf(at, grown);
        }
        most[size] = m;
        least[size] = l;
        at[size] = receivedAt;
        size++;
    }

    /** Forgets every id. */
    public void clear() {
        size = 0;
    }

    /** How many ids are kept. */
    public int size() {
        return size;
    }

    /** The largest received_at kept; {@link Long#MIN_VALUE} when none. */
    public long newest() {
        long newest = Long.MIN_VALUE;
        for (int i = 0; i < size; i++) {
            newest = Math.max(newest, at[i]);
        }
        return newest;
    }

    /** The {@code i}-th id's most significant bits (oldest first). */
    public long most(int i) {
        return most[i];
    }

    /** The {@code i}-th id's least significant bits. */
    public long least(int i) {
        return least[i];
    }

    /** The {@code i}-th id's received_at. */
    public long receivedAt(int i) {
        return at[i];
    }
}
