package io.chartpulse.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IntervalTest {

    @Test
    void aDayAndAnHourParseToTheirUtcBounds() {
        Interval day = Interval.parse("2026-12-01");
        assertThat(day.grain()).isEqualTo(Interval.Grain.DAY);
        assertThat(day.start()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(day.end()).isEqualTo(Instant.parse("2026-12-02T00:00:00Z"));
        assertThat(day.key()).isEqualTo("2026-12-01");
        Interval hour = Interval.parse("2026-12-01T13");
        assertThat(hour.grain()).isEqualTo(Interval.Grain.HOUR);
        assertThat(hour.end()).isEqualTo(Instant.parse("2026-12-01T14:00:00Z"));
        assertThat(hour.key()).isEqualTo("2026-12-01T13");
        assertThat(Interval.parse("2026-12-01T13:00:00Z")).isEqualTo(hour);
    }

    @Test
    void boundsAreHalfOpen() {
        Interval hour = Interval.parse("2026-12-01T13");
        assertThat(hour.contains(Instant.parse("2026-12-01T13:00:00Z"))).isTrue();
        assertThat(hour.contains(Instant.parse("2026-12-01T13:59:59.999Z"))).isTrue();
        assertThat(hour.contains(Instant.parse("2026-12-01T14:00:00Z"))).isFalse();
    }

    @Test
    void aDayHas24HoursAndBetweenListsWholeIntervals() {
        assertThat(Interval.parse("2026-12-01").hours()).hasSize(24).first().isEqualTo(Interval.parse("2026-12-01T00"));
        List<Interval> days = Interval.between(
                Interval.Grain.DAY, Instant.parse("2026-11-29T10:00:00Z"), Instant.parse("2026-12-01T23:00:00Z"));
        // The last day ends after "to", so it is not listed.
        assertThat(days).extracting(Interval::key).containsExactly("2026-11-29", "2026-11-30");
    }

    @Test
    void badTextIsRefusedNamingBothForms() {
        assertThatThrownBy(() -> Interval.parse("yesterday"))
                .hasMessage(
                        "'yesterday' is not an interval: give a day (2026-12-01) or an hour (2026-12-01T13), in UTC");
        assertThatThrownBy(() -> Interval.parse("2026-12-01T13:30:00Z")).hasMessageContaining("2026-12-01T13:30:00Z");
        assertThatThrownBy(() -> Interval.parse(null)).hasMessageContaining("is not an interval");
        assertThatThrownBy(() -> Interval.Grain.of("week")).hasMessage("grain must be day or hour, got 'week'");
    }
}
