package io.chartpulse.streams.topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What this instance processed, by wall-clock minute, over the last {@value #MINUTES} minutes (two days): valid
 * events, bots, duplicates and rejections — the dashboard's bot and invalid shares of the pipeline as a whole. Like
 * the Prometheus counters they sit beside, these count processing attempts (a transaction aborted and processed
 * again counts again) and start from zero with the process: shares and rates, not exact counts. Thread-safe; one
 * short lock per count, which is nothing beside decoding the event.
 */
public final class MinuteCounts {

    /** What is counted. */
    public enum Kind {
        VALID,
        BOT,
        DUPLICATE,
        REJECTED
    }

    /** Minutes kept: two days, so that a day's figures have the day before to compare with. */
    public static final int MINUTES = 2 * 24 * 60;

    private static final long MINUTE_MS = 60_000;
    private final LongSupplier clock;
    private final long[] minuteOf = new long[MINUTES];
    private final long[][] counts = new long[MINUTES][Kind.values().length];

    public MinuteCounts() {
        this(System::currentTimeMillis);
    }

    MinuteCounts(LongSupplier clock) {
        this.clock = clock;
        Arrays.fill(minuteOf, -1);
    }

    /** Counts one of {@code kind} in the current minute. */
    public synchronized void add(Kind kind) {
        long minute = clock.getAsLong() / MINUTE_MS;
        int slot = (int) (minute % MINUTES);
        if (minuteOf[slot] != minute) {
            minuteOf[slot] = minute;
            Arrays.fill(counts[slot], 0);
        }
        counts[slot][kind.ordinal()]++;
    }

    /** Per minute with a count, minute start in [fromMs, toMs): the minute's start (epoch ms), then one count per Kind. */
    public synchronized List<long[]> between(long fromMs, long toMs) {
        List<long[]> out = new ArrayList<>();
        long oldest = clock.getAsLong() / MINUTE_MS - MINUTES + 1;
        long first = Math.max(Math.floorDiv(fromMs + MINUTE_MS - 1, MINUTE_MS), oldest);
        long last = Math.floorDiv(toMs - 1, MINUTE_MS);
        for (long minute = first; minute <= last; minute++) {
            int slot = (int) (minute % MINUTES);
            if (minuteOf[slot] == minute) {
                long[] row = new long[1 + Kind.values().length];
                row[0] = minute * MINUTE_MS;
                System.arraycopy(counts[slot], 0, row, 1, counts[slot].length);
                out.add(row);
            }
        }
        return out;
    }
}
