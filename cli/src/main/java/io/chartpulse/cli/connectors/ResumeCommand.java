package io.chartpulse.cli.connectors;

import picocli.CommandLine.Command;

/** {@code chartpulse connectors resume}: paused connectors run again from their offsets. */
@Command(
        name = "resume",
        mixinStandardHelpOptions = true,
        footer = {"%nExample:", "  chartpulse connectors resume s3-raw-events"},
        description = "Resume paused connectors.")
final class ResumeCommand extends PerConnectorCommand {

    @Override
    void apply(ConnectClient client, String name) {
        client.resume(name);
    }

    @Override
    String done() {
        return "resumed";
    }
}
