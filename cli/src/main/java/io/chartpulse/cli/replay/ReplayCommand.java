package io.chartpulse.cli.replay;

import com.mongodb.client.MongoClient;
import io.chartpulse.batch.BatchRuns;
import io.chartpulse.batch.Interval;
import io.chartpulse.batch.KafkaState;
import io.chartpulse.batch.RawArchive;
import io.chartpulse.batch.Replay;
import io.chartpulse.batch.RollupJob;
import io.chartpulse.cli.batch.BatchCommand;
import io.chartpulse.cli.common.CliException;
import io.chartpulse.cli.common.ExitCode;
import io.chartpulse.config.ServiceConfigLoader;
import io.chartpulse.schemas.Topic;
import io.chartpulse.streams.service.StreamsAppConfig;
import io.chartpulse.streams.topology.TopologySettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.iceberg.catalog.Catalog;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chartpulse replay}: reprocess days of the raw archive into MongoDB and the lake. */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = "Reprocess the raw archive of the days in [--from, --to) through the streams app's own"
                + " topology (validation, dedup, enrichment, catalog join, sessionization) and rewrite MongoDB events"
                + " and sessions and the lake's enriched_events and sessions for those days: documents by business"
                + " key, lake day partitions overwritten, sessions with the live path's ids. Safe to run again;"
                + " --resume skips the days already replayed. Progress (events/s, ETA) goes to stderr.",
        footer = {
            "%nThe topology settings (session gap, dedup horizon, clock skew …) are the streams app's: its"
                    + " CHARTPULSE_STREAMS_* variables or --streams-config, so a replay matches the live app.",
            "%nExamples:",
            "  chartpulse replay --from 2026-11-28 --to 2026-12-01",
            "  chartpulse replay --from 2026-12-01 --to 2026-12-02 --target mongo --resume"
        })
