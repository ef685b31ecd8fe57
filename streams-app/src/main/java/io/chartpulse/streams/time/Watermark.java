package io.chartpulse.streams.time;

import java.time.Duration;

/**
 * The watermark of a processor that emits results once event time has passed them (sessions, metric windows):
 * the largest event time seen (stream time), advanced by the wall clock while no events arrive, so that a quiet
 * partition still closes what is due. Also decides when a scan for due results is worth doing: at most once per
 * {@code checkEvery} of wall-clock time, so a backlog replay (stream time racing ahead) does not scan per record.
 * Not thread-safe: one instance per processor.
 */
public final class Watermark {

    private final long checkEvery;
    private long streamTime = Long.MIN_VALUE;
    private long streamTimeSeenAtWall;
    private long lastScanWall = Long.MIN_VALUE;

    public Watermark(Duration checkEvery) {
        this.checkEvery = checkEvery.toMillis();
    }

    /** Records an event's time, seen at wall-clock time {@code wall}. */
    public void observe(long eventTime, long wall) {
        if (eventTime > streamTime) {
            streamTime = eventTime;
            streamTimeSeenAtWall = wall;
        }
    }

    /** The largest event time seen; {@link Long#MIN_VALUE} before any. */
    public long streamTime() {
        return streamTime;
    }

    /** True when no scan happened for {@code checkEvery} of wall-clock time; marks one as done. */
    public boolean scanDue(long wall) {
        if (lastScanWall != Long.MIN_VALUE && wall - lastScanWall < checkEvery) {
            return false;
        }
        lastScanWall = wall;
        return true;
    }

    /** Stream time plus the wall-clock time since it last moved; {@link Long#MIN_VALUE} before any event. */
    public long idle(long wall) {
        return streamTime == Long.MIN_VALUE ? Long.MIN_VALUE : streamTime + Math.max(0, wall - streamTimeSeenAtWall);
    }
}
