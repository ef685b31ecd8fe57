package io.chartpulse.lake;

import java.time.Duration;

/**
 * How long the lake's Iceberg sinks wait for their tasks at each commit ({@code iceberg.control.commit.timeout-ms},
 * the variable {@code CHARTPULSE_LAKE_COMMIT_TIMEOUT_MS}), for a stack that sets its commit interval.
 *
 * <p>A sink task that holds partitions but has received no record since it started never answers the coordinator
 * (the Iceberg sink starts a task's commit worker on its first record: apache/iceberg#17811), so while any partition
 * is idle every commit waits the whole timeout and then commits what the other tasks sent. Nothing is lost or
 * doubled by that (the idle task has nothing to send), but a commit comes every interval + timeout instead of every
 * interval. Production's 30 s against a 60 s or 300 s interval is fine; a test stack that commits every 3 s would
 * commit every 33 s, so a stack's timeout is its interval, at most 30 s.
 */
public final class LakeCommits {

    /** The timeout of production and compose. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private LakeCommits() {}

    /** The commit timeout for a stack committing every {@code interval}: the interval, at most 30 s. */
    public static Duration timeoutFor(Duration interval) {
        return interval.compareTo(DEFAULT_TIMEOUT) < 0 ? interval : DEFAULT_TIMEOUT;
    }
}
