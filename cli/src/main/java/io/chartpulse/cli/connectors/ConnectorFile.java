package io.chartpulse.cli.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.chartpulse.cli.common.CliException;
import io.chartpulse.cli.common.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/** A connector config file: {@code {"name": ..., "config": {...}}}, all values strings (as Connect keeps them). */
public record ConnectorFile(Path path, String name, Map<String, String> config) {

    /** The files named, directories expanded to their {@code *.json} files in name order. */
    static List<ConnectorFile> load(List<Path> paths) {
        List<ConnectorFile> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> list = Files.list(path)) {
                    list.filter(p -> p.getFileName().toString().endsWith(".json"))
                            .sorted()
                            .forEach(p -> files.add(read(p)));
                } catch (IOException e) {
                    throw new CliException(ExitCode.USAGE, "Cannot list " + path + ": " + e.getMessage());
                }
            } else {
                files.add(read(path));
            }
        }
        if (files.isEmpty()) {
            throw new CliException(ExitCode.USAGE, "No connector configs (*.json) in " + paths);
        }
        return files;
    }

    public static ConnectorFile read(Path path) {
        JsonNode root;
        try {
            root = ConnectClient.JSON.readTree(path.toFile());
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, path + " is not readable JSON: " + e.getMessage());
        }
        if (root == null
                || !root.path("name").isTextual()
                || !root.path("config").isObject()) {
            throw new CliException(ExitCode.USAGE, path + ": expected {\"name\": \"...\", \"config\": {...}}");
        }
        Map<String, String> config = new LinkedHashMap<>();
        root.get("config")
                .fields()
                .forEachRemaining(e -> config.put(
                        e.getKey(),
                        e.getValue().isTextual()
                                ? e.getValue().asText()
                                : e.getValue().toString()));
        if (!config.containsKey("connector.class")) {
            throw new CliException(ExitCode.USAGE, path + ": config has no connector.class");
        }
        return new ConnectorFile(path, root.get("name").asText(), config);
    }

    /** The config as Connect stores it (with its name). */
    Map<String, String> stored() {
        Map<String, String> stored = new LinkedHashMap<>(config);
        stored.put("name", name);
        return stored;
    }

    /** A key whose value differs: what Connect has ({@code was}) and what the file says ({@code will}); null for none. */
    record Change(String was, String will) {}

    /** The keys whose values differ between Connect's config ({@code current}, null for none) and this file's. */
    Map<String, Change> changesFrom(Map<String, String> current) {
        Map<String, String> desired = stored();
        Map<String, Change> changes = new TreeMap<>();
        TreeSet<String> keys = new TreeSet<>(desired.keySet());
        if (current != null) {
            keys.addAll(current.keySet());
        }
        for (String key : keys) {
            String was = current == null ? null : current.get(key);
            String will = desired.get(key);
            if (!Objects.equals(was, will)) {
                changes.put(key, new Change(was, will));
            }
        }
        return changes;
    }
}
