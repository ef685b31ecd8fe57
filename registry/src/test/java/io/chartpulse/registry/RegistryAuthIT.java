package io.chartpulse.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.junit.KafkaExtension;
import io.chartpulse.embedded.kafka.junit.TestTopics;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaExtension.class)
class RegistryAuthIT {

    @Test
    void basicAuthGuardsTheApiButNotTheProbes(EmbeddedKafka kafka, TestTopics topics, @TempDir Path dir)
            throws Exception {
        Path users = Files.writeString(dir.resolve("users.properties"), "ci=from-file\n");
        try (RegistryServer server = RegistryFixture.start(
                kafka,
                topics.unique("_schemas"),
                RegistryConfig.USERS_FILE_CONFIG,
                users.toString(),
                RegistryConfig.USER_INFO_CONFIG,
                "app:s3cret")) {
            RegistryClient anonymous = new RegistryClient(server.url());
            RegistryClient.Response refused = anonymous.get("/subjects");
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.errorCode()).isEqualTo(401);
            assertThat(anonymous.withBasicAuth("app", "wrong").get("/subjects").status())
                    .isEqualTo(401);
            assertThat(anonymous.get("/healthz").status()).isEqualTo(200);
            assertThat(anonymous.get("/readyz").status()).isEqualTo(200);

            assertThat(anonymous.withBasicAuth("app", "s3cret").get("/subjects").status())
                    .isEqualTo(200);
            assertThat(anonymous.withBasicAuth("ci", "from-file").registerOk("a-value", Schemas.record(Schemas.INT_A)))
                    .isPositive();
        }
    }

    @Test
    void globalConfigCanBeSetAndReset(EmbeddedKafka kafka, TestTopics topics) {
        try (RegistryServer server = RegistryFixture.start(
                kafka, topics.unique("_schemas"), RegistryConfig.DEFAULT_COMPATIBILITY_CONFIG, "FULL_TRANSITIVE")) {
            RegistryClient client = new RegistryClient(server.url());
            assertThat(client.get("/config").json().getString("compatibilityLevel"))
                    .isEqualTo("FULL_TRANSITIVE");
            assertThat(client.put("/config", new JsonObject().put("compatibility", "none"))
                            .json()
                            .getString("compatibility"))
                    .isEqualTo("NONE");
            assertThat(client.get("/config").json().getString("compatibilityLevel"))
                    .isEqualTo("NONE");
            assertThat(client.delete("/config").json().getString("compatibilityLevel"))
                    .isEqualTo("NONE");
            assertThat(client.get("/config").json().getString("compatibilityLevel"))
                    .isEqualTo("FULL_TRANSITIVE");
        }
    }
}
