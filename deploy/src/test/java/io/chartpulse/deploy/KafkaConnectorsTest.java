package io.chartpulse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One KafkaConnector per connect-config/connectors file, generated from those files (never written twice):
 * k8s/base/connectors.generated.yaml must be what {@link #generate} makes of them, and the rendered overlay must
 * carry each file's config unchanged.
 */
class KafkaConnectorsTest {

    private static final Path CONFIGS = Path.of("..", "connect-config", "connectors");
    private static final Path GENERATED = Path.of("..", "k8s", "base", "connectors.generated.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(CONFIGS)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static Map<String, String> config(JsonNode file) {
        Map<String, String> config = new TreeMap<>();
        file.path("config")
                .fields()
                .forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        return config;
    }

    static String generate() throws IOException {
        StringBuilder out = new StringBuilder(
                "# Generated from connect-config/connectors/*.json by KafkaConnectorsTest: do not edit.\n"
                        + "# Change the JSON files, run the deploy module's tests and copy target/connectors.generated.yaml here.\n");
        boolean first = true;
        for (Path path : files()) {
            JsonNode file = JSON.readTree(path.toFile());
            Map<String, String> config = config(file);
            String connectorClass = config.remove("connector.class");
            String tasks = config.remove("tasks.max");
            out.append(first ? "" : "---\n");
            first = false;
            out.append("apiVersion: kafka.strimzi.io/v1\nkind: KafkaConnector\nmetadata:\n  name: ")
                    .append(file.path("name").asText())
                    .append("\n  labels:\n    strimzi.io/cluster: chartpulse-connect\n")
                    .append("spec:\n  class: ")
                    .append(connectorClass)
                    .append("\n  tasksMax: ")
                    .append(tasks)
                    .append("\n  config:\n");
            for (Map.Entry<String, String> e : config.entrySet()) {
                out.append("    ")
                        .append(JSON.writeValueAsString(e.getKey()))
                        .append(": ")
                        .append(JSON.writeValueAsString(e.getValue()))
                        .append('\n');
            }
        }
        return out.toString();
    }

    @Test
    void theGeneratedFileIsUpToDate() throws IOException {
        GeneratedFiles.assertUpToDate(GENERATED, generate());
    }

    @Test
    void everyConfigFileHasAKafkaConnectorWithTheSameConfig() throws Exception {
        Map<String, JsonNode> rendered = new TreeMap<>();
        for (JsonNode doc : KubernetesTest.render("dev")) {
            if (doc.path("kind").asText().equals("KafkaConnector")) {
                rendered.put(doc.path("metadata").path("name").asText(), doc);
            }
        }
        assertThat(rendered).hasSize(files().size());
        for (Path path : files()) {
            JsonNode file = JSON.readTree(path.toFile());
            JsonNode connector = rendered.get(file.path("name").asText());
            assertThat(connector).as(path + " has a KafkaConnector").isNotNull();
            Map<String, String> expected = config(file);
            Map<String, String> actual = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it =
                            connector.path("spec").path("config").fields();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                actual.put(e.getKey(), e.getValue().asText());
            }
            actual.put("connector.class", connector.path("spec").path("class").asText());
            actual.put("tasks.max", connector.path("spec").path("tasksMax").asText());
            assertThat(actual).as(path.toString()).isEqualTo(expected);
            assertThat(connector
                            .path("metadata")
                            .path("labels")
                            .path("strimzi.io/cluster")
                            .asText())
                    .isEqualTo("chartpulse-connect");
        }
    }
}
