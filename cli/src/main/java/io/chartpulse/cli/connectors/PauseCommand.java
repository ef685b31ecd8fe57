package io.chartpulse.cli.connectors;

import io.chartpulse.cli.common.ExitCode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chartpulse connectors pause}: the tasks stop, the offsets stay. */
@Command(
        name = "pause",
        mixinStandardHelpOptions = true,
        footer = {"%nExample:", "  chartpulse connectors pause s3-raw-events"},
        description = "Pause connectors (they keep their offsets).")
final class PauseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectOptions connect = new ConnectOptions();

    @Parameters(arity = "1..*", paramLabel = "NAME")
    List<String> names;

    @Override
    public Integer call() {
        ConnectClient client = connect.client();
        for (String name : names) {
            client.pause(name);
            spec.commandLine().getOut().printf("paused    %s%n", name);
        }
        return ExitCode.OK;
    }
}
