package io.chartpulse.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.model.Filters;
import io.chartpulse.avro.Chart;
import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.EventType;
import io.chartpulse.avro.Page;
import io.chartpulse.avro.ReferrerClass;
import io.chartpulse.lake.LakeTable;
import io.chartpulse.streams.topology.TopologySettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.expressions.Expressions;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reconciliation of an hour whose raw archive (zstd Avro container files at the S3 sink's keys), enriched table and
 * MongoDB events agree, and then do not: an event missing from MongoDB fails the check and names the counts.
 */
class ReconcileIT {

    static final Interval HOUR = Interval.parse("2026-12-01T13");

    @TempDir
    Path dir;

    BatchStack stack;
    RawArchive archive;
    List<ChartEvent> valid = new ArrayList<>();

    @BeforeEach
    void setUp() {
        stack = new BatchStack(dir);
        archive = stack.archive();
        Instant t = HOUR.start().plusSeconds(5);
        for (int i = 0; i < 200; i++) {
            valid.add(raw(UUID.randomUUID(), t.plusSeconds(i * 15L), t.plusSeconds(i * 15L)));
        }
        List<ChartEvent> archived = new ArrayList<>(valid);
        archived.add(valid.get(3)); // a client retry: the same event twice in the archive
        ChartEvent skewed = raw(UUID.randomUUID(), t, t.minus(Duration.ofDays(3))); // the validator refuses it
        archived.add(skewed);
        // Two files in the hour's prefix, as two sink tasks would write them.
        put(
                "raw/chart.events.raw.v1/dt=2026-12-01/hr=13/chart.events.raw.v1+0+00000000000000000000.avro",
                archived.subList(0, 100));
        put(
                "raw/chart.events.raw.v1/dt=2026-12-01/hr=13/chart.events.raw.v1+1+00000000000000000000.avro",
                archived.subList(100, archived.size()));
        // The next hour's file is not this interval's.
        put(
                "raw/chart.events.raw.v1/dt=2026-12-01/hr=14/chart.events.raw.v1+0+00000000000000000100.avro",
                List.of(raw(
                        UUID.randomUUID(), HOUR.end().plusSeconds(1), HOUR.end().plusSeconds(1))));

        List<EnrichedEvent> enriched = new ArrayList<>();
        for (ChartEvent e : valid) {
            enriched.add(enrichedOf(e));
        }
        stack.append(LakeTable.ENRICHED_EVENTS, enriched);
        List<Document> docs = new ArrayList<>();
        for (ChartEvent e : valid) {
            docs.add(new Document("_id", new Document("event_id", e.getEventId().toString()))
                    .append("event_id", e.getEventId().toString())
                    .append("received_at", Date.from(e.getReceivedAt())));
        }
        stack.mongo.getCollection("events").insertMany(docs);
    }

    @AfterEach
    void tearDown() {
        archive.close();
        stack.close();
    }

    Reconcile reconcile() {
        return new Reconcile(
                archive,
                new LakeInput(stack.catalog),
                stack.mongo,
                null,
                TopologySettings.defaults().maxClockSkew(),
                Clock.systemUTC());
    }

    @Test
    void aCleanIntervalPassesAndTheReportIsStoredInS3AndMongo() throws IOException {
        Reconcile.Report r = reconcile().run(HOUR, true);
        assertThat(r.problems()).isEmpty();
        assertThat(r.status()).isEqualTo(Reconcile.Status.OK);
        assertThat(r.rawRecords()).isEqualTo(202);
        assertThat(r.rawDistinct()).isEqualTo(201);
        assertThat(r.rawValidDistinct()).isEqualTo(200);
        assertThat(r.rawInvalid()).isEqualTo(1);
        assertThat(r.lakeDistinct()).isEqualTo(200);
        assertThat(r.mongoEvents()).isEqualTo(200);

        byte[] json = stack.s3
                .client()
                .getObjectAsBytes(b -> b.bucket(BatchStack.BUCKET).key(Reconcile.reportKey(HOUR)))
                .asByteArray();
        JsonNode stored = new ObjectMapper().readTree(json);
        assertThat(stored.path("status").asText()).isEqualTo("OK");
        assertThat(stored.path("raw_valid_distinct").asLong()).isEqualTo(200);
        Document doc = stack.mongo
                .getCollection(Reconcile.REPORTS)
                .find(Filters.eq("_id", HOUR.key()))
                .first();
        assertThat(doc.getString("status")).isEqualTo("OK");
    }

    @Test
    void anEventMissingFromMongoFailsAClosedIntervalAndOnlyReportsAnOpenOne() {
        stack.mongo
                .getCollection("events")
                .deleteOne(Filters.eq("event_id", valid.get(7).getEventId().toString()));
        Reconcile.Report closed = reconcile().run(HOUR, true);
        assertThat(closed.status()).isEqualTo(Reconcile.Status.MISMATCH);
        assertThat(closed.problems()).containsExactly("lake_distinct 200 != mongo_events 199");
        Reconcile.Report open = reconcile().run(HOUR, false);
        assertThat(open.status()).isEqualTo(Reconcile.Status.OPEN);
        assertThat(open.problems()).hasSize(1);
    }

    @Test
    void anEventMissingFromTheLakeIsNamed() {
        // A second table state without one event: overwrite the lake with all but the first.
        var table = stack.catalog.loadTable(LakeTable.ENRICHED_EVENTS.identifier());
        table.newDelete().deleteFromRowFilter(Expressions.alwaysTrue()).commit();
        List<EnrichedEvent> rest = new ArrayList<>();
        for (ChartEvent e : valid.subList(1, valid.size())) {
            rest.add(enrichedOf(e));
        }
        stack.append(LakeTable.ENRICHED_EVENTS, rest);
        Reconcile.Report r = reconcile().run(HOUR, true);
        assertThat(r.status()).isEqualTo(Reconcile.Status.MISMATCH);
        assertThat(r.problems().get(0))
                .startsWith("raw_valid_distinct 200 != lake_distinct 199")
                .contains(valid.get(0).getEventId().toString());
    }

    // The lake's row of a raw event: a chart impression with its id and times.
    static EnrichedEvent enrichedOf(ChartEvent e) {
        EnrichedEvent x = Dataset.event(
                EventType.CHART_IMPRESSION,
                e.getReceivedAt(),
                e.getAnonymousId(),
                e.getSessionId(),
                "laptops",
                null,
                0,
                null,
                ReferrerClass.DIRECT,
                null,
                false);
        x.setEventId(e.getEventId());
        return x;
    }

    void put(String key, List<ChartEvent> events) {
        stack.putArchive(key, events);
    }

    @Test
    void aGeneratedDaySeededEverywhereReconcilesHourByHourAndAsADay() {
        BatchStack day = new BatchStack(dir.resolve("day"));
        try (RawArchive dayArchive = day.archive()) {
            Dataset data = new Dataset(Interval.parse("2026-12-01"), 60, 7);
            day.seed(data);
            Reconcile r = new Reconcile(
                    dayArchive,
                    new LakeInput(day.catalog),
                    day.mongo,
                    null,
                    TopologySettings.defaults().maxClockSkew(),
                    Clock.systemUTC());
            Reconcile.Report whole = r.run(Interval.parse("2026-12-01"), true);
            assertThat(whole.rawInvalid()).as(whole.toString()).isZero();
            assertThat(whole.problems()).isEmpty();
            assertThat(whole.rawInvalid()).isZero();
            assertThat(whole.rawValidDistinct())
                    .isEqualTo(data.events.stream()
                            .filter(e -> Interval.parse("2026-12-01").contains(e.getReceivedAt()))
                            .count())
                    .isPositive();
            assertThat(r.run(Interval.parse("2026-12-01T09"), true).status()).isEqualTo(Reconcile.Status.OK);
        } finally {
            day.close();
        }
    }

    static ChartEvent raw(UUID id, Instant received, Instant created) {
        return ChartEvent.newBuilder()
                .setEventId(id)
                .setEventType(EventType.CHART_IMPRESSION)
                .setCreatedAt(created)
                .setSentAt(created.plusMillis(10))
                .setReceivedAt(received)
                .setAnonymousId("visitor-" + id.toString().substring(0, 6))
                .setSessionId("session-1")
                .setSessionIndex(1)
                .setPageViewId("pv-1")
                .setPage(Page.newBuilder()
                        .setUrl("https://example.com/laptops")
                        .setPath("/laptops")
                        .build())
                .setChart(Chart.newBuilder().setChartId("laptops").build())
                .build();
    }
}
