package io.chartpulse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every Dockerfile copies what the Maven build made (build context: the repository root), as a non-root user. */
class DockerfilesTest {

    private static List<Path> dockerfiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("docker"))) {
            return files.filter(p -> p.toString().endsWith(".Dockerfile"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void copySourcesExistAfterTheBuild() throws IOException {
        List<Path> files = dockerfiles();
        assertThat(files)
                .extracting(p -> p.getFileName().toString())
                .contains(
                        "collector.Dockerfile",
                        "streams-app.Dockerfile",
                        "registry.Dockerfile",
                        "connect.Dockerfile",
                        "batch.Dockerfile",
                        "airflow.Dockerfile");
        for (Path dockerfile : files) {
            for (String line : Files.readAllLines(dockerfile)) {
                if (line.startsWith("COPY ")) {
                    String[] parts = line.substring(5).trim().split("\\s+");
                    for (int i = 0; i < parts.length - 1; i++) {
                        if (!parts[i].startsWith("--")) {
                            assertThat(Path.of("..").resolve(parts[i]))
                                    .as(dockerfile + ": " + line)
                                    .exists();
                        }
                    }
                }
            }
        }
    }

    @Test
    void imagesArePinnedRunAsNonRootAndCheckTheirHealth() throws IOException {
        for (Path dockerfile : dockerfiles()) {
            String text = Files.readString(dockerfile);
            assertThat(text).as(dockerfile.toString()).containsPattern("(?m)^FROM [a-z0-9./-]+:[0-9][A-Za-z0-9._-]*$");
            List<String> users = text.lines().filter(l -> l.startsWith("USER ")).toList();
            assertThat(users).as(dockerfile + " switches user").isNotEmpty();
            assertThat(users.get(users.size() - 1))
                    .as(dockerfile + " ends as a non-root user")
                    .matches("USER (10001(:10001)?|appuser|1001|50000)");
            // The CLI and batch images run one-shot jobs; Strimzi probes its Connect pods itself.
            if (!List.of("cli.Dockerfile", "batch.Dockerfile", "connect-strimzi.Dockerfile")
                    .contains(dockerfile.getFileName().toString())) {
                assertThat(text).as(dockerfile + " health check").contains("HEALTHCHECK --");
            }
        }
    }
}
