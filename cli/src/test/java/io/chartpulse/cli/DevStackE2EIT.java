package io.chartpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.chartpulse.batch.Interval;
import io.chartpulse.batch.KafkaState;
import io.chartpulse.batch.RawArchive;
import io.chartpulse.batch.Replay;
import io.chartpulse.batch.RollupJob;
import io.chartpulse.cli.dev.DevStack;
import io.chartpulse.cli.lake.LakeQuery;
import io.chartpulse.cli.load.Freshness;
import io.chartpulse.cli.load.LoadGenerator;
import io.chartpulse.lake.LakeTable;
import io.chartpulse.schemas.Topic;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Browser to MongoDB and S3: the whole stack of {@code chartpulse dev} (on free ports, in a temporary data directory),
 * a real headless Chromium on its demo page scrolling and clicking deals; the clicks are then found enriched in
 * MongoDB, raw in the S3 archive, in a closed session and in the chart's per-minute metrics.
 */
class DevStackE2EIT {

    @Test
    void aVisitorsClicksReachMongoDbAndTheS3Archive() throws Exception {
        Path data = Files.createTempDirectory("chartpulse-e2e");
        StringWriter progress = new StringWriter();
        DevStack.Settings settings = DevStack.Settings.freePorts(
                        data, Path.of("..").toAbsolutePath().normalize())
                .withShortWindows(Duration.ofSeconds(5), Duration.ofSeconds(1));
        try (DevStack stack = DevStack.start(settings, new PrintWriter(progress, true));
                MongoClient mongo = MongoClients.create(stack.mongo().uri());
                S3Client s3 = stack.s3().client()) {
            assertThat(progress.toString())
                    .contains("Kafka Connect", "created s3-raw-events", "created iceberg-enriched-events", "demo page")
                    .contains("lake          chartpulse.enriched_events (created)")
                    .contains("dashboard     " + stack.dashboardUrl());

            // A fresh stack: the dashboard says what to do.
            finish(node(DASHBOARD_LOOK, "empty", stack.dashboardUrl(), SCREENSHOTS));

            finish(node(BROWSE, stack.demoUrl()));

            MongoCollection<Document> events =
                    mongo.getDatabase(DevStack.DATABASE).getCollection("events");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(events.distinct(
                                            "product.product_id",
                                            Filters.eq("event_type", "OUTBOUND_CLICK"),
                                            String.class)
                                    .into(new ArrayList<>()))
                            .containsExactlyInAnyOrder("p-02", "p-05"));
            Document click = events.find(Filters.and(
                            Filters.eq("event_type", "OUTBOUND_CLICK"), Filters.eq("product.product_id", "p-02")))
                    .first();
            assertThat(click.get("product_catalog", Document.class).getString("name"))
                    .isEqualTo("Zeta Air 13");
            assertThat(click.get("chart_catalog", Document.class).getString("name"))
                    .isEqualTo("Best laptops 2026");
            assertThat(click.get("received_at")).isInstanceOf(Date.class);
            assertThat(click.getBoolean("is_bot"))
                    .as("the browser presents as a person")
                    .isFalse();
            assertThat(events.countDocuments(Filters.eq("event_type", "PRODUCT_IMPRESSION")))
                    .isPositive();

            // The processed lake has them too: the committed enriched_events table (a commit every 3 s here).
            Set<String> mongoIds = new HashSet<>();
            events.find().forEach(d -> mongoIds.add(d.getString("event_id")));
            Catalog lake = stack.openLakeCatalog();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        List<String> lakeIds = new ArrayList<>();
                        try (CloseableIterable<Record> rows = IcebergGenerics.read(
                                        lake.loadTable(LakeTable.ENRICHED_EVENTS.identifier()))
                                .select("event_id")
                                .build()) {
                            rows.forEach(r -> lakeIds.add((String) r.getField("event_id")));
                        }
                        assertThat(lakeIds).doesNotHaveDuplicates();
                        assertThat(new HashSet<>(lakeIds)).containsAll(mongoIds);
                    });
            // And `chartpulse lake query` answers from it: the deals clicked, through DuckDB.
            try (LakeQuery query = LakeQuery.open(lake, LakeTable.NAMESPACE, data.resolve("lake-query"))) {
                assertThat(query.query(
                                        "SELECT DISTINCT product.product_id FROM enriched_events"
                                                + " WHERE event_type = 'OUTBOUND_CLICK' ORDER BY 1",
                                        10)
                                .rows())
                        .containsExactly(List.of("p-02"), List.of("p-05"));
            }

            // The raw archive holds every record of the raw topic, once (rotation every 2 s in this stack). The
            // topic itself may hold an event twice: the tracker sends again what a page that navigated away to a
            // deal never heard answered (at least once from the browser; the streams app deduplicates).
            Set<String> enrichedIds = new HashSet<>();
            events.find().forEach(d -> enrichedIds.add(d.getString("event_id")));
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        List<String> archived = archivedIds(s3);
                        assertThat(archived).hasSize((int) countCommitted(stack, Topic.RAW_EVENTS.topicName()));
                        assertThat(new HashSet<>(archived)).containsAll(enrichedIds);
                    });

            // After the (5 s) session gap the visitor's session is closed and written; metrics after their minute.
            MongoCollection<Document> sessions =
                    mongo.getDatabase(DevStack.DATABASE).getCollection("sessions");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> sessions.countDocuments() == 1);
            Document session = sessions.find().first();
            assertThat(session.getLong("outbound_clicks")).isEqualTo(2L);
            assertThat(session.getList("products_clicked", String.class)).containsExactly("p-02", "p-05");
            MongoCollection<Document> metrics =
                    mongo.getDatabase(DevStack.DATABASE).getCollection("chart_metrics");
            // The two clicks may fall in two minutes (a click a few seconds before a minute ends), whose windows
            // are emitted a minute apart: wait for both.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(100))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> sum(metrics, "laptops-2026", "outbound_clicks") >= 2L);
            assertThat(sum(metrics, "laptops-2026", "outbound_clicks")).isEqualTo(2L);
            // The same deal clicks per product, in their own collection (one grain per collection).
            MongoCollection<Document> productMetrics =
                    mongo.getDatabase(DevStack.DATABASE).getCollection("product_metrics");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> sum(productMetrics, "laptops-2026", "outbound_clicks") == 2L);
            assertThat(metrics.countDocuments(Filters.ne("product_id", null))).isZero();

            // The dashboard's page is served, and its query API counts the same two deal clicks, at the browser's
            // ranks and merchants.
            HttpClient http = HttpClient.newHttpClient();
            Function<String, String> get = url -> {
                try {
                    var response = http.send(
                            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode())
                            .as(url + ": " + response.body())
                            .isEqualTo(200);
                    return response.body();
                } catch (IOException | InterruptedException e) {
                    throw new AssertionError(url, e);
                }
            };
            assertThat(get.apply(stack.dashboardUrl())).contains("<title>ChartPulse");
            String api = stack.dashboardUrl().replace("/dashboard/", "/api/charts/laptops-2026");
            var json = new ObjectMapper();
            assertThat(json.readTree(get.apply(api + "/summary?minutes=60"))
                            .path("current")
                            .path("outbound_clicks")
                            .asLong())
                    .isEqualTo(2L);
            long rankedDeals = 0;
            for (var rank : json.readTree(get.apply(api + "/ranks?minutes=60"))) {
                rankedDeals += rank.path("outbound_clicks").asLong();
            }
            assertThat(rankedDeals).as("deal clicks by rank").isEqualTo(2L);

            // A replay of the archive through the topology's own code gives the live path's documents, but for
            // processed_at: same ids, same fields, same sessions.
            MongoDatabase replayed = mongo.getDatabase("replayed");
            Set<Interval> days = new TreeSet<>(Comparator.comparing(Interval::start));
            events.find()
                    .forEach(d -> days.add(Interval.containing(
                            Interval.Grain.DAY, d.getDate("derived_at").toInstant())));
            try (RawArchive archive = stack.openArchive();
                    KafkaState kafka = new KafkaState(
                            Map.of("bootstrap.servers", stack.kafka().bootstrapServers()), Map.of(), "unused")) {
                Replay replay = new Replay(
                        archive,
                        stack.topologySettings(),
                        Map.of("schema.registry.url", stack.registry().url()),
                        kafka.latestByKey(Topic.CATALOG.topicName()),
                        replayed,
                        null,
                        null,
                        Clock.systemUTC(),
                        (day, read, expected) -> {});
                for (Interval day : days) {
                    replay.run(day, List.of(RollupJob.Target.MONGO));
                }
            }
            for (String[] collection : new String[][] {{"events", "event_id"}, {"sessions", "session_id"}}) {
                assertThat(byBusinessKey(replayed.getCollection(collection[0]), collection[1]))
                        .as(collection[0] + " replayed = live")
                        .isEqualTo(byBusinessKey(
                                mongo.getDatabase(DevStack.DATABASE).getCollection(collection[0]), collection[1]))
                        .isNotEmpty();
            }

            // The dev stack's own rollup timer (--rollup-every) fills chart_daily from the lake, as Airflow would
            // (the day's rollup; summed over documents in case the clicks straddle midnight UTC).
            stack.startRollups(Duration.ofSeconds(2));
            MongoCollection<Document> chartDaily =
                    mongo.getDatabase(DevStack.DATABASE).getCollection("chart_daily");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        long rolledUp = 0;
                        for (Document d : chartDaily.find(Filters.eq("chart_id", "laptops-2026"))) {
                            rolledUp += d.getLong("outbound_clicks");
                        }
                        assertThat(rolledUp).isEqualTo(2L);
                    });

            // The dashboard in a browser: every panel, the cards equal to the API, then more deal clicks (a second
            // visitor) show up on the open page without a reload. Screenshots in target/dashboard-screenshots/.
            Process look = node(DASHBOARD_LOOK, "live", stack.dashboardUrl(), SCREENSHOTS, "laptops-2026");
            BufferedReader lookOut = output(look);
            StringBuilder lookLog = new StringBuilder();
            for (String line; (line = lookOut.readLine()) != null && !line.equals("ready"); ) {
                lookLog.append(line).append('\n');
            }
            assertThat(look.isAlive())
                    .as("the dashboard check is waiting for more clicks: " + lookLog)
                    .isTrue();
            finish(node(BROWSE, stack.demoUrl()));
            finish(look, lookOut);
            assertThat(Path.of(SCREENSHOTS, "dashboard-1280.png")).isNotEmptyFile();
            assertThat(Path.of(SCREENSHOTS, "dashboard-390.png")).isNotEmptyFile();
            assertThat(Path.of(SCREENSHOTS, "dashboard-empty-1280.png")).isNotEmptyFile();
        }
    }

    private static final String BROWSE =
            Path.of("..", "tracker-sdk-js", "test", "e2e", "browse.mjs").toString();
    private static final String DASHBOARD_LOOK =
            Path.of("..", "dashboard", "test", "browser", "look.mjs").toString();
    private static final String SCREENSHOTS =
            Path.of("target", "dashboard-screenshots").toString();

    private static Process node(String script, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static BufferedReader output(Process script) {
        return new BufferedReader(new InputStreamReader(script.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void finish(Process script) throws Exception {
        finish(script, output(script));
    }

    // Waits for a node script (at most 90 s) and fails with what it printed (the rest of it) unless it exited 0.
    private static void finish(Process script, BufferedReader output) throws Exception {
        boolean done = script.waitFor(90, TimeUnit.SECONDS);
        if (!done) {
            script.destroyForcibly();
        }
        String out = output.lines().collect(Collectors.joining("\n"));
        assertThat(done).as("the script finished: " + out).isTrue();
        assertThat(script.exitValue()).as(out).isZero();
    }

    // Every document by its business key, without _id (MongoDB's own) and processed_at (the wall clock of the run
    // that made it).
    static Map<String, Document> byBusinessKey(MongoCollection<Document> collection, String key) {
        Map<String, Document> out = new TreeMap<>();
        collection.find().forEach(d -> {
            d.remove("_id");
            d.remove("processed_at");
            out.put(d.getString(key), d);
        });
        return out;
    }

    @Test
    void loadgenCountsReconcileAcrossARestartOfTheStack() throws Exception {
        Path data = Files.createTempDirectory("chartpulse-e2e-restart");
        DevStack.Settings settings = DevStack.Settings.freePorts(
                        data, Path.of("..").toAbsolutePath().normalize())
                .pinned();
        StringWriter progress = new StringWriter();
        LoadGenerator.Counts first;
        // The first half of the run, then a stop while the pipeline is still working through it.
        try (DevStack stack = DevStack.start(settings, new PrintWriter(progress, true))) {
            LoadGenerator load = new LoadGenerator(stack.collectorUrl(), 1);
            load.run(100, Duration.ofSeconds(4), c -> {});
            first = load.counts();
        }
        try (DevStack stack = DevStack.start(settings, new PrintWriter(progress, true));
                MongoClient mongo = MongoClients.create(stack.mongo().uri());
                S3Client s3 = stack.s3().client()) {
            assertThat(progress.toString()).contains("unchanged s3-raw-events");
            // Above the collector's per-client limit (200/s, burst 1 000) on purpose: the dev stack trusts loopback as
            // a proxy, so each synthetic visitor is its own client. Timed into the enriched topic, MongoDB and the
            // lake.
            LoadGenerator load = new LoadGenerator(stack.collectorUrl(), 2);
            LoadGenerator.Counts second;
            try (Freshness freshness = new Freshness(5)
                    .topic(stack.kafka().bootstrapServers(), stack.registry().url())
                    .mongo(stack.mongo().uri(), DevStack.DATABASE)
                    .lake(stack::openLakeCatalog)) {
                load.onAccepted(freshness::accepted).run(600, Duration.ofSeconds(3), c -> {});
                second = load.counts();
                freshness.drain(Duration.ofSeconds(60));
                for (Freshness.Store store : freshness.stores()) {
                    assertThat(store.problem()).as(store.name()).isNull();
                    assertThat(store.pending())
                            .as(store.name() + ": sampled events not seen")
                            .isZero();
                    assertThat(store.percentiles().count())
                            .as(store.name())
                            .isGreaterThan(second.distinctValid.intValue() / 10);
                    assertThat(store.percentiles().p50()).as(store.name()).isPositive();
                }
            }
            assertThat(second.throttled.get()).as("requests throttled").isZero();
            assertThat(first.retriedBatches.get() + second.retriedBatches.get())
                    .as("every batch taken at once")
                    .isZero();
            assertThat(first.duplicatesSent.get() + second.duplicatesSent.get()).isPositive();
            long distinctValid = first.distinctValid.get() + second.distinctValid.get();
            long invalid = first.invalidAtCollector.get()
                    + first.invalidAtStreams.get()
                    + second.invalidAtCollector.get()
                    + second.invalidAtStreams.get();
            long accepted = first.accepted.get() + second.accepted.get();
            assertThat(first.rejected.get() + second.rejected.get())
                    .isEqualTo(first.invalidAtCollector.get() + second.invalidAtCollector.get());

            // MongoDB holds exactly the distinct valid events (duplicates removed, invalid ones out, bots flagged).
            MongoCollection<Document> events =
                    mongo.getDatabase(DevStack.DATABASE).getCollection("events");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(events.countDocuments()).isEqualTo(distinctValid));
            assertThat(events.countDocuments(Filters.eq("is_bot", true)))
                    .isEqualTo(first.botEvents.get() + second.botEvents.get());
            // The invalid topic holds exactly the invalid ones, from the collector and from validation.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(countCommitted(stack, "chart.events.invalid.v1"))
                            .isEqualTo(invalid));
            // The S3 archive holds every raw event the collector accepted, each record once.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(archivedIds(s3)).hasSize((int) accepted));
            assertThat(new HashSet<>(archivedIds(s3)))
                    .hasSize((int) (distinctValid + first.invalidAtStreams.get() + second.invalidAtStreams.get()));
        }
    }

    private static long countCommitted(DevStack stack, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of("bootstrap.servers", stack.kafka().bootstrapServers(), "isolation.level", "read_committed"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long count = 0;
            int empty = 0;
            while (empty < 3) {
                int n = consumer.poll(Duration.ofMillis(300)).count();
                count += n;
                empty = n == 0 ? empty + 1 : 0;
            }
            return count;
        }
    }

    private static List<String> archivedIds(S3Client s3) throws IOException {
        List<String> ids = new ArrayList<>();
        archivedRecords(s3).forEach(r -> ids.add(r.get("event_id").toString()));
        return ids;
    }

    /** Every record of every object of the dev stack's raw archive, read with Apache Avro's own file reader. */
    static List<GenericRecord> archivedRecords(S3Client s3) throws IOException {
        List<GenericRecord> records = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(
                        r -> r.bucket(DevStack.BUCKET).prefix("raw/"))
                .contents()) {
            byte[] file = s3.getObjectAsBytes(r -> r.bucket(DevStack.BUCKET).key(o.key()))
                    .asByteArray();
            try (DataFileReader<GenericRecord> reader =
                    new DataFileReader<>(new SeekableByteArrayInput(file), new GenericDatumReader<>())) {
                reader.forEach(records::add);
            }
        }
        return records;
    }

    private static long sum(MongoCollection<Document> collection, String chart, String field) {
        long total = 0;
        for (Document row : collection.find(Filters.eq("chart_id", chart))) {
            total += row.getLong(field);
        }
        return total;
    }
}
