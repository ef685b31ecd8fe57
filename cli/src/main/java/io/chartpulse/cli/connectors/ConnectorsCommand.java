package io.chartpulse.cli.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.chartpulse.cli.ChartPulseCli;
import io.chartpulse.cli.ChartPulseCli.CliException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chartpulse connectors …}: connectors as declarative configs, through the Kafka Connect REST API. */
@Command(
        name = "connectors",
        mixinStandardHelpOptions = true,
        description = "Apply and operate Kafka Connect connectors from JSON configs (connect-config/connectors).",
        subcommands = {
            ConnectorsCommand.Apply.class,
            ConnectorsCommand.Diff.class,
            ConnectorsCommand.Status.class,
            ConnectorsCommand.Restart.class,
            ConnectorsCommand.Pause.class,
            ConnectorsCommand.Resume.class,
            ConnectorsCommand.Delete.class
        },
        footer = {
            "%nExamples:",
            "  chartpulse connectors apply connect-config/connectors",
            "  chartpulse connectors diff connect-config/connectors/mongo-sessions.json",
            "  chartpulse connectors status || chartpulse connectors restart --failed",
            "  chartpulse connectors delete s3-raw-events --yes"
        })
public final class ConnectorsCommand {

    /** Where Connect is and how to talk to it; every subcommand has these options. */
    static final class ConnectOptions {
        @Option(
                names = "--connect-url",
                defaultValue = "${env:CHARTPULSE_CONNECT_URL:-http://localhost:8083}",
                description = "Kafka Connect REST URL (env CHARTPULSE_CONNECT_URL; default ${DEFAULT-VALUE}).")
        String url;

        @Option(
                names = "--user",
                defaultValue = "${env:CHARTPULSE_CONNECT_USER}",
                description = "Basic auth user " + "(env CHARTPULSE_CONNECT_USER).")
        String user;

        @Option(
                names = "--password",
                defaultValue = "${env:CHARTPULSE_CONNECT_PASSWORD}",
                description = "Basic auth " + "password (env CHARTPULSE_CONNECT_PASSWORD).")
        String password;

        @Option(
                names = "--timeout",
                defaultValue = "30s",
                description = "Per-request timeout, e.g. 10s, 500ms " + "(default ${DEFAULT-VALUE}).")
        String timeout;

        ConnectClient client() {
            return new ConnectClient(url, user == null || user.isEmpty() ? null : user, password, parse(timeout));
        }

