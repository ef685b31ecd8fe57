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
    void bothTopologiesConsumeTheWholeBacklog(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        StreamsBenchmark.Result result = StreamsBenchmark.run(kafka, registry, 2_000);
        assertThat(result.passThrough()).isPositive();
        assertThat(result.full()).isPositive();
        assertThat(result.report()).contains("ratio");
    }
}
