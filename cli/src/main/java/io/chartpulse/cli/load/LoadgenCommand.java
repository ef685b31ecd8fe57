package io.chartpulse.cli.load;

import io.chartpulse.cli.common.CliException;
import io.chartpulse.cli.common.ExitCode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chartpulse loadgen}: synthetic chart traffic to a collector. */
@Command(
        name = "loadgen",
        mixinStandardHelpOptions = true,
        description = {
            "Post realistic synthetic traffic to the collector: visitors, sessions, impressions, clicks with a "
                    + "plausible CTR, some bots, some invalid events and some duplicates, with a live progress line."
        },
        footer = {
            "%nExamples:",
            "  chartpulse loadgen --rate 200 --duration 30s",
            "  chartpulse loadgen --collector-url http://127.0.0.1:8080/v1/events --rate 50 --duration 2m"
        })
public final class LoadgenCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--collector-url",
            defaultValue = "${env:CHARTPULSE_COLLECTOR_URL:-http://127.0.0.1:8080/v1/events}",
            description = "The collector's event endpoint (env CHARTPULSE_COLLECTOR_URL; default ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--rate", defaultValue = "100", description = "Events per second (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(
            names = "--duration",
            defaultValue = "10s",
            description = "How long: 30s, 2m, 1h (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (rate < 1) {
            throw new CliException(ExitCode.USAGE, "--rate must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        LoadGenerator generator = new LoadGenerator(url, seed);
        long started = System.nanoTime();
        try {
            generator.run(rate, parse(duration), c -> {
                double seconds = Math.max(0.001, (System.nanoTime() - started) / 1e9);
                out.printf(
                        "\rsent %,d  accepted %,d  rejected %,d  retried batches %,d  rate %,.0f/s   ",
                        c.posted.get(),
                        c.accepted.get(),
                        c.rejected.get(),
                        c.retriedBatches.get(),
                        c.posted.get() / seconds);
                out.flush();
            });
        } catch (IllegalStateException e) {
            throw new CliException(ExitCode.REMOTE_ERROR, e.getMessage());
        }
        LoadGenerator.Counts c = generator.counts();
        out.printf(
                "%ndone: %,d distinct valid events (%,d from bots), %,d invalid (%,d refused by the collector, %,d "
                        + "by validation downstream), %,d duplicates%n",
                c.distinctValid.get(),
                c.botEvents.get(),
                c.invalidAtCollector.get() + c.invalidAtStreams.get(),
                c.invalidAtCollector.get(),
                c.invalidAtStreams.get(),
                c.duplicatesSent.get());
        return ExitCode.OK;
    }

    static Duration parse(String text) {
        try {
            long n = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new CliException(ExitCode.USAGE, "--duration " + text + ": expected e.g. 30s, 2m, 1h");
        }
    }
}
