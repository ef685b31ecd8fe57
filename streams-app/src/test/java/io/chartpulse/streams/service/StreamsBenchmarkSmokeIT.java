package io.chartpulse.streams.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.junit.StackExtension;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.streams.bench.StreamsBenchmark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A small run of the streams benchmark, so it cannot rot; its speed is not judged here. */
@ExtendWith(StackExtension.class)
class StreamsBenchmarkSmokeIT {

    @Test
    void everyTopologyConsumesTheWholeBacklog(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        StreamsBenchmark.Result result = StreamsBenchmark.run(kafka, registry, 2_000, 1);
        assertThat(result.passThrough().eventsPerSecond()).isPositive();
        assertThat(result.structure().eventsPerSecond()).isPositive();
        assertThat(result.full().eventsPerSecond()).isPositive();
        // The latency phase sends a tenth of the backlog again; every one of those events must come out.
        assertThat(result.passThrough().latenciesMs()).hasSize(200);
        assertThat(result.structure().latenciesMs()).hasSize(200);
        assertThat(result.full().latenciesMs()).hasSize(200);
        assertThat(result.full().latenciesMs()[0]).as("the smallest latency").isNotNegative();
        assertThat(result.report()).contains("ratio", "structure only", "p99");
    }
}
