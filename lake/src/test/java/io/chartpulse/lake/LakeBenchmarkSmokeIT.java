package io.chartpulse.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.embedded.EmbeddedConnect;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.junit.KafkaExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A small run of the lake benchmark, so it cannot rot; its speed is not judged here. */
@ExtendWith(KafkaExtension.class)
class LakeBenchmarkSmokeIT {

    @Test
    void everyContenderTakesTheWholeBacklogAndFreshnessIsMeasured(EmbeddedKafka kafka) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "lake-bench-smoke", "run-" + System.currentTimeMillis()));
        Duration interval = Duration.ofSeconds(2);
        try (LakeStack stack = new LakeStack(kafka, dir, interval);
                EmbeddedConnect connect = EmbeddedConnect.start(
                        kafka, 0, "lake-bench-smoke", List.of(LakeStack.pluginPath()), Map.of())) {
            LakeBenchmark.Result result = LakeBenchmark.run(stack, connect, 3_000, 2, interval, interval);
            System.out.print(result.report());

            assertThat(result.discard().recordsPerSecond()).isPositive();
            for (LakeBenchmark.Layout layout : List.of(result.day(), result.dayAndType())) {
                assertThat(layout.rows()).as(layout.name()).isEqualTo(3_000);
                assertThat(layout.commits()).as(layout.name()).isNotEmpty();
                assertThat(layout.files()).as(layout.name()).isPositive();
            }
            // The type partition splits every day into one file group per type; the query plans only its own.
            assertThat(result.dayAndType().files()).isGreaterThan(result.day().files());
            assertThat(result.dayAndType().oneType().bytes())
                    .isLessThan(result.day().oneType().bytes());
            assertThat(result.dayAndType().oneType().rows())
                    .isEqualTo(result.day().oneType().rows())
                    .isPositive();
            assertThat(result.freshness())
                    .hasSize(2)
                    .allSatisfy(d -> assertThat(d).isPositive());
            assertThat(result.report()).contains("Connect discard sink", "day + event_type", "freshness");
        }
    }
}
