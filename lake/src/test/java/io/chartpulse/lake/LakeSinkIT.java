package io.chartpulse.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.EventType;
import io.chartpulse.avro.Session;
import io.chartpulse.embedded.ConnectWorkerProcess;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.junit.FaultRuns;
import io.chartpulse.embedded.kafka.junit.KafkaExtension;
import io.chartpulse.schemas.SampleRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Apache Iceberg's Kafka Connect sink, loaded from the plugin directory this module builds by real Connect workers in
 * their own JVMs, writing {@code chartpulse.enriched_events} from the enriched topic through ChartPulse's
 * AvroConverter into S3Proxy with a SQLite JDBC catalog — and the committed table read back by Iceberg's Java reader
 * and by pyiceberg.
 */
@ExtendWith(KafkaExtension.class)
class LakeSinkIT {

    static final Instant BASE = Instant.parse("2026-12-01T23:30:00Z");
    static final Duration COMMIT_INTERVAL = Duration.ofSeconds(3);

    /** Under target/, not a temporary directory: the workers' logs stay for a look after a failure. */
    static Path dir;

    static LakeStack stack;

    @BeforeAll
    static void start(EmbeddedKafka kafka) throws Exception {
        dir = Files.createDirectories(Path.of("target", "lake-it")).resolve("run-" + System.currentTimeMillis());
        Files.createDirectories(dir);
        stack = new LakeStack(kafka, dir, COMMIT_INTERVAL);
        LakeTables.ensure(stack.catalog);
        stack.createTopics(LakeTable.ENRICHED_EVENTS, 2);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    /** {@code count} distinct enriched events from index {@code from}: 50 visitors, one a second from BASE. */
    static List<EnrichedEvent> events(int from, int count) {
        List<EnrichedEvent> events = new ArrayList<>();
        EnrichedEvent sample = SampleRecords.enrichedEvent();
        EventType[] types = {EventType.PRODUCT_IMPRESSION, EventType.PRODUCT_CLICK, EventType.OUTBOUND_CLICK};
        for (int i = from; i < from + count; i++) {
            events.add(EnrichedEvent.newBuilder(sample)
                    .setEventId(new UUID(0x0c4a27e1L, i))
                    .setEventType(types[i % types.length])
                    .setAnonymousId("v-" + (i % 50))
                    .setDerivedAt(BASE.plusSeconds(i))
                    .setDedupFingerprint(new UUID(0x0c4a27e1L, i).toString())
                    .build());
        }
        return events;
    }

    static ConnectWorkerProcess worker(String name) throws Exception {
        return ConnectWorkerProcess.start(
                stack.kafka.bootstrapServers(),
                "lake-it",
                List.of(LakeStack.pluginPath()),
                // A killed worker's consumers leave their groups after this, not Kafka's default 45 s.
                Map.of("consumer.session.timeout.ms", "10000"),
                stack.environment,
                dir.resolve(name));
    }

    @Test
    void everyEnrichedEventIsInTheTableOnceAcrossAWorkerKill() throws Exception {
        LakeTable table = LakeTable.ENRICHED_EVENTS;
        Map<String, String> config = new HashMap<>(LakeStack.connectorConfig(table));
        config.put("tasks.max", "2");
        config.put("iceberg.kafka.session.timeout.ms", "10000");
        List<EnrichedEvent> sent = new ArrayList<>();

        try (ConnectWorkerProcess first = worker("first")) {
            ConnectorRuns.create(first::request, table.connector(), config);
            List<EnrichedEvent> batch = events(0, 1500);
            stack.send(table.topic(), batch, e -> e.getAnonymousId());
            sent.addAll(batch);
            stack.awaitRows(table, 1, Duration.ofSeconds(90));
            batch = events(1500, 1500);
            stack.send(table.topic(), batch, e -> e.getAnonymousId());
            sent.addAll(batch);
            // SIGKILL while the second batch is written but, at most, partly committed.
            first.kill();
        }
        try (ConnectWorkerProcess second = worker("second")) {
            List<EnrichedEvent> batch = events(3000, 1000);
            stack.send(table.topic(), batch, e -> e.getAnonymousId());
            sent.addAll(batch);
            List<Record> rows = stack.awaitRows(table, sent.size(), Duration.ofSeconds(180));
            assertExactly(rows, sent);
            // Two more commit intervals: nothing redelivered after the fact.
            Thread.sleep(COMMIT_INTERVAL.multipliedBy(2).toMillis());
            assertExactly(stack.rows(table), sent);

            assertTypes(stack.catalog.loadTable(table.identifier()), rows, sent);
            assertPyicebergReadsTheSameRows(table, sent);
            second.request("DELETE", "/connectors/" + table.connector(), null);
        }
    }

    @Test
    void anS3OutageLosesAndDoublesNoSession() throws Exception {
        LakeTable table = LakeTable.SESSIONS;
        stack.createTopics(table, 1);
        Map<String, String> config = new HashMap<>(LakeStack.connectorConfig(table));
        config.put("tasks.max", "1");
        List<Session> sent = new ArrayList<>();
        try (ConnectWorkerProcess worker = worker("outage")) {
            ConnectorRuns.create(worker::request, table.connector(), config);
            List<Session> batch = sessions(0, 500);
            stack.send(table.topic(), batch, Session::getSessionId);
            sent.addAll(batch);
            stack.awaitRows(table, sent.size(), Duration.ofSeconds(90));

            stack.s3.failWrites(true);
            int refusedBefore = stack.s3.refusedWrites();
            batch = sessions(500, 500);
            stack.send(table.topic(), batch, Session::getSessionId);
            sent.addAll(batch);
            Thread.sleep(FaultRuns.outage().toMillis());
            assertThat(stack.s3.refusedWrites())
                    .as("the sink tried S3 during the outage")
                    .isGreaterThan(refusedBefore);
            assertThat(stack.rows(table))
                    .as("nothing committed while S3 refuses writes")
                    .hasSize(500);
            stack.s3.failWrites(false);

            List<Record> rows = stack.awaitRows(table, sent.size(), Duration.ofSeconds(180));
            Thread.sleep(COMMIT_INTERVAL.multipliedBy(2).toMillis());
            rows = stack.rows(table);
            List<String> ids =
                    rows.stream().map(r -> (String) r.getField("session_id")).toList();
            assertThat(ids).doesNotHaveDuplicates();
            assertThat(new HashSet<>(ids))
                    .isEqualTo(sent.stream().map(Session::getSessionId).collect(Collectors.toSet()));
            JsonNode status =
                    LakeStack.JSON.readTree(worker.request("GET", "/connectors/" + table.connector() + "/status", null)
                            .body());
            assertThat(status.path("tasks").get(0).path("state").asText())
                    .as(status.toString())
                    .isEqualTo("RUNNING");
            worker.request("DELETE", "/connectors/" + table.connector(), null);
        } finally {
            stack.s3.failWrites(false);
        }
    }

    static List<Session> sessions(int from, int count) {
        List<Session> sessions = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            sessions.add(Session.newBuilder(SampleRecords.session())
                    .setSessionId("s-" + i)
                    .setStartAt(BASE.plusSeconds(i))
                    .setEndAt(BASE.plusSeconds(i + 60))
                    .build());
        }
        return sessions;
    }

