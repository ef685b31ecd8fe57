package io.chartpulse.serde.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chartpulse.serde.registry.RegistryClientSettings;
import java.util.Base64;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class AvroSerdeConfigTest {

    private static final Schema RECORD = new Schema.Parser()
            .parse("{\"type\":\"record\",\"name\":\"Click\",\"namespace\":\"io.chartpulse.test\",\"fields\":[]}");

    @Test
    void registryUrlIsRequired() {
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
    }

    @Test
    void severalUrlsAreKeptInOrderWithoutTrailingSlashes() {
        RegistryClientSettings settings =
                new AvroSerdeConfig(Map.of("schema.registry.url", "http://a:8081/, http://b:8081")).registrySettings();
        assertThat(settings.urls()).containsExactly("http://a:8081", "http://b:8081");
        assertThat(settings.authorization()).isNull();
    }

    @Test
    void basicAuthFromUserInfoOrFromTheUrl() {
        String expected = "Basic " + Base64.getEncoder().encodeToString("u:p".getBytes());
        assertThat(new AvroSerdeConfig(Map.of(
                                "schema.registry.url",
                                "http://r:8081",
                                "basic.auth.credentials.source",
                                "USER_INFO",
                                "basic.auth.user.info",
                                "u:p"))
                        .registrySettings()
                        .authorization())
                .isEqualTo(expected);
        RegistryClientSettings fromUrl = new AvroSerdeConfig(
                        Map.of("schema.registry.url", "http://u:p@r:8081", "basic.auth.credentials.source", "URL"))
                .registrySettings();
        assertThat(fromUrl.authorization()).isEqualTo(expected);
        assertThat(fromUrl.urls()).containsExactly("http://r:8081");
    }

    @Test
    void bearerTokenAndMissingCredentialsAreReportedByKey() {
        assertThat(new AvroSerdeConfig(Map.of(
                                "schema.registry.url",
                                "http://r",
                                "bearer.auth.credentials.source",
                                "STATIC_TOKEN",
                                "bearer.auth.token",
                                "t0k"))
                        .registrySettings()
                        .authorization())
                .isEqualTo("Bearer t0k");
        assertThatThrownBy(() -> new AvroSerdeConfig(
                                Map.of("schema.registry.url", "http://r", "basic.auth.credentials.source", "USER_INFO"))
                        .registrySettings())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("basic.auth.user.info");
        assertThatThrownBy(() -> new AvroSerdeConfig(
                        Map.of("schema.registry.url", "http://r", "basic.auth.credentials.source", "KERBEROS")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("basic.auth.credentials.source");
    }

    @Test
    void subjectStrategiesByOurOrConfluentsNames() {
        assertThat(strategy("TopicNameStrategy").subjectName("clicks", false, RECORD))
                .isEqualTo("clicks-value");
        assertThat(strategy("io.confluent.kafka.serializers.subject.TopicNameStrategy")
                        .subjectName("clicks", true, RECORD))
                .isEqualTo("clicks-key");
        assertThat(strategy("io.confluent.kafka.serializers.subject.RecordNameStrategy")
                        .subjectName("clicks", false, RECORD))
                .isEqualTo("io.chartpulse.test.Click");
        assertThat(strategy(SubjectNameStrategy.TopicRecordNameStrategy.class.getName())
                        .subjectName("clicks", false, RECORD))
                .isEqualTo("clicks-io.chartpulse.test.Click");
        assertThatThrownBy(() -> strategy("com.example.Nope"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("value.subject.name.strategy")
                .hasMessageContaining("RecordNameStrategy");
    }

    private static SubjectNameStrategy strategy(String name) {
        return new AvroSerdeConfig(Map.of(
                        "schema.registry.url",
                        "http://r",
                        "value.subject.name.strategy",
                        name,
                        "key.subject.name.strategy",
                        name))
                .subjectNameStrategy(false);
    }
}
