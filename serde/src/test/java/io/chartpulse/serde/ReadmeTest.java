package io.chartpulse.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.embedded.kafka.junit.ConfigTable;
import io.chartpulse.serde.avro.AvroSerdeConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReadmeTest {

    @Test
    void readmeDocumentsEveryConfigKeyWithItsDefault() {
        String table = ConfigTable.markdown(AvroSerdeConfig.CONFIG);
        assertThat(ConfigTable.read(Path.of("README.md")))
                .as("serde/README.md must hold the generated table:\n" + table)
                .contains(table);
    }
}
