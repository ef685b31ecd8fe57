package io.chartpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.chartpulse.avro.ErasureAudit;
import io.chartpulse.avro.ErasureRequest;
import io.chartpulse.batch.Interval;
import io.chartpulse.batch.RawArchive;
import io.chartpulse.batch.RollupJob;
import io.chartpulse.batch.erasure.Erasure;
import io.chartpulse.batch.erasure.ErasureTopics;
import io.chartpulse.cli.batch.BatchCommand;
import io.chartpulse.cli.dev.DevStack;
import io.chartpulse.cli.lake.LakeCommand;
import io.chartpulse.cli.privacy.EraseCommand;
import io.chartpulse.lake.LakeTable;
import io.chartpulse.schemas.ErasureKeys;
import io.chartpulse.schemas.Topic;
import io.chartpulse.streams.privacy.ErasedVisitors;
import io.chartpulse.streams.service.StreamsAppConfig;
import io.chartpulse.streams.session.Visitors;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.awaitility.Awaitility;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A data subject's erasure on the whole dev stack: two visitors' events through collector, streams app, MongoDB,
 * the lake and the raw archive; one is erased with {@code chartpulse erase}, its run killed half way and run again.
 * Afterwards nothing of that visitor is left in any store — checked with readers ChartPulse did not write (the
 * official MongoDB driver, Apache Avro's file reader on every archive object, Iceberg's own readers on every
 * Parquet file under the tables' locations, a plain consumer of the session store's changelog) — the other
 * visitor's data is what it was, the rollups are untouched, events sent after the request were dropped at the
 * collector and counted,
 * and the audit topic holds one record per store.
 */
class ErasureIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like"
            + " Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static final String GONE = "visitor-gone";
    private static final String GONE_USER = "u-gone";
    private static final String KEPT = "visitor-kept";
    private static final Path CONNECTORS = Path.of("..", "connect-config", "connectors");

    @Test
    void anErasedVisitorIsGoneFromEveryStoreAndTheOtherIsUntouched() throws Exception {
        Path data = Files.createTempDirectory("chartpulse-erasure");
        DevStack.Settings settings = DevStack.Settings.freePorts(
                        data, Path.of("..").toAbsolutePath().normalize())
                .withShortWindows(Duration.ofSeconds(5), Duration.ofSeconds(1));
        try (DevStack stack = DevStack.start(settings, new PrintWriter(new StringWriter(), true));
                MongoClient mongo = MongoClients.create(stack.mongo().uri());
                S3Client s3 = stack.s3().client()) {
            MongoDatabase db = mongo.getDatabase(DevStack.DATABASE);
            MongoCollection<Document> events = db.getCollection("events");
            MongoCollection<Document> sessions = db.getCollection("sessions");

            // Two visitors, five events each; the erased one identified as a user on some of them.
            post(stack, GONE, GONE_USER, 5);
            post(stack, KEPT, null, 5);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        assertThat(events.countDocuments(Filters.eq("anonymous_id", GONE)))
                                .isEqualTo(5);
                        assertThat(events.countDocuments(Filters.eq("anonymous_id", KEPT)))
                                .isEqualTo(5);
                        assertThat(sessions.countDocuments()).isEqualTo(2);
                    });
            Catalog lake = stack.openLakeCatalog();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        assertThat(lakeRows(lake, LakeTable.ENRICHED_EVENTS, GONE))
                                .hasSize(5);
                        assertThat(lakeRows(lake, LakeTable.ENRICHED_EVENTS, KEPT))
                                .hasSize(5);
                        assertThat(lakeRows(lake, LakeTable.SESSIONS, GONE)).hasSize(1);
                        assertThat(lakeRows(lake, LakeTable.SESSIONS, KEPT)).hasSize(1);
                        assertThat(archived(s3, GONE)).hasSize(5);
                        assertThat(archived(s3, KEPT)).hasSize(5);
                    });
            // The day's rollup, as the daily job makes it: counts only, which the erasure leaves alone.
            Interval today = Interval.containing(Interval.Grain.DAY, Instant.now());
            RollupJob.over(lake, db).run(today, List.of(RollupJob.Target.MONGO));
            Map<String, Document> rollupBefore =
                    DevStackE2EIT.byBusinessKey(db.getCollection("chart_daily"), "chart_id");
            assertThat(rollupBefore).isNotEmpty();

            // The request, through the command line, pointed at this stack's free ports.
            Path archiveConfig = stack.writeResolvedConnector(
                    BatchCommand.DEFAULT_ARCHIVE_CONNECTOR, data.resolve("conf/s3-raw-events.json"));
            Path lakeConfig = stack.writeResolvedConnector(
                    LakeCommand.DEFAULT_CONNECTOR_CONFIG, data.resolve("conf/iceberg-enriched-events.json"));
            List<String> where = List.of(
                    "--bootstrap-servers",
                    stack.kafka().bootstrapServers(),
                    "--registry-url",
                    stack.registry().url(),
                    "--mongo-uri",
                    stack.mongo().uri(),
                    "--mongo-database",
                    DevStack.DATABASE,
                    "--archive-connector-config",
                    archiveConfig.toString(),
                    "--connector-config",
                    lakeConfig.toString());
            List<String> connectors = List.of("--connectors-dir", CONNECTORS.toString());
            LakeQueryIT.Run asked = LakeQueryIT.run(args(
                    List.of("erase", "--anonymous-id", GONE, "--user-id", GONE_USER, "--requester", "ErasureIT"),
                    where));
            assertThat(asked.exit()).as(asked.err()).isZero();
            String requestId = asked.out().strip();
            assertThat(UUID.fromString(requestId)).isNotNull();
            LakeQueryIT.Run pending = LakeQueryIT.run(args(List.of("erase", "status", requestId), where));
            assertThat(pending.exit()).as(pending.err()).isEqualTo(1);
            assertThat(pending.out()).contains("MONGODB", "pending", "requested", "ErasureIT");

            // Once the collector and the streams app have the request, the visitor's events are dropped at the
            // collector (also under the user id, from another device): answered as taken, never written.
            ReadOnlyKeyValueStore<String, byte[]> erased = stack.streamsInstance()
                    .store(StoreQueryParameters.fromNameAndType(
                            ErasedVisitors.STORE, QueryableStoreTypes.<String, byte[]>keyValueStore()));
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> erased.get(ErasureKeys.ANONYMOUS_ID + GONE) != null
                            && erased.get(ErasureKeys.USER_ID + GONE_USER) != null
                            && stack.collectorServer().erased(GONE, null)
                            && stack.collectorServer().erased(null, GONE_USER));
            post(stack, GONE, null, 3);
            post(stack, "another-device", GONE_USER, 2);
            post(stack, KEPT, null, 2);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        assertThat(droppedAtCollector(stack)).isEqualTo(5.0);
                        assertThat(events.countDocuments(Filters.eq("anonymous_id", KEPT)))
                                .isEqualTo(7);
                        assertThat(sessions.countDocuments(Filters.eq("anonymous_id", KEPT)))
                                .isEqualTo(2);
                        assertThat(lakeRows(lake, LakeTable.ENRICHED_EVENTS, KEPT))
                                .hasSize(7);
                        assertThat(lakeRows(lake, LakeTable.SESSIONS, KEPT)).hasSize(2);
                        assertThat(archived(s3, KEPT)).hasSize(7);
                        assertThat(archived(s3, GONE))
                                .as("nothing new archived")
                                .hasSize(5);
                        assertThat(archivedByUser(s3, GONE_USER)).hasSize(5);
                    });
            assertThat(events.countDocuments(Filters.eq("anonymous_id", GONE))).isEqualTo(5);
            assertThat(events.countDocuments(Filters.eq("anonymous_id", "another-device")))
                    .isZero();
            assertThat(sessions.countDocuments(Filters.eq("anonymous_id", GONE)))
                    .isEqualTo(1);
            // What the other visitor has everywhere, to compare after the erasure.
            Map<String, Document> keptEvents = byKey(filtered(events, KEPT), "event_id");
            Map<String, Document> keptSessions = byKey(filtered(sessions, KEPT), "session_id");
            List<String> keptLakeEvents = lakeRows(lake, LakeTable.ENRICHED_EVENTS, KEPT);
            List<String> keptLakeSessions = lakeRows(lake, LakeTable.SESSIONS, KEPT);
            List<String> keptArchived = archived(s3, KEPT);

            // A run killed once MongoDB is done (a failure in its progress output stands in for the kill).
            ErasureRequest request;
            try (ErasureTopics topics = new ErasureTopics(
                            Map.of("bootstrap.servers", stack.kafka().bootstrapServers()),
                            Map.of("schema.registry.url", stack.registry().url()));
                    RawArchive archive = stack.openArchive()) {
                request = topics.requests().get(requestId);
                Erasure killed = new Erasure(
                        topics,
                        EraseCommand.upstreams(CONNECTORS, StreamsAppConfig.DEFAULT_APPLICATION_ID, true),
                        db,
                        lake,
                        archive,
                        Duration.ofMinutes(1),
                        Clock.systemUTC(),
                        line -> {
                            if (line.contains("MONGODB") && !line.contains("done before")) {
                                throw new IllegalStateException("killed after " + line);
                            }
                        });
                try {
                    killed.run(request);
                    throw new AssertionError("the run was not killed");
                } catch (IllegalStateException expected) {
                    assertThat(expected.getMessage()).startsWith("killed after");
                }
                assertThat(topics.audit(requestId)).containsOnlyKeys("STREAMS", "MONGODB");
            }
            assertThat(events.countDocuments(Filters.eq("anonymous_id", GONE))).isZero();

            // Run again, to the end, through the command line.
            LakeQueryIT.Run run =
                    LakeQueryIT.run(args(concat(List.of("erase", "run", "--archive-wait", "PT2M"), connectors), where));
            assertThat(run.exit()).as(run.out() + run.err()).isZero();
            assertThat(run.out()).contains("1 erasure(s) completed, 0 to run again");
            LakeQueryIT.Run status = LakeQueryIT.run(args(List.of("erase", "status", requestId), where));
            assertThat(status.exit()).as(status.err()).isZero();
            assertThat(status.out()).contains("complete in").doesNotContain("pending");

            // The audit: each store once, with what the first attempt removed.
            Map<String, List<ErasureAudit>> audit = auditRecords(stack, requestId);
            assertThat(audit).containsOnlyKeys("STREAMS", "MONGODB", "LAKE", "RAW_ARCHIVE", "KAFKA_TOPICS");
            assertThat(audit.values()).allSatisfy(records -> assertThat(records).hasSize(1));
            assertThat(audit.get("MONGODB").get(0).getRemoved()).isEqualTo(6); // 5 events, 1 session
            assertThat(audit.get("LAKE").get(0).getRemoved()).isEqualTo(6);
            assertThat(audit.get("RAW_ARCHIVE").get(0).getRemoved()).isEqualTo(5);
            assertThat(audit.get("KAFKA_TOPICS").get(0).getDetail()).contains(Topic.ENRICHED_EVENTS.topicName());

            // Nothing of the visitor anywhere: MongoDB (official driver) ...
            for (String collection : List.of("events", "sessions")) {
                assertThat(db.getCollection(collection)
                                .countDocuments(
                                        Filters.or(Filters.eq("anonymous_id", GONE), Filters.eq("user_id", GONE_USER))))
                        .as(collection)
                        .isZero();
            }
            // ... every archive object (Apache Avro's reader) ...
            assertThat(archived(s3, GONE)).isEmpty();
            assertThat(archivedByUser(s3, GONE_USER)).isEmpty();
            // ... every Parquet file left under the tables' locations, referenced or not (Iceberg's Parquet reader) ...
            for (LakeTable t : List.of(LakeTable.ENRICHED_EVENTS, LakeTable.SESSIONS)) {
                Table table = lake.loadTable(t.identifier());
                assertThat(filesHolding(s3, table, GONE)).as(t.tableName()).isEmpty();
                assertThat(table.snapshots())
                        .as("the history before the erasure expired")
                        .allSatisfy(snapshot -> assertThat(snapshot.timestampMillis())
                                .isGreaterThanOrEqualTo(
                                        audit.get("LAKE").get(0).getStartedAt().toEpochMilli()));
            }
            // ... and the visitor store's changelog (a plain consumer): the visitor's sessions had closed, so only
            // recent event ids were left there, which the store's sweep deletes when it meets an erased visitor.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(changelogKeys(stack)).doesNotContain(GONE));

            // The other visitor is as they were; the rollup untouched.
            assertThat(byKey(filtered(events, KEPT), "event_id")).isEqualTo(keptEvents);
            assertThat(byKey(filtered(sessions, KEPT), "session_id")).isEqualTo(keptSessions);
            assertThat(lakeRows(lake, LakeTable.ENRICHED_EVENTS, KEPT))
                    .containsExactlyInAnyOrderElementsOf(keptLakeEvents);
            assertThat(lakeRows(lake, LakeTable.SESSIONS, KEPT)).containsExactlyInAnyOrderElementsOf(keptLakeSessions);
            assertThat(archived(s3, KEPT)).containsExactlyInAnyOrderElementsOf(keptArchived);
            assertThat(DevStackE2EIT.byBusinessKey(db.getCollection("chart_daily"), "chart_id"))
                    .isEqualTo(rollupBefore);
            if (lake instanceof AutoCloseable c) {
                c.close();
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String[] args(List<String> command, List<String> where) {
        List<String> all = new ArrayList<>(command);
        all.addAll(where);
        return all.toArray(String[]::new);
    }

    // Posts one visit of `count` events (a chart impression, product impressions, a deal click last) as the tracker
    // would, and checks the collector took them all.
    private static void post(DevStack stack, String visitor, String userId, int count) throws Exception {
        ArrayNode batch = JSON.createArrayNode();
        long now = System.currentTimeMillis();
        String page = UUID.randomUUID().toString();
        for (int i = 0; i < count; i++) {
            String type = i == 0 ? "CHART_IMPRESSION" : i == count - 1 ? "OUTBOUND_CLICK" : "PRODUCT_IMPRESSION";
            ObjectNode e = batch.addObject()
                    .put("event_id", UUID.randomUUID().toString())
                    .put("event_type", type)
                    .put("created_at", now + i)
                    .put("sent_at", now + count)
                    .put("anonymous_id", visitor)
                    .put("session_id", "s-" + visitor)
                    .put("page_view_id", page);
            if (userId != null) {
                e.put("user_id", userId);
            }
            e.putObject("page")
                    .put("url", "https://reviews.example/best-laptops")
                    .put("path", "/best-laptops");
            e.putObject("chart").put("chart_id", "laptops-2026").put("site_id", "reviews.example");
            e.putObject("context").put("user_agent", CHROME);
            if (i == count - 1) {
                e.putObject("interaction")
                        .put("cta", "view_deal")
                        .put("target_url", "https://shop-a.example/deal/p-" + i);
            }
            if (i > 0) {
                e.putObject("product")
                        .put("product_id", String.format("p-%02d", i))
                        .put("rank", i)
                        .put("price", 999.0)
                        .put("currency", "EUR");
            }
        }
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(stack.collectorUrl()))
                                .header("Content-Type", "application/json")
                                .header("User-Agent", CHROME)
                                .POST(HttpRequest.BodyPublishers.ofString(batch.toString()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).path("accepted").asInt())
                .as(answer.body())
                .isEqualTo(count);
    }

    // Documents by their business key, without MongoDB's _id and the processing time.
    private static Map<String, Document> byKey(List<Document> documents, String key) {
        Map<String, Document> out = new TreeMap<>();
        for (Document d : documents) {
            d.remove("_id");
            d.remove("processed_at");
            out.put(d.getString(key), d);
        }
        return out;
    }

    private static List<Document> filtered(MongoCollection<Document> collection, String visitor) {
        return collection.find(Filters.eq("anonymous_id", visitor)).into(new ArrayList<>());
    }

    // A visitor's rows of a lake table, each as its text (every column), through Iceberg's generic reader.
    private static List<String> lakeRows(Catalog lake, LakeTable table, String visitor) {
        List<String> rows = new ArrayList<>();
        try (CloseableIterable<Record> all =
                IcebergGenerics.read(lake.loadTable(table.identifier())).build()) {
            for (Record r : all) {
                if (visitor.equals(r.getField("anonymous_id"))) {
                    rows.add(r.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    // The rows of a visitor in every Parquet file under the table's location, whether a snapshot references it or not.
    private static List<String> filesHolding(S3Client s3, Table table, String visitor) throws IOException {
        URI location = URI.create(table.location());
        String prefix = location.getPath().substring(1) + "/data/";
        table.refresh();
        Set<String> referenced = new HashSet<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            tasks.forEach(t -> referenced.add(t.file().location()));
        }
        List<String> holding = new ArrayList<>();
        int files = 0;
        for (S3Object o : s3.listObjectsV2Paginator(
                        r -> r.bucket(location.getHost()).prefix(prefix))
                .contents()) {
            files++;
            String file = "s3://" + location.getHost() + "/" + o.key();
            long n = 0;
            try (CloseableIterable<Record> rows = FormatModelRegistry.<Record, Schema>readBuilder(
                            org.apache.iceberg.FileFormat.PARQUET,
                            Record.class,
                            table.io().newInputFile(file))
                    .project(table.schema())
                    .build()) {
                for (Record r : rows) {
                    if (visitor.equals(r.getField("anonymous_id"))) {
                        n++;
                    }
                }
            }
            if (n > 0) {
                holding.add(file + " (" + n + " rows, " + (referenced.contains(file) ? "referenced" : "unreferenced")
                        + ", written " + o.lastModified() + ")");
            }
        }
        assertThat(files).as("Parquet files under " + prefix).isPositive();
        return holding;
    }

    private static List<String> archived(S3Client s3, String visitor) throws IOException {
        return archivedWhere(s3, "anonymous_id", visitor);
    }

    private static List<String> archivedByUser(S3Client s3, String userId) throws IOException {
        return archivedWhere(s3, "user_id", userId);
    }

    // Every archived record whose field equals value, as its full text.
    private static List<String> archivedWhere(S3Client s3, String field, String value) throws IOException {
        List<String> out = new ArrayList<>();
        for (GenericRecord r : DevStackE2EIT.archivedRecords(s3)) {
            Object v = r.get(field);
            if (v != null && value.equals(v.toString())) {
                out.add(r.toString());
            }
        }
        return out;
    }

    // The collector's counter of dropped events of erased visitors, from its Prometheus endpoint.
    private static double droppedAtCollector(DevStack stack) throws Exception {
        String metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(stack.collectorUrl().replace("/v1/events", "/metrics")))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return metrics.lines()
                .filter(l -> l.startsWith("chartpulse_collector_events_dropped_total{") && l.contains("erased"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    // Every record of the audit topic for the request, by store (not compacted yet: a doubled record would show).
    private static Map<String, List<ErasureAudit>> auditRecords(DevStack stack, String requestId) {
        Map<String, List<ErasureAudit>> out = new TreeMap<>();
        var reader = new io.chartpulse.serde.avro.SpecificAvroDeserializer<>(ErasureAudit.class);
        reader.configure(Map.of("schema.registry.url", stack.registry().url()), false);
        for (ConsumerRecord<String, byte[]> r : readAll(stack, Topic.ERASURE_AUDIT.topicName())) {
            ErasureAudit a = reader.deserialize(r.topic(), r.value());
            if (a.getRequestId().equals(requestId)) {
                out.computeIfAbsent(a.getStore().name(), s -> new ArrayList<>()).add(a);
            }
        }
        return out;
    }

    // The keys whose latest record in the session store's changelog is not a tombstone.
    private static TreeSet<String> changelogKeys(DevStack stack) {
        String topic = StreamsAppConfig.DEFAULT_APPLICATION_ID + "-" + Visitors.STORE + "-changelog";
        Map<String, Boolean> live = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : readAll(stack, topic)) {
            live.put(r.key(), r.value() != null);
        }
        TreeSet<String> keys = new TreeSet<>();
        live.forEach((k, v) -> {
            if (v) {
                keys.add(k);
            }
        });
        return keys;
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(DevStack stack, String topic) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of("bootstrap.servers", stack.kafka().bootstrapServers(), "isolation.level", "read_committed"),
                new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            int empty = 0;
            while (empty < 3) {
                int n = 0;
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    out.add(r);
                    n++;
                }
                empty = n == 0 ? empty + 1 : 0;
            }
        }
        return out;
    }
}
