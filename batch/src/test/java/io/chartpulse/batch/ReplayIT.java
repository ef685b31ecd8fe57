package io.chartpulse.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.Context;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.Session;
import io.chartpulse.batch.RollupJob.Target;
import io.chartpulse.embedded.EmbeddedMongo;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.lake.LakeTable;
import io.chartpulse.streams.session.SessionAggregation;
import io.chartpulse.streams.topology.TopologySettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.assertj.core.api.Assertions;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay of a day of the raw archive (with client retries, an invalid event and the days around it) through the
 * streams app's topology into an empty MongoDB and the lake: every valid event of the day once, sessions with the
 * topology's deterministic ids, and a second replay that changes nothing. Real broker-backed registry, S3Proxy,
 * Iceberg and mongo-java-server read through the official driver.
 */
class ReplayIT {

    static final Interval DAY = Interval.parse("2026-12-01");

    @TempDir
    static Path dir;

    static EmbeddedKafka kafka;
    static EmbeddedRegistry registry;
    static BatchStack stack;
    static RawArchive archive;
    static Dataset data;
    static Set<String> validOfDay = new HashSet<>();

    @BeforeAll
    static void setUp() {
        kafka = EmbeddedKafka.builder().dataDir(dir.resolve("kafka")).start();
        registry = EmbeddedRegistry.start(kafka, 0, "_schemas");
        stack = new BatchStack(dir.resolve("stack"));
        archive = stack.archive();
        data = new Dataset(DAY, 120, 5);
        Map<Instant, List<ChartEvent>> byHour = new TreeMap<>();
        for (EnrichedEvent e : data.events) {
            ChartEvent raw = Dataset.raw(e);
            raw.setContext(Context.newBuilder()
                    .setUserAgent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                            + " Chrome/131.0.0.0 Safari/537.36")
                    .build());
            byHour.computeIfAbsent(e.getReceivedAt().truncatedTo(ChronoUnit.HOURS), h -> new ArrayList<>())
                    .add(raw);
            if (DAY.contains(e.getDerivedAt())) {
                validOfDay.add(e.getEventId().toString());
            }
        }
        // Client retries: some events arrive twice, the copy a few seconds later.
        for (List<ChartEvent> hour : byHour.values()) {
            if (hour.size() > 3) {
                hour.add(ChartEvent.newBuilder(hour.get(1)).build());
            }
        }
        // An event the validator refuses (sent a week before it was received).
        ChartEvent skewed = ChartEvent.newBuilder(Dataset.raw(data.events.get(0)))
                .setEventId(UUID.randomUUID())
                .setReceivedAt(DAY.start().plusSeconds(3600))
                .setCreatedAt(DAY.start().minus(Duration.ofDays(7)))
                .setSentAt(DAY.start().minus(Duration.ofDays(7)))
                .build();
        byHour.computeIfAbsent(DAY.start().plusSeconds(3600), h -> new ArrayList<>())
                .add(skewed);
        byHour.forEach((hour, events) -> stack.putArchive(BatchStack.archiveKey(hour, 0), events));
        BatchStack.registerSchemas(registry.url());
    }

    @AfterAll
    static void tearDown() {
        archive.close();
        stack.close();
        registry.close();
        kafka.close();
    }

    static Replay replay() {
        return new Replay(
                archive,
                TopologySettings.defaults(),
                Map.of("schema.registry.url", registry.url()),
                Map.of(),
                stack.mongo,
                stack.catalog,
                new BatchRuns(stack.mongo),
                Clock.systemUTC(),
                (day, read, expected) -> {});
    }

    @Test
    void aDayReplaysIntoEveryValidEventOnceAndItsSessionsAndASecondReplayChangesNothing() throws IOException {
        Replay.Result first = replay().run(DAY, List.of(Target.MONGO, Target.LAKE));
        assertThat(first.rejected()).isEqualTo(1);
        assertThat(first.events()).isEqualTo(validOfDay.size());

        List<Document> events = stack.mongo.getCollection("events").find().into(new ArrayList<>());
        assertThat(events).hasSize(validOfDay.size());
        Set<String> ids = new HashSet<>();
        for (Document d : events) {
            ids.add(d.getString("event_id"));
            assertThat(d.get("_id")).isInstanceOf(ObjectId.class); // as the live sink leaves it
        }
        assertThat(ids).isEqualTo(validOfDay);
        Document one = events.get(0);
        assertThat(one.get("received_at")).isInstanceOf(Date.class);
        assertThat(one.get("session_index")).isInstanceOf(Integer.class);
        assertThat(one.get("clock_skew_ms")).isInstanceOf(Long.class);
        assertThat(one.get("user_agent", Document.class).getString("browser")).isEqualTo("Chrome");

        List<Record> lakeEvents = lake(LakeTable.ENRICHED_EVENTS);
        assertThat(lakeEvents).hasSize(validOfDay.size());
        List<Document> sessions = stack.mongo.getCollection("sessions").find().into(new ArrayList<>());
        assertThat(sessions).isNotEmpty();
        assertThat(lake(LakeTable.SESSIONS)).hasSize(sessions.size());
        for (Document s : sessions) {
            Instant start = s.getDate("start_at").toInstant();
            assertThat(DAY.contains(start)).isTrue();
            Session probe = new Session();
            probe.setAnonymousId(s.getString("anonymous_id"));
            probe.setStartAt(start);
            probe.setClientSessionIds(new ArrayList<>());
            probe.setCharts(new ArrayList<>());
            probe.setProductsImpressed(new ArrayList<>());
            probe.setProductsClicked(new ArrayList<>());
            // The id the topology gives a session of this visitor starting then.
            assertThat(s.getString("session_id"))
                    .isEqualTo(SessionAggregation.close(probe).getSessionId());
        }
        // Every session's events add up to the day's sessions' events (bots included, as the topology keeps them).
        long sessionEvents =
                sessions.stream().mapToLong(s -> s.getLong("event_count")).sum();
        assertThat(sessionEvents).isGreaterThan(validOfDay.size() / 2);

        Map<String, Document> before = byId("events");
        Map<String, Document> sessionsBefore = byId("sessions");
        Replay.Result second = replay().run(DAY, List.of(Target.MONGO, Target.LAKE));
        assertThat(second.events()).isEqualTo(first.events());
        assertThat(byId("events")).isEqualTo(before);
        assertThat(byId("sessions")).isEqualTo(sessionsBefore);
        assertThat(lake(LakeTable.ENRICHED_EVENTS)).hasSize(validOfDay.size());
        assertThat(stack.mongo.getCollection(BatchRuns.COLLECTION).countDocuments(Filters.eq("job", "replay")))
                .isEqualTo(1);
    }

    @Test
    void aReplayKilledHalfWayAndRunAgainLeavesWhatOneReplayLeaves() throws Exception {
        // Its own database: the killed JVM and the rerun write there, the lake's day partitions are shared (a
        // replay replaces them whole, so the other test sees the same rows in any order).
        MongoDatabase crash = stack.mongoClient.getDatabase("crash");
        ProcessBuilder child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        ReplayChild.class.getName(),
                        DAY.key())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("replay-child.log").toFile());
        child.environment().putAll(stack.environment);
        child.environment().put("CHARTPULSE_MONGO_DATABASE", "crash");
        child.environment().put("CHARTPULSE_REGISTRY_URL", registry.url());
        Process p = child.start();
        await().atMost(Duration.ofMinutes(3))
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> !p.isAlive() || crash.getCollection("events").countDocuments() > 0);
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        long partial = crash.getCollection("events").countDocuments();
        assertThat(partial).as("killed while writing events").isPositive().isLessThan(validOfDay.size());
        assertThat(crash.getCollection(BatchRuns.COLLECTION).countDocuments()).isZero();

        Replay rerun = new Replay(
                archive,
                TopologySettings.defaults(),
                Map.of("schema.registry.url", registry.url()),
                Map.of(),
                crash,
                stack.catalog,
                new BatchRuns(crash),
                Clock.systemUTC(),
                (day, read, expected) -> {});
        rerun.run(DAY, List.of(Target.MONGO, Target.LAKE));
        Set<String> ids = new HashSet<>();
        crash.getCollection("events").find().forEach(d -> ids.add(d.getString("event_id")));
        assertThat(ids).isEqualTo(validOfDay);
        assertThat(crash.getCollection("events").countDocuments()).isEqualTo(validOfDay.size());
        assertThat(lake(LakeTable.ENRICHED_EVENTS)).hasSize(validOfDay.size());
        assertThat(crash.getCollection(BatchRuns.COLLECTION).countDocuments()).isEqualTo(1);
    }

    @Test
    void aDayTheArchiveHasNoFilesForIsRefusedAndNothingIsReplaced() throws IOException {
        int before = lake(LakeTable.ENRICHED_EVENTS).size();
        Assertions.assertThatThrownBy(
                        () -> replay().run(Interval.parse("2026-11-20"), List.of(Target.MONGO, Target.LAKE)))
                .hasMessageContaining("no files for 2026-11-20")
                .hasMessageContaining("left as they are");
        assertThat(lake(LakeTable.ENRICHED_EVENTS)).hasSize(before);
    }

    @Test
    void aReplayWhoseMongoDbFailsWhileWritingStopsNamingItAndRecordsAndReplacesNothing() throws IOException {
        Snapshot lakeBefore =
                stack.catalog.loadTable(LakeTable.ENRICHED_EVENTS.identifier()).currentSnapshot();
        MongoDatabase runs = stack.mongoClient.getDatabase("failed-runs");
        AtomicBoolean stopped = new AtomicBoolean();
        EmbeddedMongo doomed = EmbeddedMongo.start(0, null);
        try (MongoClient client = MongoClients.create(doomed.uri() + "&serverSelectionTimeoutMS=1000")) {
            Replay replay = new Replay(
                    archive,
                    TopologySettings.defaults(),
                    Map.of("schema.registry.url", registry.url()),
                    Map.of(),
                    client.getDatabase("doomed"),
                    stack.catalog,
                    new BatchRuns(runs),
                    Clock.systemUTC(),
                    // The indexes are made; MongoDB goes away once the first file is read, before any write.
                    (day, read, expected) -> {
                        if (stopped.compareAndSet(false, true)) {
                            doomed.close();
                        }
                    });
            assertTimeoutPreemptively(
                    Duration.ofMinutes(1),
                    () -> Assertions.assertThatThrownBy(() -> replay.run(DAY, List.of(Target.MONGO, Target.LAKE)))
                            .hasMessageContaining("Writing the replay's output failed")
                            .hasCauseInstanceOf(MongoException.class));
        } finally {
            if (stopped.compareAndSet(false, true)) {
                doomed.close();
            }
        }
        assertThat(stopped).isTrue();
        assertThat(runs.getCollection(BatchRuns.COLLECTION).countDocuments()).isZero();
        assertThat(stack.catalog
                        .loadTable(LakeTable.ENRICHED_EVENTS.identifier())
                        .currentSnapshot())
                .as("the lake's day partitions are not replaced")
                .isEqualTo(lakeBefore);
    }

    // The documents by id, without processed_at (the one field a replay sets anew): a replay keeps each _id.
    static Map<String, Document> byId(String collection) {
        Map<String, Document> out = new TreeMap<>();
        stack.mongo
                .getCollection(collection)
                .find()
                .sort(Sorts.ascending("_id"))
                .forEach(d -> {
                    d.remove("processed_at");
                    out.put(d.get("_id").toString(), d);
                });
        return out;
    }

    static List<Record> lake(LakeTable table) throws IOException {
        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> it = IcebergGenerics.read(stack.catalog.loadTable(table.identifier()))
                .build()) {
            it.forEach(rows::add);
        }
        return rows;
    }
}
