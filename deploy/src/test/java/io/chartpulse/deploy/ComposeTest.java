package io.chartpulse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The compose file, parsed: pinned images, health checks, conditions, and every variable in .env.example. */
class ComposeTest {

    private static final Path COMPOSE = Path.of("..", "docker-compose.yml");
    private static final Pattern VARIABLE = Pattern.compile("(?<!\\$)\\$\\{([A-Z0-9_]+)(?:[:-][^}]*)?}");

    private static JsonNode compose() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(COMPOSE.toFile());
    }

    private static Map<String, String> env() throws IOException {
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("..", ".env.example"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        return env;
    }

    private static String resolve(String text, Map<String, String> env) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(env.getOrDefault(m.group(1), "")));
        }
        return m.appendTail(out).toString();
    }

    @Test
    void everyVariableTheFileUsesIsInTheEnvExample() throws IOException {
        Set<String> used = new HashSet<>();
        Matcher m = VARIABLE.matcher(Files.readString(COMPOSE));
        while (m.find()) {
            used.add(m.group(1));
        }
        assertThat(used).isNotEmpty();
        assertThat(env().keySet()).containsAll(used);
    }

    @Test
    void everyImageIsPinnedAndNeverLatest() throws IOException {
        Map<String, String> env = env();
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        compose().path("services").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> service = it.next();
            String image = resolve(service.getValue().path("image").asText(), env);
            assertThat(image).as(service.getKey() + " image").matches("[a-z0-9./-]+:[A-Za-z0-9._-]+");
            assertThat(image).as(service.getKey()).doesNotEndWith(":latest");
        }
    }

    @Test
    void longRunningServicesHaveHealthChecksAndDependenciesHaveConditions() throws IOException {
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        compose().path("services").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> service = it.next();
            JsonNode s = service.getValue();
            boolean oneShot = "no".equals(s.path("restart").asText());
            if (!oneShot) {
                boolean own = s.has("healthcheck");
                boolean fromImage = s.has("build")
                        && Files.readString(Path.of("..")
                                        .resolve(s.path("build")
                                                .path("dockerfile")
                                                .asText()))
                                .contains("HEALTHCHECK");
                assertThat(own || fromImage)
                        .as(service.getKey() + " has a health check")
                        .isTrue();
            }
            for (Iterator<Map.Entry<String, JsonNode>> deps =
                            s.path("depends_on").fields();
                    deps.hasNext(); ) {
                Map.Entry<String, JsonNode> dep = deps.next();
                assertThat(dep.getValue().path("condition").asText())
                        .as(service.getKey() + " → " + dep.getKey())
                        .isIn("service_healthy", "service_completed_successfully");
            }
        }
    }

    @Test
    void plainComposeUpRunsTheCoreAndEachProfileAddsItsPart() throws IOException {
        JsonNode services = compose().path("services");
        Map<String, Set<String>> profiles = new HashMap<>();
        services.fields().forEachRemaining(e -> {
            Set<String> p = new HashSet<>();
            e.getValue().path("profiles").forEach(x -> p.add(x.asText()));
            profiles.put(e.getKey(), p);
        });
        // `docker compose up` with no profile must not need a service only a profile starts.
        profiles.forEach((service, own) -> {
            if (own.isEmpty()) {
                services.path(service)
                        .path("depends_on")
                        .fieldNames()
                        .forEachRemaining(dep -> assertThat(profiles.get(dep))
                                .as(service + " (always on) depends on " + dep)
                                .isEmpty());
            }
        });
        assertThat(profiles.get("lake-catalog")).containsExactly("lake");
        assertThat(profiles.get("lake-connectors-init")).containsExactly("lake");
        assertThat(profiles.get("airflow")).containsExactly("airflow");
        assertThat(profiles.get("batch")).containsExactly("batch");
        assertThat(profiles.get("prometheus")).containsExactly("monitoring");
        assertThat(profiles.get("pushgateway")).containsExactly("monitoring");
        // The core applies the S3 and MongoDB connectors, the lake profile the Iceberg ones: every file once.
        List<String> applied = new ArrayList<>();
        for (String init : List.of("connectors-init", "lake-connectors-init")) {
            services.path(init).path("command").forEach(arg -> {
                if (arg.asText().endsWith(".json")) {
                    applied.add(Path.of(arg.asText()).getFileName().toString());
                }
            });
        }
        try (Stream<Path> files = Files.list(Path.of("..", "connect-config", "connectors"))) {
            assertThat(applied)
                    .containsExactlyInAnyOrderElementsOf(
                            files.map(f -> f.getFileName().toString())
                                    .filter(n -> n.endsWith(".json"))
                                    .toList());
        }
    }

    @Test
    void namedVolumesAreDeclared() throws IOException {
        JsonNode compose = compose();
        Set<String> declared = new HashSet<>();
        compose.path("volumes").fieldNames().forEachRemaining(declared::add);
        for (JsonNode service : compose.path("services")) {
            for (JsonNode volume : service.path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (!source.startsWith(".") && !source.startsWith("/")) {
                    assertThat(declared).contains(source);
                }
            }
        }
    }
}
