package io.chartpulse.streams.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.junit.StackExtension;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.streams.bench.PairBenchmark;
import io.chartpulse.streams.bench.StreamsBenchmark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A small run of the streams benchmark, so it cannot rot; its speed is not judged here. */
@ExtendWith(StackExtension.class)
class StreamsBenchmarkSmokeIT {

    @Test
    void everyTopologyConsumesTheWholeBacklog(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        StreamsBenchmark.Result result = StreamsBenchmark.run(kafka, registry, 2_000, 1, 1);
        assertThat(result.rounds()).hasSize(1);
        StreamsBenchmark.Round round = result.rounds().get(0);
        assertThat(round.runs()).hasSize(6);
        for (StreamsBenchmark.Run run : round.runs()) {
            assertThat(run.eventsPerSecond()).isPositive();
            // The latency phase sends a tenth of the backlog again; every one of those events must come out.
            assertThat(run.latenciesMs()).hasSize(200);
            assertThat(run.latenciesMs()[0]).as("the smallest latency").isNotNegative();
        }
        assertThat(result.ratio()).isEqualTo(round.ratio());
        assertThat(result.report())
                .contains(
                        "ratio",
                        "structure only",
                        "any design",
                        "enrichment",
                        "+ sessions",
                        "full topology",
                        "p99",
                        "median");
    }

    @Test
    void thePairBenchmarkTimesBothTopologiesOfAPair(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        // The warm-up pair of the prefetch comparison only: the floor comparison's two topologies run in the test
        // above, the pairing is the same code, and the order and the figures over pairs are PairBenchmarkTest's.
        PairBenchmark.Result result =
                PairBenchmark.run(kafka, registry, PairBenchmark.Comparison.PREFETCH, 2_000, 1, 0);
        assertThat(result.pairs()).isEmpty();
        assertThat(result.warmUp().candidateFirst()).isTrue();
        assertThat(result.warmUp().baseline().eventsPerSecond()).isPositive();
        assertThat(result.warmUp().candidate().eventsPerSecond()).isPositive();
        assertThat(result.warmUp().candidate().latenciesMs())
                .as("no latency phase")
                .isEmpty();
        assertThat(result.report()).contains("warm ", "full, prefetch", "no pairs counted");
    }
}
