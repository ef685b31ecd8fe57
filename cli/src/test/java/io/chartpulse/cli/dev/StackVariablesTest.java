package io.chartpulse.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.cli.connectors.ConnectorFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The variables the commands run against {@code ./chartpulse dev} with {@code --dev} resolve connector configs with. */
class StackVariablesTest {

    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)}");

    @Test
    void devNamesEveryVariableOfEveryConnectorConfig() throws IOException {
        Map<String, String> dev = StackVariables.dev(Path.of(".chartpulse"));
        TreeSet<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("..", "connect-config", "connectors"))) {
            files.filter(f -> f.toString().endsWith(".json"))
                    .forEach(f -> ConnectorFile.read(f).config().values().forEach(v -> {
                        Matcher m = ENV.matcher(v);
                        while (m.find()) {
                            used.add(m.group(1));
                        }
                    }));
        }
        assertThat(used).isNotEmpty();
        assertThat(dev.keySet()).containsAll(used);
        assertThat(dev.get("CHARTPULSE_MONGO_URI")).isEqualTo("mongodb://127.0.0.1:27017/?retryWrites=false");
    }
}
