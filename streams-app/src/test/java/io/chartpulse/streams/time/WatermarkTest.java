package io.chartpulse.streams.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class WatermarkTest {

    @Test
    void streamTimeOnlyMovesForwardAndTheWallClockAdvancesItWhileIdle() {
        Watermark w = new Watermark(Duration.ofSeconds(10));
        assertThat(w.idle(1_000)).isEqualTo(Long.MIN_VALUE);
        w.observe(5_000, 100);
        w.observe(4_000, 200);
        assertThat(w.streamTime()).isEqualTo(5_000);
        assertThat(w.idle(100)).isEqualTo(5_000);
        assertThat(w.idle(3_100)).isEqualTo(8_000);
    }

    @Test
    void scansAreDueAtMostOncePerCheckIntervalOfWallClock() {
        Watermark w = new Watermark(Duration.ofSeconds(10));
        assertThat(w.scanDue(0)).isTrue();
        assertThat(w.scanDue(9_999)).isFalse();
        assertThat(w.scanDue(10_000)).isTrue();
        assertThat(w.scanDue(10_001)).isFalse();
    }
}
