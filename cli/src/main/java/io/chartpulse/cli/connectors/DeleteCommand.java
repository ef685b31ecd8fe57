package io.chartpulse.cli.connectors;

import io.chartpulse.cli.common.Console;
import io.chartpulse.cli.common.ExitCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chartpulse connectors delete}: after a confirmation read from the command line's {@link Console}. */
@Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        footer = {"%nExample:", "  chartpulse connectors delete mongo-chart-metrics --yes"},
        description = {
            "Delete connectors (their committed offsets stay with the consumer group). Asks for confirmation unless"
                    + " --yes."
        })
final class DeleteCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectOptions connect = new ConnectOptions();

    @Option(
            names = {"-y", "--yes"},
            description = "Do not ask.")
    boolean yes;

    @Parameters(arity = "1..*", paramLabel = "NAME")
    List<String> names;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (!yes) {
            out.printf("Delete %s from %s? [y/N] ", String.join(", ", names), connect.url);
            out.flush();
            String answer = Console.input(spec).readLine();
            if (answer == null || !answer.trim().equalsIgnoreCase("y")) {
                out.println("nothing deleted");
                return ExitCode.USAGE;
            }
        }
        ConnectClient client = connect.client();
        for (String name : names) {
            client.delete(name);
            out.printf("deleted   %s%n", name);
        }
        return ExitCode.OK;
    }
}