    static void assertExactly(List<Record> rows, List<EnrichedEvent> sent) {
        List<String> ids =
                rows.stream().map(r -> (String) r.getField("event_id")).toList();
        Set<String> distinct = new HashSet<>(ids);
        assertThat(ids).as("no event twice").hasSameSizeAs(distinct);
        assertThat(distinct)
                .as("exactly the events sent")
                .isEqualTo(sent.stream().map(e -> e.getEventId().toString()).collect(Collectors.toSet()));
    }

    static void assertTypes(Table table, List<Record> rows, List<EnrichedEvent> sent) {
        assertThat(table.schema().findType("derived_at")).isEqualTo(Types.TimestampType.withZone());
        assertThat(table.schema().findType("event_type")).isEqualTo(Types.StringType.get());
        assertThat(table.schema().findType("chart.chart_id")).isEqualTo(Types.StringType.get());
        assertThat(table.spec().fields())
                .extracting(f -> f.transform().toString(), f -> table.schema().findColumnName(f.sourceId()))
                .containsExactly(tuple("day", "derived_at"), tuple("identity", "event_type"));
        Map<String, EnrichedEvent> byId =
                sent.stream().collect(Collectors.toMap(e -> e.getEventId().toString(), e -> e));
        for (Record row : rows.subList(0, 50)) {
            EnrichedEvent e = byId.get((String) row.getField("event_id"));
            assertThat(((OffsetDateTime) row.getField("derived_at")).toInstant())
                    .isEqualTo(e.getDerivedAt());
            assertThat(row.getField("event_type")).isEqualTo(e.getEventType().name());
            assertThat(((Record) row.getField("chart")).getField("chart_id"))
                    .isEqualTo(e.getChart().getChartId());
            assertThat(((Record) row.getField("product")).getField("price"))
                    .isEqualTo(e.getProduct().getPrice());
            assertThat(row.getField("is_bot")).isEqualTo(e.getIsBot());
        }
        // Two event days (the events straddle midnight UTC) and three types: each (day, type) in its own files.
        Set<Object> days = new HashSet<>();
        Set<String> partitions = new HashSet<>();
        table.newScan().planFiles().forEach(task -> {
            days.add(task.file().partition().get(0, Integer.class));
            partitions.add(table.spec().partitionToPath(task.file().partition()));
        });
        assertThat(days).hasSize(2);
        assertThat(partitions).hasSize(6).allSatisfy(p -> assertThat(p).contains("event_type="));
    }

    static void assertPyicebergReadsTheSameRows(LakeTable table, List<EnrichedEvent> sent) throws Exception {
        JsonNode read = stack.pyiceberg(table, "event_id", "event_type", "derived_at", "chart", "product");
        assertThat(read.path("count").asInt()).isEqualTo(sent.size());
        assertThat(read.path("schema").path("derived_at").asText()).isEqualTo("timestamp[us, tz=UTC]");
        Map<String, EnrichedEvent> byId =
                sent.stream().collect(Collectors.toMap(e -> e.getEventId().toString(), e -> e));
        Set<String> ids = new HashSet<>();
        for (JsonNode row : read.path("rows")) {
            EnrichedEvent e = byId.get(row.path("event_id").asText());
            assertThat(e).as("a row pyiceberg read was sent: " + row).isNotNull();
            ids.add(row.path("event_id").asText());
            assertThat(row.path("event_type").asText())
                    .isEqualTo(e.getEventType().name());
            assertThat(row.path("derived_at").asLong())
                    .isEqualTo(e.getDerivedAt().toEpochMilli());
            assertThat(row.path("chart").path("chart_id").asText())
                    .isEqualTo(e.getChart().getChartId());
            assertThat(row.path("product").path("price").asDouble())
                    .isEqualTo(e.getProduct().getPrice());
        }
        assertThat(ids).hasSize(sent.size());
    }
}
