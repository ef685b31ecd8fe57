package io.chartpulse.streams.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.junit.StackExtension;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.streams.bench.FloorBenchmark;
import io.chartpulse.streams.bench.StreamsBenchmark;
import java.util.List;
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
    void theFloorBenchmarkTimesEveryPairOnTheWholeBacklog(EmbeddedKafka kafka, EmbeddedRegistry registry)
            throws Exception {
        FloorBenchmark.Result result = FloorBenchmark.run(kafka, registry, 2_000, 1, 1);
        assertThat(result.pairs()).hasSize(1);
        for (FloorBenchmark.Pair pair : List.of(result.warmUp(), result.pairs().get(0))) {
            assertThat(pair.passThrough().eventsPerSecond()).isPositive();
            assertThat(pair.floor().eventsPerSecond()).isPositive();
            assertThat(pair.floor().latenciesMs()).as("no latency phase").isEmpty();
        }
        assertThat(result.warmUp().floorFirst()).isTrue();
        assertThat(result.pairs().get(0).floorFirst())
                .as("the order alternates")
                .isFalse();
        assertThat(result.report()).contains("warm ", "median ratio", "pairs at or above 0.5");
    }
}
