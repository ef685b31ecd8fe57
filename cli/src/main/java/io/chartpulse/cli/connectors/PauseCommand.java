package io.chartpulse.cli.connectors;

import picocli.CommandLine.Command;

/** {@code chartpulse connectors pause}: the tasks stop, the offsets stay. */
@Command(
        name = "pause",
        mixinStandardHelpOptions = true,
        footer = {"%nExample:", "  chartpulse connectors pause s3-raw-events"},
        description = "Pause connectors (they keep their offsets).")
final class PauseCommand extends PerConnectorCommand {

    @Override
    void apply(ConnectClient client, String name) {
        client.pause(name);
    }

    @Override
    String done() {
        return "paused";
    }
}
