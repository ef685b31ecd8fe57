package io.chartpulse.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each wither changes what it names and nothing else. */
class TopologySettingsTest {

    private static final TopologySettings D = TopologySettings.defaults();

    @Test
    void eachWitherChangesOnlyWhatItNames() {
        assertThat(D.withTopics("r", "e", "i", "c", "s", "m"))
                .usingRecursiveComparison()
                .ignoringFields(
                        "rawTopic", "enrichedTopic", "invalidTopic", "catalogTopic", "sessionsTopic", "metricsTopic")
                .isEqualTo(D);
        TopologySettings topics = D.withTopics("r", "e", "i", "c", "s", "m");
        assertThat(topics.rawTopic()
                        + topics.enrichedTopic()
                        + topics.invalidTopic()
                        + topics.catalogTopic()
                        + topics.sessionsTopic()
                        + topics.metricsTopic())
                .isEqualTo("reicsm");

        TopologySettings dedup = D.withDedup(Duration.ofHours(2), 7);
        assertThat(dedup.dedupHorizon()).isEqualTo(Duration.ofHours(2));
        assertThat(dedup.dedupMaxIds()).isEqualTo(7);
        assertThat(dedup)
                .usingRecursiveComparison()
                .ignoringFields("dedupHorizon", "dedupMaxIds")
                .isEqualTo(D);
        assertThat(dedup.withDedupHorizon(Duration.ofHours(3)).dedupMaxIds()).isEqualTo(7);

        TopologySettings sessions = D.withSessions(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofSeconds(3));
        assertThat(sessions.sessionGap()).isEqualTo(Duration.ofMinutes(1));
        assertThat(sessions.sessionGrace()).isEqualTo(Duration.ofMinutes(2));
        assertThat(sessions.sessionCheck()).isEqualTo(Duration.ofSeconds(3));
        assertThat(sessions)
                .usingRecursiveComparison()
                .ignoringFields("sessionGap", "sessionGrace", "sessionCheck")
                .isEqualTo(D);

        assertThat(D.withSessionMaxDuration(Duration.ofHours(1)))
                .usingRecursiveComparison()
                .ignoringFields("sessionMaxDuration")
                .isEqualTo(D);
        assertThat(D.withSessionMaxDuration(Duration.ofHours(1)).sessionMaxDuration())
                .isEqualTo(Duration.ofHours(1));
        assertThat(D.withMetricsRetention(Duration.ofMinutes(9)).metricsRetention())
                .isEqualTo(Duration.ofMinutes(9));
        assertThat(D.withMetricsRetention(Duration.ofMinutes(9)))
                .usingRecursiveComparison()
                .ignoringFields("metricsRetention")
                .isEqualTo(D);
        assertThat(D.withErasureTopic("x").erasureTopic()).isEqualTo("x");
        assertThat(D.withErasureTopic("x"))
                .usingRecursiveComparison()
                .ignoringFields("erasureTopic")
                .isEqualTo(D);
    }
}
