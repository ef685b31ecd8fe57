package io.chartpulse.streams.time;

/**
 * The watermark of a processor that emits results once event time has passed them (sessions, metric windows):
 * the largest event time seen (stream time), advanced by the wall clock while no events arrive, so that a quiet
 * partition still closes what is due (what is due is found in a {@link DueIndex}). Not thread-safe: one instance
 * per processor.
 */
public final class Watermark {

    private long streamTime = Long.MIN_VALUE;
    private long streamTimeSeenAtWall;

    /**
     * Records an event's time, seen at wall-clock time {@code wall} (also how a stored watermark is restored).
     *
     * @return whether stream time moved (so the caller can store it)
     */
    public boolean observe(long eventTime, long wall) {
        if (eventTime > streamTime) {
            streamTime = eventTime;
            streamTimeSeenAtWall = wall;
            return true;
        }
        return false;
    }

    /** Restores a stored watermark: its stream time and the wall-clock time it was reached at. */
    public void restore(long storedStreamTime, long reachedAtWall) {
        streamTime = storedStreamTime;
        streamTimeSeenAtWall = reachedAtWall;
    }

    /** The wall-clock time stream time last moved at. */
    public long movedAtWall() {
        return streamTimeSeenAtWall;
    }

    /** The largest event time seen; {@link Long#MIN_VALUE} before any. */
    public long streamTime() {
        return streamTime;
    }

    /** Stream time plus the wall-clock time since it last moved; {@link Long#MIN_VALUE} before any event. */
    public long idle(long wall) {
        return streamTime == Long.MIN_VALUE ? Long.MIN_VALUE : streamTime + Math.max(0, wall - streamTimeSeenAtWall);
    }
}
