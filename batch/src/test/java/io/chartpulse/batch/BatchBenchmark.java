package io.chartpulse.batch;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.Context;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.Session;
import io.chartpulse.batch.RollupJob.Target;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.lake.AvroRows;
import io.chartpulse.lake.LakeTable;
import io.chartpulse.lake.LakeWriter;
import io.chartpulse.streams.topology.TopologySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.apache.iceberg.Table;

/**
 * The batch half's benchmark, in one run on one machine: a generated day of {@code events} raw events in the
 * archive (zstd Avro files at the sink's keys, a few user agents as a site sees them) and in the lake, then per round
 * <ol>
 *   <li><b>plain decode</b>: every archive file a day's replay reads, read and Avro-decoded, nothing else — the
 *       floor of reading the archive;
 *   <li><b>replay</b>: the same files through the streams app's topology into MongoDB and the lake;
 *   <li><b>rollup</b>: the day's rollups from the lake into MongoDB and the lake.
 * </ol>
 * Prints each round and the medians: replay events/s, its ratio to the plain decode, the rollup's seconds.
 * {@code ./mvnw -B -pl batch -am verify -DskipTests -Pbenchmark [-Dbenchmark.args="<events> <rounds> [targets]"]}
 * — targets {@code mongo,lake} (default), {@code mongo}, {@code lake} or {@code none} (the topology alone).
 */
public final class BatchBenchmark {

