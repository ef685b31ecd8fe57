package io.chartpulse.lake;

import java.time.Duration;

/**
 * The length of the fault tests' outages: 20 s in {@code ./mvnw verify} (longer than several commit intervals and
 * the S3 client's own retries, so every commit in between fails), 60 s or more for the long run
 * ({@code -Dfaults.outage.seconds=60}, lake/README.md).
 */
final class FaultRuns {

    static final String OUTAGE_SECONDS_PROPERTY = "chartpulse.faults.outage.seconds";

    private FaultRuns() {}

    static Duration outage() {
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
