package io.chartpulse.cli;

import io.chartpulse.cli.batch.BatchCommand;
import io.chartpulse.cli.connectors.ConnectorsCommand;
import io.chartpulse.cli.dev.DevCommand;
import io.chartpulse.cli.lake.LakeCommand;
import io.chartpulse.cli.load.LoadgenCommand;
import io.chartpulse.cli.mongo.MongoCommand;
import io.chartpulse.cli.replay.ReplayCommand;
import io.chartpulse.cli.schemas.SchemasCommand;
import io.chartpulse.cli.tail.TailCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code chartpulse} command.
 *
 * <p>Exit codes, for every subcommand: 0 success; 1 the check failed (a FAILED connector or task, pending changes
 * in {@code diff}); 2 bad usage or invalid connector configs; 3 Kafka Connect or MongoDB answered with an error;
 * 4 Kafka Connect or MongoDB could not be reached.
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
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:check failed (FAILED connector or task; diff found changes)",
            "2:bad usage or invalid connector config",
            "3:Kafka Connect or MongoDB answered with an error",
            "4:Kafka Connect or MongoDB unreachable"
        })
public final class ChartPulseCli {

    public static final int OK = 0;
    public static final int CHECK_FAILED = 1;
    public static final int USAGE = 2;
    public static final int REMOTE_ERROR = 3;
    public static final int UNREACHABLE = 4;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with ChartPulse's error handling: clear one-line messages, documented exit codes. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new ChartPulseCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CliException failure) {
                commandLine.getErr().println("chartpulse: " + failure.getMessage());
                return failure.exitCode();
            }
            commandLine.getErr().println("chartpulse: " + e);
            return REMOTE_ERROR;
        });
        cli.setExitCodeExceptionMapper(e -> USAGE);
        return cli;
    }

    /** A failure with the exit code it maps to and a message for people. */
    public static final class CliException extends RuntimeException {
        private final int exitCode;

        public CliException(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ChartPulseCli.class.getPackage().getImplementationVersion();
            return new String[] {"chartpulse " + (version == null ? "dev" : version)};
        }
    }
}
