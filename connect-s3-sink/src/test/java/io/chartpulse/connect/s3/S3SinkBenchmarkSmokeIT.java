package io.chartpulse.connect.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.embedded.EmbeddedConnect;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.EmbeddedS3;
import io.chartpulse.embedded.junit.StackExtension;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A small run of the S3 sink benchmark, so it cannot rot; its speed is not judged here. */
@ExtendWith(StackExtension.class)
class S3SinkBenchmarkSmokeIT {

    @Test
    void everyContenderHandlesTheWholeBacklog(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start(0, null);
                EmbeddedConnect connect = EmbeddedConnect.start(
                        kafka, 0, "s3-sink-bench-smoke", List.of(ConnectS3Stack.pluginPath()), Map.of())) {
            S3SinkBenchmark.Result result = S3SinkBenchmark.run(kafka, registry, s3, connect, 3_000);
            assertThat(result.consumeOnly().recordsPerSecond()).isPositive();
            assertThat(result.connectDiscard().recordsPerSecond()).isPositive();
            assertThat(result.passThrough().recordsPerSecond()).isPositive();
            assertThat(result.reencode().recordsPerSecond()).isPositive();
            assertThat(result.archivedPassThrough()).isEqualTo(3_000);
            assertThat(result.archivedReencode()).isEqualTo(3_000);
            assertThat(result.report()).contains("consume only", "re-encode");
        }
    }
}