    static final Interval DAY = Interval.parse("2026-12-01");
    static final String[] AGENTS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1"
                + " Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1"
                + " Safari/605.1.15",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile"
                + " Safari/537.36",
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
    };

    /** One round's figures. */
    public record Round(
            long events,
            double decodePerSecond,
            double replayPerSecond,
            double processingPerSecond,
            double writingSeconds,
            double rollupSeconds) {
        double ratio() {
            return replayPerSecond / decodePerSecond;
        }
    }

    /** The rounds of a run. */
    public record Result(long archived, List<Round> rounds) {
        double median(ToDoubleFunction<Round> f) {
            double[] v = rounds.stream().mapToDouble(f).sorted().toArray();
            return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        }
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        // The replay's targets: "mongo,lake" (the default), one of them, or "none" (the topology alone).
        List<Target> targets = args.length > 2 ? targets(args[2]) : List.of(Target.MONGO, Target.LAKE);
        Path dir = Files.createTempDirectory("chartpulse-batch-bench-");
        Result r = run(dir, events, rounds, targets);
        System.out.printf(
                "%nmedians of %d rounds, %d archived events, replay into %s (%d cores, max heap %d MB):%n"
                        + "  plain decode  %,10.0f events/s%n"
                        + "  replay        %,10.0f events/s   ratio %.2f%n"
                        + "    of which reading + topology alone %,10.0f events/s, writing %.1f s%n"
                        + "  rollup        %10.1f s%n",
                rounds,
                r.archived(),
                targets.isEmpty() ? "none" : targets,
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20,
                r.median(Round::decodePerSecond),
                r.median(Round::replayPerSecond),
                r.median(Round::ratio),
                r.median(Round::processingPerSecond),
                r.median(Round::writingSeconds),
                r.median(Round::rollupSeconds));
    }

    /** Generates the day, then measures {@code rounds} rounds. */
    public static Result run(Path dir, int events, int rounds, List<Target> targets) throws IOException {
        try (EmbeddedKafka kafka =
                        EmbeddedKafka.builder().dataDir(dir.resolve("kafka")).start();
                EmbeddedRegistry registry = EmbeddedRegistry.start(kafka, 0, "_schemas");
                BatchStack stack = new BatchStack(dir.resolve("stack"));
                RawArchive archive = stack.archive()) {
            BatchStack.registerSchemas(registry.url());
            long archived = generate(stack, events);
            Replay replay = new Replay(
                    archive,
                    TopologySettings.defaults(),
                    Map.of("schema.registry.url", registry.url()),
                    Map.of(),
                    stack.mongo,
                    stack.catalog,
                    null,
                    Clock.systemUTC(),
                    (day, read, expected) -> {});
            List<String> keys = new ArrayList<>();
            Interval.Span window = replay.window(DAY);
            for (Interval hour : Interval.between(Interval.Grain.HOUR, window.from(), window.to())) {
                keys.addAll(archive.objects(hour));
            }
            RollupJob rollup = new RollupJob(
                    new LakeInput(stack.catalog),
                    new MongoOutput(stack.mongo),
                    new LakeOutput(stack.catalog),
                    null,
                    Clock.systemUTC());
            List<Round> out = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                long t0 = System.nanoTime();
                long[] decoded = {0};
                for (String key : keys) {
                    archive.read(key, e -> decoded[0]++);
                }
                double decode = decoded[0] / ((System.nanoTime() - t0) / 1e9);
                long t1 = System.nanoTime();
                Replay.Result replayed = replay.run(DAY, targets);
                double replayRate = replayed.archived() / ((System.nanoTime() - t1) / 1e9);
                long t2 = System.nanoTime();
                rollup.run(DAY, List.of(Target.MONGO, Target.LAKE));
                double rollupSeconds = (System.nanoTime() - t2) / 1e9;
                double processing = replayed.archived() / (replayed.processing().toNanos() / 1e9);
                double writing = replayed.writing().toNanos() / 1e9;
                Round r = new Round(decoded[0], decode, replayRate, processing, writing, rollupSeconds);
                System.out.printf(
                        "round %d: plain decode %,.0f ev/s, replay %,.0f ev/s (ratio %.2f; %d events, %d sessions"
                                + " written; reading + topology %,.0f ev/s, writing %.1f s), rollup %.1f s%n",
                        round,
                        decode,
                        replayRate,
                        r.ratio(),
                        replayed.events(),
                        replayed.sessions(),
                        processing,
                        writing,
                        rollupSeconds);
                out.add(r);
            }
            return new Result(archived, out);
        }
    }

    static List<Target> targets(String spec) {
        if (spec.equals("none")) {
            return List.of();
        }
        return Arrays.stream(spec.split(",")).map(Target::of).toList();
    }

    // The day in the archive (hour files of at most 50 000 events, as the sink's flush.size) and in the lake.
    static long generate(BatchStack stack, int events) {
        Map<Instant, List<ChartEvent>> byHour = new TreeMap<>();
        Map<Instant, Integer> files = new TreeMap<>();
        Table eventTable = stack.catalog.loadTable(LakeTable.ENRICHED_EVENTS.identifier());
        Table sessionTable = stack.catalog.loadTable(LakeTable.SESSIONS.identifier());
        LakeWriter.Files eventFiles = LakeWriter.open(eventTable);
        LakeWriter.Files sessionFiles = LakeWriter.open(sessionTable);
        long written = 0;
        int visitor = 0;
        while (written < events) {
            Dataset chunk = new Dataset(DAY, visitor, 500, 17);
            visitor += 500;
            for (EnrichedEvent e : chunk.events) {
                if (written >= events) {
                    break;
                }
                ChartEvent raw = Dataset.raw(e);
                raw.setContext(Context.newBuilder()
                        .setUserAgent(AGENTS[Math.floorMod(e.getAnonymousId().hashCode(), AGENTS.length)])
                        .build());
                Instant hour = e.getReceivedAt().truncatedTo(ChronoUnit.HOURS);
                List<ChartEvent> buffer = byHour.computeIfAbsent(hour, h -> new ArrayList<>());
                buffer.add(raw);
                if (buffer.size() == 50_000) {
                    flush(stack, hour, buffer, files);
                }
                eventFiles.write(AvroRows.toRow(e, eventTable.schema().asStruct()));
                written++;
            }
            for (Session s : chunk.sessions) {
                sessionFiles.write(AvroRows.toRow(s, sessionTable.schema().asStruct()));
            }
        }
        byHour.forEach((hour, buffer) -> flush(stack, hour, buffer, files));
        var append = eventTable.newAppend();
        eventFiles.close().forEach(append::appendFile);
        append.commit();
        var sessions = sessionTable.newAppend();
        sessionFiles.close().forEach(sessions::appendFile);
        sessions.commit();
        System.out.printf("generated %,d events of %d visitors%n", written, visitor);
        return written;
    }

    private static void flush(BatchStack stack, Instant hour, List<ChartEvent> buffer, Map<Instant, Integer> files) {
        if (buffer.isEmpty()) {
            return;
        }
        int n = files.merge(hour, 1, Integer::sum);
        stack.putArchive(BatchStack.archiveKey(hour, n), buffer);
        buffer.clear();
    }
}
