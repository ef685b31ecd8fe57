package io.chartpulse.lake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;

/** Creating a connector on a worker's REST API and waiting until it and its tasks run. */
final class ConnectorRuns {

    /** A worker's REST call. */
    interface Rest {
        HttpResponse<String> request(String method, String path, String body);
    }

    private ConnectorRuns() {}

    static void create(Rest rest, String name, Map<String, String> config) {
        try {
            var response =
                    rest.request("PUT", "/connectors/" + name + "/config", LakeStack.JSON.writeValueAsString(config));
            assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    JsonNode status =
                            LakeStack.JSON.readTree(rest.request("GET", "/connectors/" + name + "/status", null)
                                    .body());
                    assertThat(status.path("connector").path("state").asText())
                            .as(status.toString())
                            .isEqualTo("RUNNING");
                    assertThat(status.path("tasks")).as(status.toString()).isNotEmpty();
                    status.path("tasks")
                            .forEach(t -> assertThat(t.path("state").asText())
                                    .as(status.toString())
                                    .isEqualTo("RUNNING"));
                });
    }
}
