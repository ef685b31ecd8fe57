package io.chartpulse.cli.connectors;

import io.chartpulse.cli.common.ExitCode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chartpulse connectors resume}: paused connectors run again from their offsets. */
@Command(
        name = "resume",
        mixinStandardHelpOptions = true,
        footer = {"%nExample:", "  chartpulse connectors resume s3-raw-events"},
        description = "Resume paused connectors.")
final class ResumeCommand implements Callable<Integer> {

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
            client.resume(name);
            spec.commandLine().getOut().printf("resumed   %s%n", name);
        }
        return ExitCode.OK;
    }
}
