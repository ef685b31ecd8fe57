package io.chartpulse.streams.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class StreamsAppConfigTest {

    @Test
    void theTransactionTimeoutIsRaisedAboveTheStallLimitUnlessSet() {
        assertThat(new StreamsAppConfig(Map.of()).streamsProperties("h:1"))
                .containsEntry("producer.transaction.timeout.ms", 60_000);
        assertThat(new StreamsAppConfig(Map.of("streams.producer.transaction.timeout.ms", "90000"))
                        .streamsProperties("h:1"))
                .containsEntry("producer.transaction.timeout.ms", "90000");
    }

    @Test
    void theProducersBatchIs128KbUnlessSet() {
        assertThat(new StreamsAppConfig(Map.of()).streamsProperties("h:1"))
                .containsEntry("producer.batch.size", 131_072);
        assertThat(new StreamsAppConfig(Map.of("streams.producer.batch.size", "16384")).streamsProperties("h:1"))
                .containsEntry("producer.batch.size", "16384");
    }

    @Test
    void aStallLimitAThreadCouldNotSurviveIsRefusedNamingBothKeys() {
        assertThatThrownBy(() -> new StreamsAppConfig(Map.of(StreamsAppConfig.MAX_STALL_CONFIG, "60000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("dependency.max.stall.ms=60000")
                .hasMessageContaining("streams.producer.transaction.timeout.ms");
        assertThatThrownBy(() -> new StreamsAppConfig(Map.of(
                        StreamsAppConfig.MAX_STALL_CONFIG, "20000", "streams.consumer.max.poll.interval.ms", "10000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("streams.consumer.max.poll.interval.ms");
    }

    @Test
    void theGuaranteeIsOneOfTheDeclaredChoicesAndReachesKafkaStreams() {
        assertThat(new StreamsAppConfig(Map.of()).guarantee()).isEqualTo(StreamsAppConfig.Guarantee.EXACTLY_ONCE_V2);
        assertThat(new StreamsAppConfig(Map.of(StreamsAppConfig.GUARANTEE_CONFIG, "at_least_once"))
                        .streamsProperties("h:1"))
                .containsEntry("processing.guarantee", "at_least_once");
        assertThatThrownBy(() -> new StreamsAppConfig(Map.of(StreamsAppConfig.GUARANTEE_CONFIG, "exactly_once")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("processing.guarantee")
                .hasMessageContaining("exactly_once_v2, at_least_once");
        assertThat(StreamsAppConfig.CONFIG
                        .configKeys()
                        .get(StreamsAppConfig.GUARANTEE_CONFIG)
                        .recommender
                        .validValues(StreamsAppConfig.GUARANTEE_CONFIG, Map.of()))
                .containsExactly("exactly_once_v2", "at_least_once");
    }
}