        private static Duration parse(String text) {
            try {
                return text.endsWith("ms")
                        ? Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)))
                        : text.endsWith("s")
                                ? Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)))
                                : Duration.ofMillis(Long.parseLong(text));
            } catch (NumberFormatException e) {
                throw new CliException(ChartPulseCli.USAGE, "--timeout " + text + ": expected e.g. 30s or 500ms");
            }
        }
    }

    private static PrintWriter out(CommandLine.Model.CommandSpec spec) {
        return spec.commandLine().getOut();
    }

    /** Keys that differ: key → {current, desired}; null for a missing side. */
    static Map<String, String[]> changes(Map<String, String> current, Map<String, String> desired) {
        Map<String, String[]> changes = new TreeMap<>();
        TreeSet<String> keys = new TreeSet<>(desired.keySet());
        if (current != null) {
            keys.addAll(current.keySet());
        }
        for (String key : keys) {
            String was = current == null ? null : current.get(key);
            String will = desired.get(key);
            if (was == null ? will != null : !was.equals(will)) {
                changes.put(key, new String[] {was, will});
            }
        }
        return changes;
    }

    private static Map<String, String> current(ConnectClient client, String name) {
        JsonNode node = client.call("GET", "/connectors/" + name + "/config", null, true);
        if (node == null) {
            return null;
        }
        Map<String, String> config = new TreeMap<>();
        node.fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        return config;
    }

    @Command(
            name = "apply",
            mixinStandardHelpOptions = true,
            footer = {
                "%nExamples:",
                "  chartpulse connectors apply connect-config/connectors",
                "  chartpulse connectors apply connect-config/connectors/mongo-sessions.json --connect-url http://connect:8083"
            },
            description = {
                "Validate every config, then create or "
                        + "update each connector. An unchanged connector is left alone (no restart). Nothing is changed if any "
                        + "config is invalid."
            })
    static final class Apply implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ConnectOptions connect = new ConnectOptions();

        @Parameters(
                arity = "1..*",
                paramLabel = "DIR|FILE",
                description = "Connector config files or directories of them.")
        List<Path> paths;

        @Override
        public Integer call() {
            ConnectClient client = connect.client();
            List<ConnectorFile> files = ConnectorFile.load(paths);
            int errors = 0;
            for (ConnectorFile file : files) {
                String plugin = file.config().get("connector.class");
                JsonNode result = client.call(
                        "PUT",
                        "/connector-plugins/" + plugin.substring(plugin.lastIndexOf('.') + 1) + "/config/validate",
                        file.stored(),
                        false);
                for (JsonNode config : result.path("configs")) {
                    for (JsonNode error : config.path("value").path("errors")) {
                        out(spec)
                                .printf(
                                        "invalid   %s: %s: %s%n",
                                        file.name(),
                                        config.path("value").path("name").asText(),
                                        error.asText());
                        errors++;
                    }
                }
            }
            if (errors > 0) {
                throw new CliException(ChartPulseCli.USAGE, errors + " config error(s); nothing was applied");
            }
            for (ConnectorFile file : files) {
                Map<String, String> current = current(client, file.name());
                Map<String, String[]> changes = changes(current, file.stored());
                if (changes.isEmpty()) {
                    out(spec).printf("unchanged %s%n", file.name());
                    continue;
                }
                client.call("PUT", "/connectors/" + file.name() + "/config", file.config(), false);
                out(spec)
                        .printf(
                                "%s %s%s%n",
                                current == null ? "created  " : "updated  ",
                                file.name(),
                                current == null ? "" : " (" + String.join(", ", changes.keySet()) + ")");
            }
            return ChartPulseCli.OK;
        }
    }

    @Command(
            name = "diff",
            mixinStandardHelpOptions = true,
            footer = {"%nExample:", "  chartpulse connectors diff connect-config/connectors && echo in sync"},
            description = {
                "Show what apply would change, per key, "
                        + "without changing anything. Exit 0 when everything is in sync, 1 when something would change."
            })
    static final class Diff implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ConnectOptions connect = new ConnectOptions();

        @Parameters(
                arity = "1..*",
                paramLabel = "DIR|FILE",
                description = "Connector config files or directories of them.")
        List<Path> paths;

        @Override
        public Integer call() {
            ConnectClient client = connect.client();
            boolean changed = false;
            for (ConnectorFile file : ConnectorFile.load(paths)) {
                Map<String, String> current = current(client, file.name());
                Map<String, String[]> changes = changes(current, file.stored());
                if (current == null) {
                    out(spec)
                            .printf(
                                    "+ %s (new connector, %d keys)%n",
                                    file.name(), file.stored().size());
                    changed = true;
                } else if (changes.isEmpty()) {
                    out(spec).printf("= %s%n", file.name());
                } else {
                    changed = true;
                    out(spec).printf("~ %s%n", file.name());
                    changes.forEach((key, values) -> {
                        if (values[0] == null) {
                            out(spec).printf("    + %s = %s%n", key, values[1]);
                        } else if (values[1] == null) {
                            out(spec).printf("    - %s (was %s)%n", key, values[0]);
                        } else {
                            out(spec).printf("    ~ %s: %s -> %s%n", key, values[0], values[1]);
                        }
                    });
                }
            }
            return changed ? ChartPulseCli.CHECK_FAILED : ChartPulseCli.OK;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            footer = {"%nExample:", "  chartpulse connectors status || chartpulse connectors restart --failed"},
            description = {
                "Connectors and tasks with their state; "
                        + "for a failed one the first lines of its trace. Exit 1 if anything is FAILED."
            })
    static final class Status implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ConnectOptions connect = new ConnectOptions();

        @Option(
                names = "--trace-lines",
                defaultValue = "3",
                description = "Lines of a failure's trace to show " + "(default ${DEFAULT-VALUE}).")
        int traceLines;

        @Override
        public Integer call() {
            JsonNode all = connect.client().call("GET", "/connectors?expand=status", null, false);
            boolean failed = false;
            List<String> names = new ArrayList<>();
            all.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            if (names.isEmpty()) {
                out(spec).println("no connectors");
            }
            for (String name : names) {
                JsonNode status = all.get(name).path("status");
                String state = status.path("connector").path("state").asText();
                out(spec)
                        .printf(
                                "%-28s %-10s %s%n",
                                name, state, status.path("type").asText());
                failed |=
                        printTrace(state, status.path("connector").path("trace").asText());
                for (JsonNode task : status.path("tasks")) {
                    String taskState = task.path("state").asText();
                    out(spec)
                            .printf(
                                    "  task %-21d %-10s %s%n",
                                    task.path("id").asInt(),
                                    taskState,
                                    task.path("worker_id").asText());
                    failed |= printTrace(taskState, task.path("trace").asText());
                }
            }
            return failed ? ChartPulseCli.CHECK_FAILED : ChartPulseCli.OK;
        }

        private boolean printTrace(String state, String trace) {
            if (!"FAILED".equals(state)) {
                return false;
            }
            trace.lines().limit(traceLines).forEach(line -> out(spec).println("      " + line.strip()));
            return true;
        }
    }

    @Command(
            name = "restart",
            mixinStandardHelpOptions = true,
            footer = {
                "%nExamples:",
                "  chartpulse connectors restart --failed",
                "  chartpulse connectors restart mongo-sessions"
            },
            description = "Restart connectors and their tasks.")
    static final class Restart implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ConnectOptions connect = new ConnectOptions();

        @Option(names = "--failed", description = "Only FAILED connectors and tasks (of the named connectors, or all).")
        boolean onlyFailed;

        @Parameters(arity = "0..*", paramLabel = "NAME", description = "Connectors (default: all).")
        List<String> names = new ArrayList<>();

        @Override
        public Integer call() {
            ConnectClient client = connect.client();
            List<String> targets = new ArrayList<>(names);
            if (targets.isEmpty()) {
                client.call("GET", "/connectors", null, false).forEach(n -> targets.add(n.asText()));
            }
            for (String name : targets) {
                client.call(
                        "POST",
                        "/connectors/" + name + "/restart?includeTasks=true&onlyFailed=" + onlyFailed,
                        null,
                        false);
                out(spec).printf("restarted %s%s%n", name, onlyFailed ? " (failed parts only)" : "");
            }
            return ChartPulseCli.OK;
        }
    }

    /** PUTs {@code /connectors/<name>/<action>} for each name and reports it. */
    private static Integer each(
            CommandLine.Model.CommandSpec spec,
            ConnectOptions connect,
            List<String> names,
            String action,
            String done) {
        ConnectClient client = connect.client();
        for (String name : names) {
            client.call("PUT", "/connectors/" + name + "/" + action, null, false);
            out(spec).printf("%-9s %s%n", done, name);
        }
        return ChartPulseCli.OK;
    }

    @Command(
            name = "pause",
            mixinStandardHelpOptions = true,
            footer = {"%nExample:", "  chartpulse connectors pause s3-raw-events"},
            description = "Pause connectors (they keep their offsets).")
    static final class Pause implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ConnectOptions connect = new ConnectOptions();

        @Parameters(arity = "1..*", paramLabel = "NAME")
        List<String> names;

        @Override
        public Integer call() {
            return each(spec, connect, names, "pause", "paused");
        }
    }

    @Command(
            name = "resume",
            mixinStandardHelpOptions = true,
            footer = {"%nExample:", "  chartpulse connectors resume s3-raw-events"},
            description = "Resume paused connectors.")
    static final class Resume implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ConnectOptions connect = new ConnectOptions();

        @Parameters(arity = "1..*", paramLabel = "NAME")
        List<String> names;

        @Override
        public Integer call() {
            return each(spec, connect, names, "resume", "resumed");
        }
    }

    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            footer = {"%nExample:", "  chartpulse connectors delete mongo-chart-metrics --yes"},
            description = {
                "Delete connectors (their committed "
                        + "offsets stay with the consumer group). Asks for confirmation unless --yes."
            })
    static final class Delete implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ConnectOptions connect = new ConnectOptions();

        @Option(
                names = {"-y", "--yes"},
                description = "Do not ask.")
        boolean yes;

        @Parameters(arity = "1..*", paramLabel = "NAME")
        List<String> names;

        @Override
        public Integer call() throws Exception {
            if (!yes) {
                out(spec).printf("Delete %s from %s? [y/N] ", String.join(", ", names), connect.url);
                out(spec).flush();
                String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (answer == null || !answer.trim().equalsIgnoreCase("y")) {
                    out(spec).println("nothing deleted");
                    return ChartPulseCli.USAGE;
                }
            }
            ConnectClient client = connect.client();
            for (String name : names) {
                client.call("DELETE", "/connectors/" + name, null, false);
                out(spec).printf("deleted   %s%n", name);
            }
            return ChartPulseCli.OK;
        }
    }
}
