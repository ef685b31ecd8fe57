package io.chartpulse.cli.connectors;

import io.chartpulse.cli.common.ExitCode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chartpulse connectors diff}: what {@code apply} would change, key by key, changing nothing. */
@Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        footer = {"%nExample:", "  chartpulse connectors diff connect-config/connectors && echo in sync"},
        description = {
            "Show what apply would change, per key, without changing anything. Exit 0 when everything is in sync, 1"
                    + " when something would change."
        })
final class DiffCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectOptions connect = new ConnectOptions();

    @Parameters(arity = "1..*", paramLabel = "DIR|FILE", description = "Connector config files or directories of them.")
    List<Path> paths;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ConnectClient client = connect.client();
        boolean changed = false;
        for (ConnectorFile file : ConnectorFile.load(paths)) {
            Map<String, String> current = client.config(file.name());
            Map<String, ConnectorFile.Change> changes = file.changesFrom(current);
            if (current == null) {
                out.printf(
                        "+ %s (new connector, %d keys)%n",
                        file.name(), file.stored().size());
                changed = true;
            } else if (changes.isEmpty()) {
                out.printf("= %s%n", file.name());
            } else {
                changed = true;
                out.printf("~ %s%n", file.name());
                changes.forEach((key, change) -> {
                    if (change.was() == null) {
                        out.printf("    + %s = %s%n", key, change.will());
                    } else if (change.will() == null) {
                        out.printf("    - %s (was %s)%n", key, change.was());
                    } else {
                        out.printf("    ~ %s: %s -> %s%n", key, change.was(), change.will());
                    }
                });
            }
        }
        return changed ? ExitCode.CHECK_FAILED : ExitCode.OK;
    }
}
