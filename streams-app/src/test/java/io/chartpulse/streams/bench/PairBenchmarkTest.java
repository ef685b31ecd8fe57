package io.chartpulse.streams.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The pair benchmark's ratio is taken within each pair; its interval for the median comes from order statistics. */
class PairBenchmarkTest {

    private static StreamsBenchmark.Run run(double eventsPerSecond) {
        return new StreamsBenchmark.Run(
                eventsPerSecond, 1000 / eventsPerSecond, 2000 / eventsPerSecond, 1.5, 1, new long[0]);
    }

    private static PairBenchmark.Pair pair(double passThrough, double floor) {
        return new PairBenchmark.Pair(run(passThrough), run(floor), false);
    }

    @Test
    void theMedianIntervalIsTheWidestThatStillHoldsNinetyFivePerCent() {
        // P(Binomial(20, 1/2) <= 5) = 2.07 %, P(<= 6) = 5.77 %.
        assertThat(PairBenchmark.medianInterval(20)).containsExactly(6, 15);
        // P(Binomial(10, 1/2) <= 1) = 1.07 %, P(<= 2) = 5.47 %.
        assertThat(PairBenchmark.medianInterval(10)).containsExactly(2, 9);
        // 1/64 = 1.6 %: the extremes of six samples bound the median; five are too few (1/32 = 3.1 %).
        assertThat(PairBenchmark.medianInterval(6)).containsExactly(1, 6);
        assertThat(PairBenchmark.medianInterval(5)).isNull();
        assertThat(PairBenchmark.interval(new double[] {1, 2})).contains("too few");
    }

    @Test
    void theOrderAlternatesFromPairToPair() {
        assertThat(PairBenchmark.candidateFirst(0)).as("the warm-up").isTrue();
        assertThat(PairBenchmark.candidateFirst(1)).isFalse();
        assertThat(PairBenchmark.candidateFirst(2)).isTrue();
        assertThat(PairBenchmark.candidateFirst(3)).isFalse();
    }

    @Test
    void eachPairsOwnRatioAndHowManyReachTheTarget() {
        List<PairBenchmark.Pair> pairs = List.of(
                pair(100, 40), pair(50, 30), pair(100, 45), pair(80, 40), pair(100, 30), pair(90, 36), pair(60, 24));
        PairBenchmark.Result result =
                new PairBenchmark.Result(PairBenchmark.Comparison.FLOOR, 1, 2, pair(10, 9), pairs);
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
