package io.chartpulse.connect.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chartpulse.connect.s3.config.S3SinkConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

/** Connect's validate (what the REST API and `chartpulse connectors apply` show): each broken rule on its own key. */
class S3SinkConnectorValidateTest {

    static Map<String, String> valid() {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", S3SinkConnector.class.getName());
        config.put("topics", "chart.events.raw.v1");
        config.put(S3SinkConfig.BUCKET, "archive");
        return config;
    }

    static Map<String, List<String>> errors(Map<String, String> config) {
        return new S3SinkConnector()
                .validate(config).configValues().stream()
                        .filter(v -> !v.errorMessages().isEmpty())
                        .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }

    @Test
    void aValidConfigHasNoErrors() {
        assertThat(errors(valid())).isEmpty();
    }

    @Test
    void everyClosedChoiceIsRecommendedWithItsValuesAndAnOtherValueIsNamed() {
        Map<String, List<Object>> recommended = new S3SinkConnector()
                .validate(valid()).configValues().stream()
                        .filter(v -> !v.recommendedValues().isEmpty())
                        .collect(Collectors.toMap(ConfigValue::name, ConfigValue::recommendedValues));
        assertThat(recommended)
                .containsEntry(S3SinkConfig.FORMAT, List.of("avro", "jsonl", "bytes"))
                .containsEntry(S3SinkConfig.AVRO_CODEC, List.of("null", "deflate", "snappy", "zstandard"))
                .containsEntry(S3SinkConfig.COMPRESSION, List.of("none", "gzip"))
                .containsEntry(S3SinkConfig.PARTITIONER, List.of("kafka_partition", "field", "time"))
                .containsEntry(S3SinkConfig.TIMESTAMP_EXTRACTOR, List.of("Record", "RecordField"))
                .containsEntry(S3SinkConfig.SSE, List.of("", "AES256", "aws:kms"))
                .hasSize(6);

        Map<String, String> config = valid();
        config.put(S3SinkConfig.FORMAT, "parquet");
        assertThat(errors(config).get(S3SinkConfig.FORMAT).get(0)).contains("parquet", "avro, jsonl, bytes");
    }

    @Test
    void everyBrokenCrossKeyRuleIsReportedOnItsOwnKey() {
        Map<String, String> config = valid();
        config.put(S3SinkConfig.PARTITIONER, S3SinkConfig.PartitionScheme.FIELD.configValue());
        config.put(S3SinkConfig.TIMEZONE, "Mars/Olympus");
        config.put(S3SinkConfig.ENDPOINT, "minio:9000");

        Map<String, List<String>> errors = errors(config);

        assertThat(errors)
                .containsOnlyKeys(S3SinkConfig.PARTITION_FIELDS, S3SinkConfig.TIMEZONE, S3SinkConfig.ENDPOINT);
        assertThat(errors.get(S3SinkConfig.TIMEZONE))
                .containsExactly("Invalid value Mars/Olympus for configuration timezone: unknown time zone");
        assertThat(errors.get(S3SinkConfig.ENDPOINT).get(0)).contains("minio:9000", "must be an http(s) URL");
        assertThat(errors.get(S3SinkConfig.PARTITION_FIELDS).get(0)).contains("needs at least one field");
    }

    @Test
    void theConfigItselfStillRefusesTheFirstBrokenRule() {
        Map<String, String> config = valid();
        config.put(S3SinkConfig.TIMEZONE, "Mars/Olympus");
        assertThatThrownBy(() -> new S3SinkConfig(config))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value Mars/Olympus for configuration timezone: unknown time zone");
    }
}
