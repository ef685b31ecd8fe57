package io.chartpulse.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.embedded.kafka.junit.ConfigTable;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReadmeTest {

    @Test
    void readmeDocumentsEveryConfigKeyWithItsDefault() {
        String table = ConfigTable.markdown(CollectorConfig.CONFIG);
        assertThat(ConfigTable.read(Path.of("README.md")))
                .as("collector/README.md must hold the generated table:\n" + table)
                .contains(table);
    }
}
