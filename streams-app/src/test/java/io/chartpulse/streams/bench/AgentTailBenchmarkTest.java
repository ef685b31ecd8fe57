package io.chartpulse.streams.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A short run of {@link AgentTailBenchmark}, so that it cannot rot: every parser answers, and the figures add up. */
class AgentTailBenchmarkTest {

    @Test
    void aShortRunMeasuresTheTailThroughEveryParser() {
        AgentTailBenchmark.Result r = AgentTailBenchmark.run(3_000, 1);

        assertThat(r.events()).isEqualTo(3_000);
        // The traffic's tail: far fewer distinct strings than events, but more than the ~400 browser strings' share.
        assertThat(r.distinct()).isBetween(50, 3_000);
        assertThat(r.parsedShare()).isEqualTo(r.distinct() / 3_000.0);
        // A parse of a new string costs far more than a lookup of a known one, whichever parser.
        assertThat(r.usPerParse()).isGreaterThan(10 * r.hitUsPerEvent());
        assertThat(r.missUsPerEvent()).isGreaterThan(r.hitUsPerEvent());
        assertThat(r.oneFieldUsPerParse()).isPositive();
        assertThat(r.uapUsPerParse()).isPositive();
        assertThat(r.toString()).contains("3000 events", "uap-java");
    }
}
