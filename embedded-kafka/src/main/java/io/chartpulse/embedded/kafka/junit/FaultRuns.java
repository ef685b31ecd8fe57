package io.chartpulse.embedded.kafka.junit;

import java.time.Duration;

/**
 * The length of a fault test's outage (S3 refusing writes in {@code LakeSinkIT}): 20 s in {@code ./mvnw verify} —
 * longer than several commit intervals and the S3 client's own retries, so every path through an outage is taken —
 * and 60 s or more for the long run, {@code ./mvnw verify -Dfaults.outage.seconds=60} (the root pom's property, which a
 * module passes to its tests in its failsafe {@code systemPropertyVariables}, as lake's pom does).
 */
public final class FaultRuns {

    public static final String OUTAGE_SECONDS_PROPERTY = "chartpulse.faults.outage.seconds";

    private FaultRuns() {}

    /** The outage to hold, from the system property {@value #OUTAGE_SECONDS_PROPERTY} (default 20 s). */
    public static Duration outage() {
        String value = System.getProperty(OUTAGE_SECONDS_PROPERTY, "20");
        try {
            long seconds = Long.parseLong(value.trim());
            if (seconds < 1) {
                throw new IllegalArgumentException(OUTAGE_SECONDS_PROPERTY + " must be at least 1, was " + value);
            }
            return Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(OUTAGE_SECONDS_PROPERTY + " must be a number of seconds, was " + value);
        }
    }
}
