package io.chartpulse.cli.connectors;

import picocli.CommandLine.Command;

/**
 * {@code chartpulse connectors …}: connectors as declarative configs, through the Kafka Connect REST API. One class
 * per verb, each over the typed {@link ConnectClient}.
 */
@Command(
        name = "connectors",
        mixinStandardHelpOptions = true,
        description = "Apply and operate Kafka Connect connectors from JSON configs (connect-config/connectors).",
        subcommands = {
            ApplyCommand.class,
            DiffCommand.class,
            StatusCommand.class,
            RestartCommand.class,
            PauseCommand.class,
            ResumeCommand.class,
            DeleteCommand.class
        },
        footer = {
            "%nExamples:",
            "  chartpulse connectors apply connect-config/connectors",
            "  chartpulse connectors diff connect-config/connectors/mongo-sessions.json",
            "  chartpulse connectors status || chartpulse connectors restart --failed",
            "  chartpulse connectors delete s3-raw-events --yes"
        })
public final class ConnectorsCommand {}
