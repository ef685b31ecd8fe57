package io.chartpulse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The provisioned dashboards: valid JSON with unique ids and panels on the Prometheus datasource, and every panel's
 * query valid PromQL — checked by promtool, which parses them as recording rules of a temporary rule file.
 */
class GrafanaDashboardsTest {

    @Test
    void dashboardsParseAndEveryQueryIsValidPromQl() throws Exception {
        List<Path> dashboards;
        try (Stream<Path> files = Files.list(Path.of("grafana", "dashboards"))) {
            dashboards =
                    files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(dashboards)
                .extracting(p -> p.getFileName().toString())
                .containsExactly("chart-engagement.json", "pipeline-overview.json");
        List<String> queries = new ArrayList<>();
        List<String> uids = new ArrayList<>();
        for (Path dashboard : dashboards) {
            JsonNode json = new ObjectMapper().readTree(dashboard.toFile());
            uids.add(json.path("uid").asText());
            assertThat(json.path("panels")).as(dashboard.toString()).isNotEmpty();
            for (JsonNode panel : json.path("panels")) {
                assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("prometheus");
                panel.path("targets")
                        .forEach(t ->
                                queries.add(withGrafanaVariables(t.path("expr").asText())));
            }
        }
        assertThat(uids).doesNotHaveDuplicates().doesNotContain("");
        assertThat(queries).noneMatch(q -> q.contains("$"));
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
        for (int i = 0; i < queries.size(); i++) {
            rules.append("      - record: dashboard_query_")
                    .append(i)
                    .append("\n        expr: ")
                    .append(new ObjectMapper().writeValueAsString(queries.get(i)))
                    .append('\n');
        }
        Path file = Path.of("prometheus", "target-dashboard-queries.yml");
        Files.writeString(file, rules);
        try {
            assertThat(PrometheusRulesTest.promtool(
                            "check", "rules", file.getFileName().toString()))
                    .contains("SUCCESS: " + queries.size() + " rules found");
        } finally {
            Files.delete(file);
        }
    }

    // Grafana's variables replaced by values of the kind Grafana puts there, so that promtool parses the rest.
    static String withGrafanaVariables(String expr) {
        return expr.replace("$__range", "1h").replace("$__rate_interval", "1m").replace("$chart", ".*");
    }

    @Test
    void theChartEngagementBoardSpeaksTheDashboardPagesTermsForEveryChartOrOne() throws Exception {
        JsonNode board = new ObjectMapper()
                .readTree(Path.of("grafana", "dashboards", "chart-engagement.json")
                        .toFile());
        List<String> titles = new ArrayList<>();
        board.path("panels").forEach(p -> titles.add(p.path("title").asText()));
        // The page's headline cards (dashboard/src/app.ts) that the per-chart series can give.
        assertThat(titles).contains("Chart impressions", "Product clicks", "Deal clicks", "CTR");
        JsonNode chart = board.path("templating").path("list").get(0);
        assertThat(chart.path("name").asText()).isEqualTo("chart");
        assertThat(chart.path("allValue").asText()).isEqualTo(".*");
        board.path("panels")
                .forEach(p -> p.path("targets")
                        .forEach(t -> assertThat(t.path("expr").asText())
                                .as(p.path("title").asText() + " follows the chart picker")
                                .contains("chart_id=~\"$chart\"")));
    }
}
