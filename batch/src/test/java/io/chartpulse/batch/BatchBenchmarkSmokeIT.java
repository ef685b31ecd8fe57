package io.chartpulse.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch benchmark at a tiny size, so that -Pbenchmark cannot rot: it runs, and its figures are figures. */
class BatchBenchmarkSmokeIT {

    @TempDir
    Path dir;

    @Test
    void theBenchmarkRunsEndToEnd() throws Exception {
        BatchBenchmark.Result r = BatchBenchmark.run(dir, 3_000, 1, BatchBenchmark.targets("mongo,lake"));
        assertThat(r.archived()).isEqualTo(3_000);
        BatchBenchmark.Round round = r.rounds().get(0);
        assertThat(round.events()).isEqualTo(3_000);
        assertThat(round.decodePerSecond()).isPositive();
        assertThat(round.replayPerSecond()).isPositive();
        assertThat(round.processingPerSecond()).isGreaterThan(round.replayPerSecond());
        assertThat(round.writingSeconds()).isPositive();
        assertThat(round.rollupSeconds()).isPositive();
        // The floors are measured on what the replay wrote: every event and session document, every row.
        BatchBenchmark.Floors floors = round.floors();
        assertThat(floors.documents()).isEqualTo(floors.rows()).isGreaterThan(2_000);
        assertThat(floors.mongoSeconds()).isPositive().isLessThanOrEqualTo(floors.upsertSeconds());
        assertThat(floors.lakeSeconds()).isPositive();
        assertThat(round.ceilingPerSecond()).isPositive().isLessThan(round.decodePerSecond());
    }
}
