package io.chartpulse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checked-in files that the tests generate: the fresh version goes to target/ and must equal the checked-in one. */
final class GeneratedFiles {

    private GeneratedFiles() {}

    /** Writes {@code expected} to target/ under the checked-in file's name and asserts the checked-in file equals it. */
    static void assertUpToDate(Path checkedIn, String expected) throws IOException {
        Path fresh = Path.of("target", checkedIn.getFileName().toString());
        Files.createDirectories(fresh.getParent());
        Files.writeString(fresh, expected);
        assertThat(Files.readString(checkedIn))
                .as(checkedIn.toString().replace('\\', '/') + " is stale: copy deploy/"
                        + fresh.toString().replace('\\', '/') + " over it")
                .isEqualTo(expected);
    }
}
