package io.chartpulse.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.avro.RejectionStage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RejectionCodeTest {

    @Test
    void codesAreUniqueSnakeCaseAndEachHasAStageThatRejects() {
        assertThat(Arrays.stream(RejectionCode.values()).map(RejectionCode::value))
                .doesNotHaveDuplicates()
                .allMatch(v -> v.matches("[a-z]+(_[a-z]+)*"));
        assertThat(RejectionCode.values())
                .allMatch(c -> c.stage() == RejectionStage.COLLECTOR || c.stage() == RejectionStage.STREAMS)
                .allMatch(c -> !c.description().isBlank());
    }

    @Test
    void theReadmeTableIsTheEnum() throws IOException {
        String table = "| code | stage | meaning |\n|---|---|---|\n"
                + Arrays.stream(RejectionCode.values())
                        .map(c -> "| `" + c.value() + "` | " + c.stage() + " | " + c.description() + " |")
                        .collect(Collectors.joining("\n"))
                + "\n";
        assertThat(Files.readString(Path.of("README.md")))
                .as("schemas/README.md must hold:\n" + table)
                .contains(table);
    }
}
