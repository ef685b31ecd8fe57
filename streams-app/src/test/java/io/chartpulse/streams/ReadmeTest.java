package io.chartpulse.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.embedded.kafka.junit.ConfigTable;
import io.chartpulse.streams.service.StreamsAppConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReadmeTest {

    @Test
    void readmeDocumentsEveryConfigKeyWithItsDefault() {
        String table = ConfigTable.markdown(StreamsAppConfig.CONFIG);
        assertThat(ConfigTable.read(Path.of("README.md")))
                .as("streams-app/README.md must hold the generated table:\n" + table)
                .contains(table);
    }
}
