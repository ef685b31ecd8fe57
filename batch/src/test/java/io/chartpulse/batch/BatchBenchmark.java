package io.chartpulse.batch;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
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
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.bson.BsonDocument;

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

    /**
     * One round's figures. {@code floorSeconds} is the least time writing the replay's output into its targets can
     * take (see {@link Floors}); with the plain decode it bounds what any replay design can reach here.
     */
    public record Round(
            long events,
            double decodePerSecond,
            double replayPerSecond,
            double processingPerSecond,
            double writingSeconds,
            double rollupSeconds,
            double floorSeconds,
            Floors floors) {
        double ratio() {
            return replayPerSecond / decodePerSecond;
        }

        /** The rate of a replay that did nothing but read the archive and write its output at the floors' rates. */
        double ceilingPerSecond() {
            return events / (events / decodePerSecond + floorSeconds);
        }

        double ceilingRatio() {
            return ceilingPerSecond() / decodePerSecond;
        }
    }

    /**
     * The physical floor of writing a day's replay output, measured on the documents and rows the replay just wrote:
     * MongoDB's the faster of upserting them again by business key (what the replay does) and inserting them into an
     * indexed collection emptied every 100 000 documents (the cheapest way any design could put them there); the lake's, writing the same rows
     * into Parquet files (not committed). Nothing else is timed: no archive, no topology, no conversion.
     */
    public record Floors(long documents, double mongoSeconds, double upsertSeconds, long rows, double lakeSeconds) {
        double seconds() {
            return mongoSeconds + lakeSeconds;
        }

        @Override
        public String toString() {
            return String.format(
                    "MongoDB %,d documents in %.1f s (%,.0f/s; upserts %,.0f/s), lake %,d rows in %.1f s (%,.0f/s)",
                    documents,
                    mongoSeconds,
                    documents / Math.max(mongoSeconds, 1e-9),
                    documents / Math.max(upsertSeconds, 1e-9),
                    rows,
                    lakeSeconds,
                    rows / Math.max(lakeSeconds, 1e-9));
        }
    }

    static Floors floors(BatchStack stack, List<Target> targets) {
        long documents = 0;
        double insert = 0;
        double upsert = 0;
        if (targets.contains(Target.MONGO)) {
            for (String[] c : new String[][] {{"events", "event_id"}, {"sessions", "session_id"}}) {
                MongoCollection<BsonDocument> live = stack.mongo.getCollection(c[0], BsonDocument.class);
                MongoCollection<BsonDocument> empty = stack.mongo.getCollection("floor_" + c[0], BsonDocument.class);
                long inEmpty = 0;
                // A page at a time, read untimed from one cursor in batches (mongo-java-server answers a find
                // without a batch size in one reply, which the driver refuses over 48 MB; paging by _id ranges scans
                // the collection per page in the stand-in). A day's documents at once would also double the heap
                // the stand-in already fills.
                try (MongoCursor<BsonDocument> cursor =
                        live.find().batchSize(1_000).iterator()) {
                    List<BsonDocument> page = new ArrayList<>();
                    while (cursor.hasNext() || !page.isEmpty()) {
                        if (cursor.hasNext() && page.size() < 5_000) {
                            page.add(cursor.next());
                            continue;
                        }
                        documents += page.size();
                        List<WriteModel<BsonDocument>> replaces = new ArrayList<>();
                        for (BsonDocument d : page) {
                            replaces.add(new ReplaceOneModel<>(
                                    new BsonDocument(c[1], d.get(c[1])), d, new ReplaceOptions().upsert(true)));
                        }
                        long t0 = System.nanoTime();
                        for (int i = 0; i < replaces.size(); i += 1_000) {
                            live.bulkWrite(
                                    replaces.subList(i, Math.min(i + 1_000, replaces.size())),
                                    new BulkWriteOptions().ordered(false));
                        }
                        upsert += (System.nanoTime() - t0) / 1e9;
                        page.forEach(d -> d.remove("_id"));
                        if (inEmpty % 100_000 == 0) {
                            // Emptied every 100 000 documents, untimed: a second copy of a 1 M day beside the
                            // stand-in's first filled the heap (full GCs, not MongoDB, would have been measured).
                            empty.drop();
                            empty.createIndex(Indexes.ascending(c[1]), new IndexOptions().unique(true));
                        }
                        inEmpty += page.size();
                        long t1 = System.nanoTime();
                        for (int i = 0; i < page.size(); i += 1_000) {
                            empty.insertMany(page.subList(i, Math.min(i + 1_000, page.size())));
                        }
                        insert += (System.nanoTime() - t1) / 1e9;
                        page.clear();
                    }
                }
                empty.drop();
            }
        }
        long rows = 0;
        double lake = 0;
        if (targets.contains(Target.LAKE)) {
            Map<LakeTable, String> dayColumns =
                    Map.of(LakeTable.ENRICHED_EVENTS, "derived_at", LakeTable.SESSIONS, "start_at");
            for (Map.Entry<LakeTable, String> t : dayColumns.entrySet()) {
                Table table = stack.catalog.loadTable(t.getKey().identifier());
                LakeWriter.Files files = LakeWriter.open(table);
                List<Record> chunk = new ArrayList<>();
                try (CloseableIterable<Record> read = IcebergGenerics.read(table)
                        .where(LakeInput.timeFilter(t.getValue(), DAY))
                        .build()) {
                    // Read untimed, a chunk at a time; only the writing is timed.
                    for (Iterator<Record> it = read.iterator(); it.hasNext(); ) {
                        chunk.add(it.next().copy());
                        if (chunk.size() == 10_000 || !it.hasNext()) {
                            rows += chunk.size();
                            long t0 = System.nanoTime();
                            chunk.forEach(files::write);
                            lake += (System.nanoTime() - t0) / 1e9;
                            chunk.clear();
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                long t0 = System.nanoTime();
                List<DataFile> written = files.close();
                lake += (System.nanoTime() - t0) / 1e9;
                written.forEach(f -> table.io().deleteFile(f.location()));
            }
        }
        return new Floors(documents, Math.min(insert, upsert), upsert, rows, lake);
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
                        + "  floor of writing the output %.1f s -> any replay at most %,10.0f events/s, ratio %.2f%n"
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
                r.median(Round::floorSeconds),
                r.median(Round::ceilingPerSecond),
                r.median(Round::ceilingRatio),
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
                Floors floors = floors(stack, targets);
                Round r = new Round(
                        decoded[0], decode, replayRate, processing, writing, rollupSeconds, floors.seconds(), floors);
                System.out.printf(
                        "round %d: plain decode %,.0f ev/s, replay %,.0f ev/s (ratio %.2f; %d events, %d sessions"
                                + " written; reading + topology %,.0f ev/s, writing %.1f s), rollup %.1f s%n"
                                + "  floors: %s; any replay into %s: at most %,.0f ev/s (ratio %.2f)%n",
                        round,
                        decode,
                        replayRate,
                        r.ratio(),
                        replayed.events(),
                        replayed.sessions(),
                        processing,
                        writing,
                        rollupSeconds,
                        floors,
                        targets.isEmpty() ? "none" : targets,
                        r.ceilingPerSecond(),
                        r.ceilingRatio());
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
