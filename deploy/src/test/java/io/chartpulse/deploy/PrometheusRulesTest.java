package io.chartpulse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The alert rules pass promtool's checks and unit tests, and every alert has its runbook section. */
class PrometheusRulesTest {

    private static final Path DIR = Path.of("prometheus");

    static String promtool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(DIR.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new AssertionError(
                    "promtool is not installed: Debian's prometheus package has it (.ci/run installs it)", e);
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue())
                .as("promtool " + String.join(" ", args) + ":\n" + output)
                .isZero();
        return output;
    }

    @Test
    void rulesAreValid() throws Exception {
        assertThat(promtool("check", "rules", "alerts.yml")).contains("SUCCESS: 21 rules found");
    }

    @Test
    void rulesPassTheirUnitTests() throws Exception {
        assertThat(promtool("test", "rules", "alerts-test.yml")).contains("SUCCESS");
        assertThat(promtool("test", "rules", "alerts-anomalies-test.yml")).contains("SUCCESS");
    }

    @Test
    void everyAlertHasARunbookSectionAndTheTestedOnesAreTested() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode rules = yaml.readTree(DIR.resolve("alerts.yml").toFile());
        String runbook = Files.readString(Path.of("RUNBOOK.md")).toLowerCase(Locale.ROOT);
        List<String> alerts = new ArrayList<>();
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("record")) {
                    continue; // a recording rule feeds alerts; it has no runbook of its own
                }
                String name = rule.path("alert").asText();
                alerts.add(name);
                assertThat(rule.path("annotations").path("runbook_url").asText())
                        .isEqualTo("deploy/RUNBOOK.md#" + name.toLowerCase(Locale.ROOT));
                assertThat(runbook)
                        .as("RUNBOOK.md has a section for " + name)
                        .contains("## " + name.toLowerCase(Locale.ROOT));
            }
        }
        String tests = Files.readString(DIR.resolve("alerts-test.yml"))
                + Files.readString(DIR.resolve("alerts-anomalies-test.yml"));
        for (String required : List.of(
                "ChartPulseSinkLagGrowing",
                "ChartPulseConnectorFailed",
                "ChartPulseStale",
                "ChartPulseSiteTrafficDrop",
                "ChartPulseSiteTrafficSpike",
                "ChartPulseChartCtrCollapse",
                "ChartPulseInvalidShareJump",
                "ChartPulseBotShareJump",
                "ChartPulseFreshnessBudgetBurnFast",
                "ChartPulseFreshnessBudgetBurnSlow",
                "ChartPulseRollupLate",
                "ChartPulseReconcileFailed")) {
            assertThat(alerts).contains(required);
            assertThat(tests).contains("alertname: " + required);
        }
        assertThat(alerts).hasSize(20).doesNotHaveDuplicates();
    }
}
