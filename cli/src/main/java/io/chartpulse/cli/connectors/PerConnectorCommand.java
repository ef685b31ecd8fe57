package io.chartpulse.cli.connectors;

import io.chartpulse.cli.common.ExitCode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** A subcommand that does one thing to each named connector and prints one line per connector. */
abstract class PerConnectorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectOptions connect = new ConnectOptions();

    @Parameters(arity = "1..*", paramLabel = "NAME")
    List<String> names;

    /** Does the thing to one connector; a failure is thrown as {@code CliException}. */
    abstract void apply(ConnectClient client, String name);

    /** The word printed before each connector's name once done, padded like the other subcommands' lines. */
    abstract String done();

    @Override
    public Integer call() {
        ConnectClient client = connect.client();
        for (String name : names) {
            apply(client, name);
            spec.commandLine().getOut().printf("%-9s %s%n", done(), name);
        }
        return ExitCode.OK;
    }
}
