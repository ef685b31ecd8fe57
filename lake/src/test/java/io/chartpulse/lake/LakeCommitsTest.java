package io.chartpulse.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LakeCommitsTest {

    @Test
    void aStackWaitsForItsTasksAtMostItsIntervalAndNeverLongerThanProduction() {
        assertThat(LakeCommits.timeoutFor(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(LakeCommits.timeoutFor(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(30));
        assertThat(LakeCommits.timeoutFor(Duration.ofSeconds(30))).isEqualTo(LakeCommits.DEFAULT_TIMEOUT);
    }
}
