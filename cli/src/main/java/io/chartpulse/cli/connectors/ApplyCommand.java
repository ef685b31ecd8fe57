package io.chartpulse.cli.connectors;

import io.chartpulse.cli.common.CliException;
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

/** {@code chartpulse connectors apply}: validate every config, then create or update what changed. */
@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        footer = {
            "%nExamples:",
            "  chartpulse connectors apply connect-config/connectors",
            "  chartpulse connectors apply connect-config/connectors/mongo-sessions.json --connect-url http://connect:8083"
        },
        description = {
            "Validate every config, then create or update each connector. An unchanged connector is left alone (no"
                    + " restart). Nothing is changed if any config is invalid."
        })
final class ApplyCommand implements Callable<Integer> {

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
        List<ConnectorFile> files = ConnectorFile.load(paths);
        int errors = 0;
        for (ConnectorFile file : files) {
            for (ConnectClient.ConfigError error :
                    client.validate(file.config().get("connector.class"), file.stored())) {
                out.printf("invalid   %s: %s: %s%n", file.name(), error.key(), error.message());
                errors++;
            }
        }
        if (errors > 0) {
            throw new CliException(ExitCode.USAGE, errors + " config error(s); nothing was applied");
        }
        for (ConnectorFile file : files) {
            Map<String, String> current = client.config(file.name());
            Map<String, ConnectorFile.Change> changes = file.changesFrom(current);
            if (changes.isEmpty()) {
                out.printf("unchanged %s%n", file.name());
                continue;
            }
            client.put(file.name(), file.config());
            out.printf(
                    "%s %s%s%n",
                    current == null ? "created  " : "updated  ",
                    file.name(),
                    current == null ? "" : " (" + String.join(", ", changes.keySet()) + ")");
        }
        return ExitCode.OK;
    }
}
