package io.chartpulse.lake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Parquet floor measurement (its own command, {@link ParquetFloor}) still runs: a few rows, one round. */
class ParquetFloorSmokeTest {

    @Test
    void theFloorWritesTheBenchmarksRowsAndTimesThem() throws Exception {
        assertThat(ParquetFloor.measure(2_000, 2))
                .hasSize(2)
                .allSatisfy(rate -> assertThat(rate).isPositive());
    }
}
