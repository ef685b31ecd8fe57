package io.chartpulse.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.collector.bench.CollectorBenchmark;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.junit.StackExtension;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A one-second run of the benchmark, so the benchmark cannot rot; its speed is not judged here. */
@ExtendWith(StackExtension.class)
class CollectorBenchmarkSmokeIT {

    @Test
    void everyPhaseRunsAndReportsFigures(EmbeddedKafka kafka, EmbeddedRegistry registry, @TempDir Path dir)
            throws Exception {
        CollectorBenchmark.Result result = CollectorBenchmark.run(kafka, registry, 1, 2, 5, dir);

        assertThat(result.baseline().get("events"))
                .isInstanceOfSatisfying(
                        Number.class, n -> assertThat(n.longValue()).isPositive());
        assertThat(result.peak().get("requests"))
                .isInstanceOfSatisfying(
                        Number.class, n -> assertThat(n.longValue()).isPositive());
        assertThat(result.peak().get("errors")).isEqualTo(0);
        assertThat(result.halfLoad().get("requests"))
                .isInstanceOfSatisfying(
                        Number.class, n -> assertThat(n.longValue()).isPositive());
        assertThat(result.report()).contains("ratio collector/baseline");
    }
}
