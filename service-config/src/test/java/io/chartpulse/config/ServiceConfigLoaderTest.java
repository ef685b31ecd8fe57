package io.chartpulse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceConfigLoaderTest {

    @Test
    void environmentWinsOverTheFileAndMapsToDottedKeys(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("svc.properties"), "port = 9000\nstore.topic=_from_file\n");
        Map<String, String> values = ServiceConfigLoader.load(
                file,
                "CHARTPULSE_X_",
                Map.of(
                        "CHARTPULSE_X_PORT", "9100",
                        "CHARTPULSE_X_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                        "OTHER_PORT", "1",
                        "CHARTPULSE_X_", "ignored"));

        assertThat(values)
                .containsEntry("port", "9100")
                .containsEntry("store.topic", "_from_file")
                .containsEntry("kafka.security.protocol", "SASL_SSL")
                .hasSize(3);
    }

    @Test
    void noFileMeansEnvironmentOnly() {
        assertThat(ServiceConfigLoader.load(null, "P_", Map.of("P_A_B", "1"))).containsExactly(Map.entry("a.b", "1"));
    }

    @Test
    void theEnvironmentForSettingsReadsBackAsThem() {
        Map<String, String> settings = Map.of("store.topic", "_s", "kafka.security.protocol", "SSL", "port", "1");
        Map<String, String> env = ServiceConfigLoader.environment("CHARTPULSE_REGISTRY_", settings);
        assertThat(env)
                .containsEntry("CHARTPULSE_REGISTRY_STORE_TOPIC", "_s")
                .containsEntry("CHARTPULSE_REGISTRY_KAFKA_SECURITY_PROTOCOL", "SSL")
                .hasSize(3);
        assertThat(ServiceConfigLoader.load(null, "CHARTPULSE_REGISTRY_", env)).isEqualTo(settings);
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> ServiceConfigLoader.load(dir.resolve("nope.properties"), "P_", Map.of()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("nope.properties");
    }

    @Test
    void readsUsersFiles(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("users.properties"), "ci=secret\n");
        assertThat(ServiceConfigLoader.users(file)).containsExactly(Map.entry("ci", "secret"));
    }
}
