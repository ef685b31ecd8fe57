package io.chartpulse.streams.time;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WatermarkTest {

    @Test
    void streamTimeOnlyMovesForwardAndTheWallClockAdvancesItWhileIdle() {
        Watermark w = new Watermark();
        assertThat(w.idle(1_000)).isEqualTo(Long.MIN_VALUE);
        w.observe(5_000, 100);
        w.observe(4_000, 200);
        assertThat(w.streamTime()).isEqualTo(5_000);
        assertThat(w.idle(100)).isEqualTo(5_000);
        assertThat(w.idle(3_100)).isEqualTo(8_000);
    }
}
