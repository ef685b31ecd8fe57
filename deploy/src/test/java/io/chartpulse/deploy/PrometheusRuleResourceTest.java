package io.chartpulse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes PrometheusRule carries exactly the rules of prometheus/alerts.yml (the file promtool checks):
 * k8s/base/prometheus-rule.generated.yaml is that file's groups inside the resource, generated here.
 */
class PrometheusRuleResourceTest {

    private static final Path GENERATED = Path.of("..", "k8s", "base", "prometheus-rule.generated.yaml");

    static String generate() throws Exception {
        StringBuilder out = new StringBuilder(
                "# Generated from deploy/prometheus/alerts.yml by PrometheusRuleResourceTest: do not edit.\n"
                        + "# Change alerts.yml, run the deploy module's tests and copy target/prometheus-rule.generated.yaml here.\n"
                        + "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: chartpulse-alerts\nspec:\n");
        boolean started = false;
        for (String line : Files.readAllLines(Path.of("prometheus", "alerts.yml"))) {
            if (line.startsWith("groups:")) {
                started = true;
            }
            if (started) {
                out.append(line.isEmpty() ? "" : "  ").append(line).append('\n');
            }
        }
        return out.toString();
    }

    @Test
    void theGeneratedResourceIsUpToDateAndHoldsTheSameRules() throws Exception {
        GeneratedFiles.assertUpToDate(GENERATED, generate());
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode resource = yaml.readTree(GENERATED.toFile());
        assertThat(resource.path("spec").path("groups"))
                .isEqualTo(yaml.readTree(Path.of("prometheus", "alerts.yml").toFile())
                        .path("groups"));
    }

    @Test
    void theRawArchiveLifecycleTiersAndExpires() throws Exception {
        JsonNode rules = new ObjectMapper()
                .readTree(Path.of("s3", "raw-archive-lifecycle.json").toFile())
                .path("Rules");
        assertThat(rules.get(0).path("Filter").path("Prefix").asText()).isEqualTo("raw/");
        assertThat(rules.get(0).path("Transitions").findValuesAsText("StorageClass"))
                .containsExactly("STANDARD_IA", "GLACIER_IR");
        assertThat(rules.get(0).path("Transitions").findValues("Days"))
                .extracting(JsonNode::asInt)
                .containsExactly(30, 90);
        assertThat(rules.get(1)
                        .path("AbortIncompleteMultipartUpload")
                        .path("DaysAfterInitiation")
                        .asInt())
                .isEqualTo(1);
    }
}
