package io.chartpulse.connect.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.connect.s3.config.S3SinkConfig;
import io.chartpulse.embedded.kafka.junit.ConfigTable;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReadmeTest {

    @Test
    void readmeDocumentsEveryConfigKeyWithItsDefault() {
        String table = ConfigTable.markdown(S3SinkConfig.CONFIG);
        assertThat(ConfigTable.read(Path.of("README.md")))
                .as("connect-s3-sink/README.md must hold the generated table:\n" + table)
                .contains(table);
    }
}
