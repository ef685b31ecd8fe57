package io.chartpulse.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.embedded.ConnectRest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

/** Creating a connector on a worker's REST API and waiting until it and its tasks run. */
final class ConnectorRuns {

    private ConnectorRuns() {}

    static void create(ConnectRest.Call rest, String name, Map<String, String> config) {
        try {
            var response =
                    rest.request("PUT", "/connectors/" + name + "/config", LakeStack.JSON.writeValueAsString(config));
            assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ConnectRest.awaitRunning(rest, name, Duration.ofSeconds(60));
    }
}
