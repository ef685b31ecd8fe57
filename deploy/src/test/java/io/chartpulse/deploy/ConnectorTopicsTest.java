package io.chartpulse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chartpulse.schemas.Topic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The connector files name only ChartPulse's topics (declared in {@link Topic}), and each its own dead letters. */
class ConnectorTopicsTest {

    private static final Path CONFIGS = Path.of("..", "connect-config", "connectors");

    @Test
    void everyConnectorReadsDeclaredTopicsAndDeadLettersToItsOwnTopic() throws IOException {
        Set<String> declared =
                Arrays.stream(Topic.values()).map(Topic::topicName).collect(Collectors.toSet());
        List<Path> files;
        try (Stream<Path> list = Files.list(CONFIGS)) {
            files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        ObjectMapper json = new ObjectMapper();
        for (Path file : files) {
            JsonNode root = json.readTree(file.toFile());
            String name = root.get("name").asText();
            JsonNode config = root.get("config");
            for (String topic : config.get("topics").asText().split(",")) {
                assertThat(declared).as(file + " reads " + topic).contains(topic.trim());
            }
            if (config.has("errors.deadletterqueue.topic.name")) {
                assertThat(config.get("errors.deadletterqueue.topic.name").asText())
                        .as(file.toString())
                        .isEqualTo(Topic.deadLetter(name));
            }
            if (config.has("iceberg.control.topic")) {
                assertThat(config.get("iceberg.control.topic").asText()).isEqualTo(Topic.LAKE_CONTROL.topicName());
            }
        }
    }
}
