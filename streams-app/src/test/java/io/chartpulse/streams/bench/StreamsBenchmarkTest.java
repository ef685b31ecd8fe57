package io.chartpulse.streams.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's reported figures are medians over its rounds, each ratio taken within its own round. */
class StreamsBenchmarkTest {

    private static StreamsBenchmark.Run run(double eventsPerSecond) {
        return new StreamsBenchmark.Run(
                eventsPerSecond, 1000 / eventsPerSecond, 2000 / eventsPerSecond, 1.5, 4, new long[] {1});
    }

    private static StreamsBenchmark.Round round(double passThrough, double full) {
        return new StreamsBenchmark.Round(run(passThrough), run(1), run(passThrough / 4), run(2), run(3), run(full));
    }

    @Test
    void mediansOfOddAndEvenCounts() {
        assertThat(StreamsBenchmark.median(new double[] {5, 1, 3})).isEqualTo(3);
        assertThat(StreamsBenchmark.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(StreamsBenchmark.median(new double[] {7})).isEqualTo(7);
    }

    @Test
    void theRatioIsTheMedianOfEachRoundsOwnRatioNotARatioOfMedians() {
        // Ratios 0.5, 0.1, 0.2: median 0.2. A ratio of the medians (full 50 over pass-through 100) would be 0.5.
        StreamsBenchmark.Result result =
                new StreamsBenchmark.Result(1, 1, List.of(round(100, 50), round(500, 50), round(50, 10)));
        assertThat(result.ratio()).isEqualTo(0.2);
        assertThat(result.eventsPerSecond(0)).isEqualTo(100);
        assertThat(result.eventsPerSecond(5)).isEqualTo(50);
        assertThat(result.floorRatio()).isEqualTo(0.25);
        assertThat(result.report())
                .contains("round 3", "median: pass-through 100", "ratio 0.20 (any design's floor 0.25)");
    }
}
