package io.chartpulse.cli.connectors;

import io.chartpulse.cli.common.ExitCode;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chartpulse connectors status}: every connector and task with its state; exit 1 if anything FAILED. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        footer = {"%nExample:", "  chartpulse connectors status || chartpulse connectors restart --failed"},
        description = {
            "Connectors and tasks with their state; for a failed one the first lines of its trace. Exit 1 if anything"
                    + " is FAILED."
        })
final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectOptions connect = new ConnectOptions();

    @Option(
            names = "--trace-lines",
            defaultValue = "3",
            description = "Lines of a failure's trace to show (default ${DEFAULT-VALUE}).")
    int traceLines;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<ConnectClient.Status> statuses = connect.client().statuses();
        if (statuses.isEmpty()) {
            out.println("no connectors");
        }
        boolean failed = false;
        for (ConnectClient.Status status : statuses) {
            out.printf("%-28s %-10s %s%n", status.name(), status.connector().state(), status.type());
            failed |= printTrace(out, status.connector());
            for (var task : status.tasks().entrySet()) {
                out.printf(
                        "  task %-21d %-10s %s%n",
                        task.getKey(), task.getValue().state(), task.getValue().workerId());
                failed |= printTrace(out, task.getValue());
            }
        }
        return failed ? ExitCode.CHECK_FAILED : ExitCode.OK;
    }

    private boolean printTrace(PrintWriter out, ConnectClient.State state) {
        if (!state.failed()) {
            return false;
        }
        state.trace().lines().limit(traceLines).forEach(line -> out.println("      " + line.strip()));
        return true;
    }
}
