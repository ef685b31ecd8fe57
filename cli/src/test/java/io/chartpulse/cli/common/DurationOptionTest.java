package io.chartpulse.cli.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationOptionTest {

    @Test
    void anIsoDurationIsTakenAndAnythingElseIsAUsageErrorNamingTheOption() {
        assertThat(DurationOption.parse("--wait", "PT2H", "PT2H")).isEqualTo(Duration.ofHours(2));
        assertThatThrownBy(() -> DurationOption.parse("--bound", "a day", "PT24H"))
                .isInstanceOf(CliException.class)
                .hasMessage("--bound must be an ISO-8601 duration such as PT24H, got a day");
        assertThatThrownBy(() -> DurationOption.parse("--lookback", "-PT1H", "PT6H"))
                .hasMessage("--lookback must not be negative, got -PT1H");
    }
}