public final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    BatchCommand.Settings settings;

    @Option(names = "--from", required = true, description = "First day (UTC, e.g. 2026-12-01; a time rounds down).")
    String from;

    @Option(
            names = "--to",
            required = true,
            description = "End, exclusive (UTC day, e.g. 2026-12-02; a time inside a day includes that day).")
    String to;

    @Mixin
    BatchCommand.TargetOption targets;

    @Option(names = "--resume", description = "Skip the days batch_runs records as replayed.")
    boolean resume;

    @Option(
            names = "--streams-config",
            description = "The streams app's properties file, for its topology settings (default: only the"
                    + " CHARTPULSE_STREAMS_* variables).")
    Path streamsConfig;

    @Option(names = "--no-catalog", description = "Do not read the catalog topic (catalog fields stay null).")
    boolean noCatalog;

    @Override
    public Integer call() {
        List<Interval> days = days(from, to);
        List<RollupJob.Target> to = targets.parse();
        TopologySettings topology;
        try {
            topology = new StreamsAppConfig(
                            ServiceConfigLoader.load(streamsConfig, StreamsAppConfig.ENV_PREFIX, System.getenv()))
                    .topology();
        } catch (RuntimeException e) {
            throw new CliException(ExitCode.USAGE, "The streams app's settings: " + e.getMessage());
        }
        String registry = settings.value(null, "CHARTPULSE_REGISTRY_URL", "http://127.0.0.1:8081");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Catalog catalog = to.contains(RollupJob.Target.LAKE) ? settings.openCatalog() : null;
        MongoClient client = settings.openMongo();
        RawArchive archive = settings.openArchive();
        try {
            Map<String, byte[]> entries = Map.of();
            if (!noCatalog) {
                try (KafkaState kafka = settings.openKafka()) {
                    entries = kafka.latestByKey(Topic.CATALOG.topicName());
                } catch (RuntimeException e) {
                    throw new CliException(
                            ExitCode.UNREACHABLE,
                            "Cannot read the catalog topic (" + e.getMessage() + "); --no-catalog replays without it");
                }
            }
            BatchRuns runs = new BatchRuns(settings.database(client));
            Set<String> done = new HashSet<>();
            if (resume) {
                runs.gaps(
                        Replay.JOB,
                        Interval.Grain.DAY,
                        days.get(0).start(),
                        days.get(days.size() - 1).end());
                for (Interval d : days) {
                    done.add(d.key());
                }
                for (Interval gap : runs.gaps(
                        Replay.JOB,
                        Interval.Grain.DAY,
                        days.get(0).start(),
                        days.get(days.size() - 1).end())) {
                    done.remove(gap.key());
                }
            }
            Bar bar = new Bar(err);
            Replay replay = new Replay(
                    archive,
                    topology,
                    Map.of("schema.registry.url", registry),
                    entries,
                    settings.database(client),
                    catalog,
                    runs,
                    Clock.systemUTC(),
                    bar);
            for (Interval day : days) {
                if (done.contains(day.key())) {
                    out.printf("skipped  %s (replayed before; --resume)%n", day);
                    continue;
                }
                bar.start(day);
                Replay.Result r = replay.run(day, to);
                bar.end();
                out.printf(
                        "replayed %s: %d archived events read, %d rejected, %d events and %d sessions written in %d"
                                + " ms%n",
                        day,
                        r.archived(),
                        r.rejected(),
                        r.events(),
                        r.sessions(),
                        r.took().toMillis());
                out.flush();
            }
            return ExitCode.OK;
        } finally {
            archive.close();
            client.close();
            if (catalog instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // the catalog's pool, on the way out
                }
            }
        }
    }

    /** The days from the one holding {@code from} to the last one starting before {@code to}. */
    static List<Interval> days(String from, String to) {
        Instant start = instant(from, "--from");
        Instant end = instant(to, "--to");
        if (!end.isAfter(start)) {
            throw new CliException(ExitCode.USAGE, "--to (" + to + ") must be after --from (" + from + ")");
        }
        List<Interval> days = new ArrayList<>();
        for (Interval d = Interval.containing(Interval.Grain.DAY, start);
                d.start().isBefore(end);
                d = d.next()) {
            days.add(d);
        }
        return days;
    }

    private static Instant instant(String text, String option) {
        try {
            return Interval.parse(text).start();
        } catch (IllegalArgumentException notAnInterval) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                throw new CliException(
                        ExitCode.USAGE,
                        option + " must be a UTC day (2026-12-01), hour (2026-12-01T13) or instant"
                                + " (2026-12-01T13:30:00Z), got " + text);
            }
        }
    }

    /** A one-line progress bar on stderr: the day, events read, events/s and the time left. */
    static final class Bar implements Replay.Progress {
        private final PrintWriter err;
        private long started;
        private long lastPrint;

        Bar(PrintWriter err) {
            this.err = err;
        }

        void start(Interval day) {
            started = System.nanoTime();
            lastPrint = 0;
        }

        @Override
        public void update(Interval day, long read, long expected) {
            long now = System.nanoTime();
            if (now - lastPrint < 1_000_000_000L) {
                return;
            }
            lastPrint = now;
            double seconds = Math.max(1e-3, (now - started) / 1e9);
            double rate = read / seconds;
            long left = rate <= 0 ? 0 : (long) (Math.max(0, expected - read) / rate);
            int width = 30;
            int filled = expected <= 0 ? 0 : (int) Math.min(width, width * read / expected);
            err.printf(
                    "\r%s [%s%s] %,d events  %,.0f ev/s  ETA %s   ",
                    day,
                    "#".repeat(filled),
                    ".".repeat(width - filled),
                    read,
                    rate,
                    Duration.ofSeconds(left).toString().substring(2).toLowerCase());
            err.flush();
        }

        void end() {
            if (lastPrint != 0) {
                err.println();
                err.flush();
            }
        }
    }
}
