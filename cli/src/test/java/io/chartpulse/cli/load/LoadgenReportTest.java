package io.chartpulse.cli.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What loadgen says at the end: refusals in words, freshness percentiles by nearest rank. */
class LoadgenReportTest {

    @Test
    void throttlingIsExplainedAndACleanRunSaysNothing() {
        LoadGenerator.Counts counts = new LoadGenerator.Counts();
        assertThat(LoadgenCommand.diagnosis(counts, "http://127.0.0.1:8080/v1/events"))
                .isEmpty();
        counts.throttled.set(12);
        counts.waitedForConnection.set(3);
        assertThat(LoadgenCommand.diagnosis(counts, "http://127.0.0.1:8080/v1/events"))
                .hasSize(2)
                .anySatisfy(line -> assertThat(line)
                        .contains("throttled 12 requests", "rate.limit.events.per.second", "trusted.proxies"))
                .anySatisfy(line -> assertThat(line).contains("3 batches waited", "slower than the rate asked"));
    }

    @Test
    void percentilesAreNearestRankAndPendingEventsAreShown() {
        Freshness.Store store = new Freshness.Store("MongoDB events", "mongo");
        assertThat(store.percentiles()).isEqualTo(new Freshness.Percentiles(0, 0, 0, 0, 0));
        for (long ms = 1; ms <= 200; ms++) {
            store.seen(1_000, 1_000 + ms * 10);
        }
        store.seen(5_000, 4_000); // a clock step backwards counts as 0, not as negative
        assertThat(store.percentiles()).isEqualTo(new Freshness.Percentiles(201, 1000, 1800, 1980, 2000));
        store.pending.add("e-1");
        assertThat(LoadgenCommand.summary(store))
                .isEqualTo(
                        "MongoDB events  p50 1.00 s  p90 1.80 s  p99 1.98 s  max 2.00 s  (201 events, 1 not seen yet)");
        store.problem.set("cannot read MongoDB at mongodb://x: timed out");
        assertThat(LoadgenCommand.summary(store)).contains("not measured: cannot read MongoDB");
    }
}
