package io.chartpulse.cli;

import io.chartpulse.cli.batch.BatchCommand;
import io.chartpulse.cli.common.CliException;
import io.chartpulse.cli.common.Console;
import io.chartpulse.cli.common.ExitCode;
import io.chartpulse.cli.connectors.ConnectorsCommand;
import io.chartpulse.cli.dev.DevCommand;
import io.chartpulse.cli.lake.LakeCommand;
import io.chartpulse.cli.load.LoadgenCommand;
import io.chartpulse.cli.mongo.MongoCommand;
import io.chartpulse.cli.privacy.EraseCommand;
import io.chartpulse.cli.privacy.ExportCommand;
import io.chartpulse.cli.replay.ReplayCommand;
import io.chartpulse.cli.schemas.SchemasCommand;
import io.chartpulse.cli.tail.TailCommand;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code chartpulse} command.
 *
 * <p>Exit codes, for every subcommand, are those of {@link ExitCode}.
 */
@Command(
        name = "chartpulse",
        mixinStandardHelpOptions = true,
        versionProvider = ChartPulseCli.Version.class,
        description = "Run and operate a ChartPulse pipeline.",
        footer = {
            "%nExamples:",
            "  ./chartpulse dev",
            "  ./chartpulse loadgen --rate 100 --duration 30s",
            "  ./chartpulse tail events",
            "  ./chartpulse connectors status"
        },
        subcommands = {
            DevCommand.class,
            LoadgenCommand.class,
            TailCommand.class,
            ConnectorsCommand.class,
            SchemasCommand.class,
            MongoCommand.class,
            LakeCommand.class,
            BatchCommand.class,
            ReplayCommand.class,
            ExportCommand.class,
            EraseCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            ExitCode.OK + ":success",
            ExitCode.CHECK_FAILED + ":check failed (FAILED connector or task; diff found changes)",
            ExitCode.USAGE + ":bad usage or invalid connector config",
            ExitCode.REMOTE_ERROR + ":Kafka Connect or MongoDB answered with an error",
            ExitCode.UNREACHABLE + ":Kafka Connect or MongoDB unreachable"
        })
public final class ChartPulseCli implements Console {

    private final BufferedReader input;

    private ChartPulseCli(BufferedReader input) {
        this.input = input;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with ChartPulse's error handling, reading confirmations from standard input. */
    public static CommandLine commandLine() {
        return commandLine(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    }

    /**
     * The command line with ChartPulse's error handling (clear one-line messages, the exit codes of {@link ExitCode})
     * reading what a person would type from {@code input}.
     */
    public static CommandLine commandLine(BufferedReader input) {
        CommandLine cli = new CommandLine(new ChartPulseCli(input));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CliException failure) {
                commandLine.getErr().println("chartpulse: " + failure.getMessage());
                return failure.exitCode();
            }
            commandLine.getErr().println("chartpulse: " + e);
            return ExitCode.REMOTE_ERROR;
        });
        cli.setExitCodeExceptionMapper(e -> ExitCode.USAGE);
        return cli;
    }

    @Override
    public BufferedReader input() {
        return input;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ChartPulseCli.class.getPackage().getImplementationVersion();
            return new String[] {"chartpulse " + (version == null ? "dev" : version)};
        }
    }
}
