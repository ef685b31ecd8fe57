package io.chartpulse.cli.connectors;

import io.chartpulse.cli.common.ExitCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chartpulse connectors restart}: connectors and their tasks, or only their FAILED parts. */
@Command(
        name = "restart",
        mixinStandardHelpOptions = true,
        footer = {
            "%nExamples:",
            "  chartpulse connectors restart --failed",
            "  chartpulse connectors restart mongo-sessions"
        },
        description = "Restart connectors and their tasks.")
final class RestartCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectOptions connect = new ConnectOptions();

    @Option(names = "--failed", description = "Only FAILED connectors and tasks (of the named connectors, or all).")
    boolean onlyFailed;

    @Parameters(arity = "0..*", paramLabel = "NAME", description = "Connectors (default: all).")
    List<String> names = new ArrayList<>();

    @Override
    public Integer call() {
        ConnectClient client = connect.client();
        for (String name : names.isEmpty() ? client.names() : names) {
            client.restart(name, onlyFailed);
            spec.commandLine().getOut().printf("restarted %s%s%n", name, onlyFailed ? " (failed parts only)" : "");
        }
        return ExitCode.OK;
    }
}
