package io.chartpulse.streams.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The floor benchmark's ratio is taken within each pair; its interval for the median comes from order statistics. */
class FloorBenchmarkTest {

    private static StreamsBenchmark.Run run(double eventsPerSecond) {
        return new StreamsBenchmark.Run(
                eventsPerSecond, 1000 / eventsPerSecond, 2000 / eventsPerSecond, 1.5, 1, new long[0]);
    }

    private static FloorBenchmark.Pair pair(double passThrough, double floor) {
        return new FloorBenchmark.Pair(run(passThrough), run(floor), false);
    }

    @Test
    void theMedianIntervalIsTheWidestThatStillHoldsNinetyFivePerCent() {
        // P(Binomial(20, 1/2) <= 5) = 2.07 %, P(<= 6) = 5.77 %.
        assertThat(FloorBenchmark.medianInterval(20)).containsExactly(6, 15);
        // P(Binomial(10, 1/2) <= 1) = 1.07 %, P(<= 2) = 5.47 %.
        assertThat(FloorBenchmark.medianInterval(10)).containsExactly(2, 9);
        // 1/64 = 1.6 %: the extremes of six samples bound the median; five are too few (1/32 = 3.1 %).
        assertThat(FloorBenchmark.medianInterval(6)).containsExactly(1, 6);
        assertThat(FloorBenchmark.medianInterval(5)).isNull();
        assertThat(FloorBenchmark.interval(new double[] {1, 2})).contains("too few");
    }

    @Test
    void eachPairsOwnRatioAndHowManyReachTheTarget() {
        List<FloorBenchmark.Pair> pairs = List.of(
                pair(100, 40), pair(50, 30), pair(100, 45), pair(80, 40), pair(100, 30), pair(90, 36), pair(60, 24));
        FloorBenchmark.Result result = new FloorBenchmark.Result(1, 2, pair(10, 9), pairs);
        // Ratios 0.40, 0.60, 0.45, 0.50, 0.30, 0.40, 0.40: median 0.40; two at or above 0.5; the warm-up's 0.9 not
        // counted.
        assertThat(result.ratio()).isEqualTo(0.4, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(result.atOrAboveTarget()).isEqualTo(2);
        assertThat(pairs.get(1).cpuRatio()).isEqualTo(0.6, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(result.report())
                .contains("warm ", "median ratio 0.40", "95 % interval 0.30-0.60 (order statistics 1 and 7 of 7)")
                .contains("pairs at or above 0.5: 2 of 7");
    }
}
