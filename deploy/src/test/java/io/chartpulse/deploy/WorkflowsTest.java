package io.chartpulse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.chartpulse.cli.ChartPulseCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The GitHub workflows (.github/workflows): actionlint finds nothing, and what they run exists in this repository —
 * the files and directories they name, every image's Dockerfile (and every Dockerfile has its image), the
 * {@code chartpulse} commands they call — with every action pinned to a version. They are never run from here.
 */
class WorkflowsTest {

    private static final Path ROOT = Path.of("..");
    private static final Path WORKFLOWS = ROOT.resolve(".github/workflows");
    // A path in the repository as a workflow writes it: two or more segments, the first a top-level entry.
    private static final Pattern PATH = Pattern.compile("(?<![\\w./$-])(\\.?[a-z][\\w.-]*(?:/[\\w.*-]+)+/?)");

    static List<Path> workflows() throws IOException {
        try (Stream<Path> files = Files.list(WORKFLOWS)) {
            return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    static JsonNode read(Path workflow) throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(workflow.toFile());
    }

    static List<JsonNode> steps(JsonNode workflow) {
        List<JsonNode> steps = new ArrayList<>();
        workflow.path("jobs").forEach(job -> job.path("steps").forEach(steps::add));
        return steps;
    }

    @Test
    void theWorkflowsAreCiReleaseAndDeployAndActionlintFindsNothing() throws Exception {
        assertThat(workflows())
                .extracting(p -> p.getFileName().toString())
                .containsExactly("ci.yml", "deploy.yml", "release.yml");
        List<String> command = new ArrayList<>(List.of("actionlint", "-no-color"));
        workflows().forEach(p -> command.add(p.toString()));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(
                    "actionlint is not installed: `go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.7`"
                            + " (.ci/run installs it)",
                    e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("actionlint:\n" + output).isZero();
    }

    @Test
    void ciRunsWhatTheProjectsOwnCiRuns() throws Exception {
        String ci = Files.readString(WORKFLOWS.resolve("ci.yml"));
        assertThat(ci).contains("run: bash .ci/run");
        assertThat(Files.readString(ROOT.resolve(".ci/run"))).contains("./mvnw -B verify");
    }

    @Test
    void everyPathAWorkflowNamesExists() throws Exception {
        int checked = 0;
        for (Path workflow : workflows()) {
            for (JsonNode step : steps(read(workflow))) {
                List<String> texts = new ArrayList<>();
                texts.add(step.path("run").asText(""));
                texts.add(step.path("working-directory").asText(""));
                step.path("with")
                        .fields()
                        .forEachRemaining(w -> texts.add(w.getValue().asText("")));
                for (String text : texts) {
                    // An expression stands for any name there: deploy/docker/${{ matrix.image }}.Dockerfile is
                    // checked as far as deploy/docker.
                    Matcher m = PATH.matcher(text.replaceAll("\\$\\{\\{[^}]*}}", "*"));
                    while (m.find()) {
                        String path = m.group(1);
                        if (!Files.isDirectory(ROOT.resolve(path.split("/")[0]))) {
                            continue; // not the repository's (chartpulse/collector, linux/amd64, deployment/registry)
                        }
                        checked++;
                        // Build outputs (target/) exist after the build; the module that makes them must exist.
                        String existing =
                                path.contains("/target/") ? path.substring(0, path.indexOf("/target/")) : path;
                        existing = existing.replaceAll("/[^/]*\\*.*$", "");
                        assertThat(ROOT.resolve(existing))
                                .as(workflow.getFileName() + " names " + path)
                                .exists();
                    }
                }
            }
        }
        assertThat(checked).as("repository paths the workflows name").isGreaterThan(20);
    }

    @Test
    void everyImageIsBuiltFromItsDockerfileAndEveryDockerfileIsReleased() throws Exception {
        JsonNode images = read(WORKFLOWS.resolve("release.yml"))
                .path("jobs")
                .path("images")
                .path("strategy")
                .path("matrix")
                .path("image");
        Set<String> released = new HashSet<>();
        images.forEach(i -> released.add(i.asText()));
        Set<String> dockerfiles = new HashSet<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("deploy/docker"))) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".Dockerfile"))
                    .forEach(n -> dockerfiles.add(n.substring(0, n.length() - ".Dockerfile".length())));
        }
        assertThat(released).isEqualTo(dockerfiles);
    }

    @Test
    void everyChartPulseCommandAWorkflowRunsExists() throws Exception {
        CommandLine cli = ChartPulseCli.commandLine();
        Pattern call = Pattern.compile("-- ((?:[a-z]+ )+)");
        int checked = 0;
        for (Path workflow : workflows()) {
            Matcher m = call.matcher(Files.readString(workflow));
            while (m.find()) {
                CommandLine at = cli;
                for (String word : m.group(1).trim().split(" ")) {
                    Map<String, CommandLine> sub = at.getSubcommands();
                    if (sub.isEmpty()) {
                        break;
                    }
                    assertThat(sub)
                            .as(workflow.getFileName() + ": chartpulse " + m.group(1))
                            .containsKey(word);
                    at = sub.get(word);
                }
                checked++;
            }
        }
        assertThat(checked).as("chartpulse commands the deploy workflow runs").isGreaterThanOrEqualTo(2);
    }

    @Test
    void everyActionIsPinnedToAVersion() throws Exception {
        for (Path workflow : workflows()) {
            for (JsonNode step : steps(read(workflow))) {
                if (step.has("uses")) {
                    assertThat(step.path("uses").asText())
                            .as(workflow.getFileName().toString())
                            .matches("[\\w.-]+/[\\w./-]+@(v\\d+(\\.\\d+)*|[0-9a-f]{40})");
                }
            }
        }
    }
}
