package io.chartpulse.batch;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import com.mongodb.kafka.connect.sink.converter.SinkConverter;
import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.Session;
import io.chartpulse.lake.AvroRows;
import io.chartpulse.lake.LakeTable;
import io.chartpulse.lake.LakeWriter;
import io.chartpulse.serde.avro.KafkaAvroSerializer;
import io.chartpulse.serde.avro.SpecificAvroDeserializer;
import io.chartpulse.serde.connect.AvroConverter;
import io.chartpulse.streams.enrich.Enricher;
import io.chartpulse.streams.enrich.Enrichers;
import io.chartpulse.streams.topology.ChartPulseTopology;
import io.chartpulse.streams.topology.StoreKind;
import io.chartpulse.streams.topology.TopologyCounters;
import io.chartpulse.streams.topology.TopologySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.apache.kafka.streams.test.TestRecord;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code chartpulse replay}: reprocesses days of the raw archive through <b>the streams app's own topology</b> — the
 * very steps {@link ChartPulseTopology#enrich} and {@link ChartPulseTopology#sessionize} add to the live app's graph,
 * with its validation, enrichment, catalog joins, dedup and sessionization, run in-process by Kafka Streams' {@link
 * TopologyTestDriver} (no broker, the same processors and state stores) — and rewrites MongoDB {@code events} and {@code sessions} and the lake's
 * {@code enriched_events} and {@code sessions} for those days.
 *
 * <p><b>One day at a time</b>, each its own pass: the archive is read from {@code session max duration + gap}
 * before the day (so that a session running into the day starts where the live path started it, and so has its
 * id, and duplicates straddling midnight are dropped as live did) to {@code gap + grace + max clock skew} after it;
 * the day's output is the events whose {@code derived_at} and the sessions whose {@code start_at} lie in the day —
 * the day partitions of the lake's tables.
 *
 * <p><b>No duplicates.</b> MongoDB documents replace the document of the same business key, as the live sinks'
 * {@code ReplaceOneBusinessKeyStrategy} does ({@code event_id} for {@code events}, {@code session_id} for {@code
 * sessions}; the {@code _id} is the one MongoDB gave the document first), made by the MongoDB connector's own
 * {@link SinkConverter} fed by ChartPulse's {@link AvroConverter}, so a replayed document is the live one but for
 * {@code processed_at}. The lake's day partitions are replaced in one overwrite commit per table. Session ids
 * are deterministic (visitor and start time), so a replayed session replaces its live twin. Replaying a day twice
 * is replaying it once. A day is recorded in {@code batch_runs} ({@code replay|day|…}) when done, which {@code
 * --resume} skips.
 *
 * <p>Minute metrics are not rebuilt (their step, {@link ChartPulseTopology#chartMetrics}, is left out of the
 * replay's graph): their store is the live app's, and the batch rollups are what a replay feeds.
 */
public final class Replay {

    private static final Logger LOG = LoggerFactory.getLogger(Replay.class);
    private static final int BATCH = 1_000;

    /** The job's name in {@code batch_runs}. */
    public static final String JOB = "replay";

    /**
     * What a day's replay did. {@code processing} is the time spent reading the archive and in the topology, {@code
     * writing} the time spent decoding its output and writing MongoDB and the lake (so a slow day says which half
     * was slow). The two overlap (the output is written on a thread of its own): {@code took} is about the larger.
     */
    public record Result(
            Interval day,
            long archived,
            long rejected,
            long events,
            long sessions,
            Duration took,
            Duration processing,
            Duration writing,
            List<RollupJob.Target> targets) {}

    /** Told of progress: events read so far and the archive's events expected in the pass (an estimate). */
    public interface Progress {
        void update(Interval day, long read, long expected);
    }

    private final RawArchive archive;
    private final TopologySettings settings;
    private final Map<String, Object> serdeConfig;
    private final Map<String, byte[]> catalog;
    private final MongoDatabase mongo;
    private final Catalog lake;
    private final BatchRuns runs;
    private final Clock clock;
    private final Progress progress;
    // Built once: the user-agent parser takes seconds to load its rules, and each day's pass reuses it.
    private List<Enricher> enrichers;

    /**
     * @param settings    the streams app's topology settings (the live app's config gives the live app's output)
     * @param serdeConfig the registry settings of the streams app's serdes
     * @param catalog     the catalog topic's records (key → serialized CatalogEntry), joined as live
     * @param mongo       where events and sessions are rewritten, or null
     * @param lake        the lake's catalog, or null
     */
    public Replay(
            RawArchive archive,
            TopologySettings settings,
            Map<String, Object> serdeConfig,
            Map<String, byte[]> catalog,
            MongoDatabase mongo,
            Catalog lake,
            BatchRuns runs,
            Clock clock,
            Progress progress) {
        this.archive = archive;
        this.settings = settings;
        this.serdeConfig = serdeConfig;
        this.catalog = catalog;
        this.mongo = mongo;
        this.lake = lake;
        this.runs = runs;
        this.clock = clock;
        this.progress = progress;
    }

    /** The part of the archive a day's pass reads: hours from the session lookback before it to its tail after. */
    public Interval.Span window(Interval day) {
        Duration before = settings.sessionMaxDuration().plus(settings.sessionGap());
        Duration after = settings.sessionGap().plus(settings.sessionGrace()).plus(settings.maxClockSkew());
        return new Interval.Span(day.start().minus(before), day.end().plus(after));
    }

    /** Replays {@code day} (a day interval) into {@code targets}. */
    public Result run(Interval day, List<RollupJob.Target> targets) {
        if (day.grain() != Interval.Grain.DAY) {
            throw new IllegalArgumentException(
                    "a replay runs by day, not by " + day.grain().label());
        }
        Instant started = clock.instant();
        Interval.Span window = window(day);
        List<String> keys = new ArrayList<>();
        for (Interval hour : Interval.between(Interval.Grain.HOUR, window.from(), window.to())) {
            keys.addAll(archive.objects(hour));
        }
        if (day.hours().stream().allMatch(hour -> archive.objects(hour).isEmpty())) {
            // Never replace a day's lake partitions and documents with nothing: a wrong bucket, prefix or day must
            // not read as "the day had no events".
            throw new IllegalStateException("The raw archive has no files for " + day + " (s3://" + archive.bucket()
                    + "): nothing replayed, MongoDB and the lake left as they are");
        }
        Path state = tempDir();
        Output out = new Output(day, targets);
        long[] read = {0, 0};
        long processing = 0;
        try (TopologyTestDriver driver = driver(state);
                Writer writer = new Writer(out);
                KafkaAvroSerializer serializer = new KafkaAvroSerializer()) {
            serializer.configure(serdeConfig, false);
            TestInputTopic<String, byte[]> catalogIn =
                    driver.createInputTopic(settings.catalogTopic(), new StringSerializer(), new ByteArraySerializer());
            catalog.forEach((k, v) -> catalogIn.pipeInput(k, v, Instant.EPOCH));
            TestInputTopic<String, byte[]> raw =
                    driver.createInputTopic(settings.rawTopic(), new StringSerializer(), new ByteArraySerializer());
            TestOutputTopic<String, byte[]> enriched = output(driver, settings.enrichedTopic());
            TestOutputTopic<String, byte[]> sessions = output(driver, settings.sessionsTopic());
            TestOutputTopic<String, byte[]> invalid = output(driver, settings.invalidTopic());
            int file = 0;
            for (String key : keys) {
                long t0 = System.nanoTime();
                archive.read(key, (ChartEvent e) -> {
                    if (window.contains(e.getReceivedAt())) {
                        raw.pipeInput(
                                e.getAnonymousId(), serializer.serialize(settings.rawTopic(), e), e.getReceivedAt());
                        read[0]++;
                    }
                });
                file++;
                read[1] += drain(driver, enriched, sessions, invalid, writer);
                processing += System.nanoTime() - t0;
                progress.update(day, read[0], read[0] * keys.size() / file);
            }
            // Close every session still open: the wall clock moves the idle watermark past them (as it does for a
            // quiet live partition).
            long t0 = System.nanoTime();
            driver.advanceWallClockTime(settings.sessionMaxDuration()
                    .plus(settings.sessionGap())
                    .plus(settings.sessionGrace())
                    .plus(settings.sessionCheck()));
            read[1] += drain(driver, enriched, sessions, invalid, writer);
            processing += System.nanoTime() - t0;
            writer.finish();
        } finally {
            deleteTree(state);
        }
        Duration took = Duration.between(started, clock.instant());
        Result result = new Result(
                day,
                read[0],
                read[1],
                out.events,
                out.sessions,
                took,
                Duration.ofNanos(processing),
                Duration.ofNanos(out.nanos),
                targets);
        if (runs != null) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("archived", read[0]);
            details.put("rejected", read[1]);
            details.put("events", out.events);
            details.put("sessions", out.sessions);
            details.put("took_ms", took.toMillis());
            details.put("processing_ms", result.processing().toMillis());
            details.put("writing_ms", result.writing().toMillis());
            runs.completed(JOB, day, UUID.randomUUID().toString(), clock.instant(), details);
        }
        LOG.info(
                "Replayed {}: {} archived events read ({} rejected), {} events and {} sessions written in {} ms"
                        + " ({} ms reading and in the topology, {} ms writing)",
                day,
                read[0],
                read[1],
                out.events,
                out.sessions,
                took.toMillis(),
                result.processing().toMillis(),
                result.writing().toMillis());
        return result;
    }

    // Hands the topology's enriched events and sessions to the writer; returns how many events it rejected.
    private long drain(
            TopologyTestDriver driver,
            TestOutputTopic<String, byte[]> enriched,
            TestOutputTopic<String, byte[]> sessions,
            TestOutputTopic<String, byte[]> invalid,
            Writer writer) {
        writer.write(values(enriched), values(sessions));
        long rejected = invalid.readRecordsToList().size();
        // Whatever else the topology produced is read out and dropped (the driver keeps a copy of every record it
        // sends, even one it feeds back into the topology, so an undrained topic grows with the day).
        for (String topic : driver.producedTopicNames()) {
            if (!topic.equals(settings.enrichedTopic())
                    && !topic.equals(settings.sessionsTopic())
                    && !topic.equals(settings.invalidTopic())) {
                driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                        .readRecordsToList();
            }
        }
        return rejected;
    }

    private static List<byte[]> values(TestOutputTopic<String, byte[]> topic) {
        return topic.readRecordsToList().stream().map(TestRecord::value).toList();
    }

    /**
     * Writes the day's output on a thread of its own, so that MongoDB and the lake take their time while the
     * topology works on the next file (one core reads and processes, the other writes). At most a few files'
     * output wait; a failure in the writer stops the replay at its next hand-over, or at {@link #finish}.
     */
    private static final class Writer implements AutoCloseable {
        private static final Runnable END = () -> {};
        private final BlockingQueue<Runnable> work = new ArrayBlockingQueue<>(4);
        private final Output out;
        private final Thread thread;
        private volatile Throwable failure;

        Writer(Output out) {
            this.out = out;
            this.thread = new Thread(this::loop, "chartpulse-replay-writer");
            thread.setDaemon(true);
            thread.start();
        }

        void write(List<byte[]> events, List<byte[]> sessions) {
            if (!events.isEmpty() || !sessions.isEmpty()) {
                hand(() -> out.write(events, sessions));
            }
        }

        /** Waits until everything handed over is written and the output finished. */
        void finish() {
            hand(out::finish);
            hand(END);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while the replay's output was being written", e);
            }
            rethrow();
        }

        private void hand(Runnable task) {
            rethrow();
            try {
                while (!work.offer(task, 1, TimeUnit.SECONDS)) {
                    rethrow();
                    if (!thread.isAlive()) {
                        throw new IllegalStateException("The replay's writer thread ended before its output");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while handing the replay's output to its writer", e);
            }
        }

        private void rethrow() {
            Throwable f = failure;
            if (f != null) {
                throw new IllegalStateException("Writing the replay's output failed: " + f.getMessage(), f);
            }
        }

        private void loop() {
            try {
                for (Runnable task = work.take(); task != END; task = work.take()) {
                    if (failure == null) {
                        try {
                            task.run();
                        } catch (RuntimeException | Error e) {
                            failure = e; // handed to the replay's thread, which stops
                        }
                    }
                }
            } catch (InterruptedException e) {
                // closed before the end: the replay failed, nothing more is written
            }
        }

        // After a failure elsewhere: stop writing, and do not return while a write may still be under way.
        @Override
        public void close() {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // Where a day's output goes: MongoDB by business key in batches, the lake's day partitions as open files.
    private final class Output {
        final Interval day;
        final List<RollupJob.Target> targets;
        final AvroConverter converter = new AvroConverter();
        final SinkConverter documents = new SinkConverter();
        final List<WriteModel<BsonDocument>> eventBatch = new ArrayList<>();
        final List<WriteModel<BsonDocument>> sessionBatch = new ArrayList<>();
        final SpecificAvroDeserializer<EnrichedEvent> eventReader = new SpecificAvroDeserializer<>(EnrichedEvent.class);
        final SpecificAvroDeserializer<Session> sessionReader = new SpecificAvroDeserializer<>(Session.class);
        LakeWriter.Files eventFiles;
        LakeWriter.Files sessionFiles;
        Table eventTable;
        Table sessionTable;
        long events;
        long sessions;
        long nanos; // writing, on the writer's thread

        Output(Interval day, List<RollupJob.Target> targets) {
            this.day = day;
            this.targets = targets;
            converter.configure(serdeConfig, false);
            eventReader.configure(serdeConfig, false);
            sessionReader.configure(serdeConfig, false);
            if (targets.contains(RollupJob.Target.MONGO)) {
                // The business keys' unique indexes: each replaced document is a point lookup, not a scan.
                MongoIndexes.ensure(mongo, MongoIndexes.of("events", "sessions"));
            }
            if (targets.contains(RollupJob.Target.LAKE)) {
                eventTable = lake.loadTable(LakeTable.ENRICHED_EVENTS.identifier());
                sessionTable = lake.loadTable(LakeTable.SESSIONS.identifier());
                eventFiles = LakeWriter.open(eventTable);
                sessionFiles = LakeWriter.open(sessionTable);
            }
        }

        // The day's own: events derived and sessions started in it.
        void write(List<byte[]> eventValues, List<byte[]> sessionValues) {
            long t0 = System.nanoTime();
            for (byte[] bytes : eventValues) {
                EnrichedEvent e = eventReader.deserialize(settings.enrichedTopic(), bytes);
                if (day.contains(e.getDerivedAt())) {
                    event(e, bytes);
                }
            }
            for (byte[] bytes : sessionValues) {
                Session s = sessionReader.deserialize(settings.sessionsTopic(), bytes);
                if (day.contains(s.getStartAt())) {
                    session(s, bytes);
                }
            }
            nanos += System.nanoTime() - t0;
        }

        void event(EnrichedEvent e, byte[] bytes) {
            events++;
            if (eventFiles != null) {
                eventFiles.write(AvroRows.toRow(e, eventTable.schema().asStruct()));
            }
            if (targets.contains(RollupJob.Target.MONGO)) {
                add(eventBatch, "events", settings.enrichedTopic(), bytes, "event_id");
            }
        }

        void session(Session s, byte[] bytes) {
            sessions++;
            if (sessionFiles != null) {
                sessionFiles.write(AvroRows.toRow(s, sessionTable.schema().asStruct()));
            }
            if (targets.contains(RollupJob.Target.MONGO)) {
                add(sessionBatch, "sessions", settings.sessionsTopic(), bytes, "session_id");
            }
        }

        // The document the MongoDB sink writes for this record: the connector's converter on the Connect value of
        // ChartPulse's AvroConverter, replacing the document with the same business key ({<field>: value}, the
        // PartialValueStrategy projection the sinks' ReplaceOneBusinessKeyStrategy filters by); the _id stays the
        // one MongoDB gave the document first.
        void add(List<WriteModel<BsonDocument>> batch, String collection, String topic, byte[] bytes, String idField) {
            SchemaAndValue value = converter.toConnectData(topic, bytes);
            SinkRecord record = new SinkRecord(topic, 0, null, null, value.schema(), value.value(), 0);
            BsonDocument doc = documents.convert(record).getValueDoc().orElseThrow();
            BsonDocument key = new BsonDocument(idField, doc.get(idField, new BsonString("")));
            batch.add(new ReplaceOneModel<>(key, doc, new ReplaceOptions().upsert(true)));
            if (batch.size() >= BATCH) {
                flush(collection, batch);
            }
        }

        void flush(String collection, List<WriteModel<BsonDocument>> batch) {
            if (!batch.isEmpty()) {
                MongoCollection<BsonDocument> c = mongo.getCollection(collection, BsonDocument.class);
                c.bulkWrite(batch, new BulkWriteOptions().ordered(false));
                batch.clear();
            }
        }

        void finish() {
            long t0 = System.nanoTime();
            if (targets.contains(RollupJob.Target.MONGO)) {
                flush("events", eventBatch);
                flush("sessions", sessionBatch);
            }
            if (eventFiles != null) {
                LakeWriter.overwrite(
                        eventTable, LakeInput.timeFilter("derived_at", day), eventFiles.close(), "replay " + day);
                LakeWriter.overwrite(
                        sessionTable, LakeInput.timeFilter("start_at", day), sessionFiles.close(), "replay " + day);
            }
            nanos += System.nanoTime() - t0;
        }
    }

    private TopologyTestDriver driver(Path state) {
        StreamsBuilder builder = new StreamsBuilder();
        if (enrichers == null) {
            enrichers = Enrichers.standard();
        }
        // Validation, enrichment, catalog joins, dedup and sessions: the live app's steps up to its MongoDB and lake
        // outputs. Its minute metrics are left out — a replay does not rebuild them (they live in the live app's
        // store and the rollups are what a replay feeds), and computing them only to drop them would cost the
        // replay a repartition and a window store.
        TopologyCounters counters = new TopologyCounters();
        ChartPulseTopology.sessionize(
                builder,
                ChartPulseTopology.enrich(builder, settings, enrichers, serdeConfig, counters, StoreKind.IN_MEMORY),
                settings,
                serdeConfig,
                counters);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "chartpulse-replay");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "replay.invalid:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        // The catalog's global table is a DSL store: in memory too.
        props.put(
                StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG,
                BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class);
        return new TopologyTestDriver(builder.build(), props, Instant.ofEpochMilli(clock.millis()));
    }

    private static TestOutputTopic<String, byte[]> output(TopologyTestDriver driver, String topic) {
        return driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("chartpulse-replay-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the replay's state directory", e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not remove the replay's state directory {}: {}", dir, e.toString());
        }
    }
}
