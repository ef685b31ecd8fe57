package io.chartpulse.e2e;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Projections;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.EventType;
import io.chartpulse.avro.RejectedEvent;
import io.chartpulse.batch.Interval;
import io.chartpulse.batch.RawArchive;
import io.chartpulse.cli.batch.BatchCommand;
import io.chartpulse.cli.connectors.ConnectorFile;
import io.chartpulse.cli.dev.DevStack;
import io.chartpulse.cli.lake.LakeCommand;
import io.chartpulse.lake.LakeCatalog;
import io.chartpulse.lake.LakeTable;
import io.chartpulse.schemas.RejectionCode;
import io.chartpulse.schemas.Topic;
import io.chartpulse.serde.avro.KafkaAvroDeserializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;

/**
 * What every store holds once the traffic stopped, against what the load generator had accepted: each distinct valid
 * event exactly once in the enriched topic (read_committed), in MongoDB {@code events} and in the lake table; the S3
 * archive holding each raw record exactly once (the raw topic is the truth of what the collector took); every
 * deliberately invalid event in the invalid topic with its code and no valid one there; per-minute metrics and
 * sessions adding up to the events; and each event's {@code variant} (ChartEvent v2) everywhere equal to what its
 * first raw record carried. Each check is a line of the report; {@link #exact} only when all hold.
 */
final class Reconciliation {

    /** One check: what was expected, what was found. */
    record Check(String what, long expected, long found, String detail) {
        boolean holds() {
            return expected == found;
        }
    }

    final List<Check> checks = new ArrayList<>();
    /** Raw records by writer version (v1 without {@code variant}, v2 with it). */
    long rawV1;

    long rawV2;
    long variantsDownstream;

    boolean exact() {
        return checks.stream().allMatch(Check::holds);
    }

    List<Check> failing() {
        return checks.stream().filter(c -> !c.holds()).toList();
    }

    /**
     * Reconciles every {@code poll} until all checks hold or {@code atMost} passed (the stores drain at their own
     * pace: the lake commits on its interval, sessions close after their gap); returns the last reconciliation, exact
     * or not. A count never reaches exact by passing through it: every check compares with what was accepted, and a
     * record written twice stays twice.
     */
    static Reconciliation awaitExact(
            Pipeline pipeline,
            Set<String> valid,
            Map<String, RejectionCode> invalid,
            long trafficStartEpochMillis,
            Duration atMost)
            throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (true) {
            Reconciliation r =
                    run(pipeline, valid, invalid, Instant.ofEpochMilli(trafficStartEpochMillis), Instant.now());
            if (r.exact() || System.nanoTime() > deadline) {
                return r;
            }
            System.out.println("fault run: not reconciled yet: "
                    + r.failing().stream()
                            .map(c -> c.what() + " " + c.found() + "/" + c.expected())
                            .toList());
            Thread.sleep(POLL.toMillis());
        }
    }

    static final Duration POLL = Duration.ofSeconds(5);

    static Reconciliation run(
            Pipeline pipeline,
            Set<String> valid,
            Map<String, RejectionCode> invalid,
            Instant trafficStart,
            Instant trafficEnd) {
        Reconciliation r = new Reconciliation();
        // The raw topic: what the collector accepted (retries included), each id's first record deciding its variant.
        Map<String, Integer> rawCount = new HashMap<>();
        Map<String, String> firstVariant = new HashMap<>();
        readTopic(pipeline, Topic.RAW_EVENTS.topicName(), false, (key, value) -> {
            GenericRecord e = (GenericRecord) value;
            String id = e.get("event_id").toString();
            rawCount.merge(id, 1, Integer::sum);
            boolean v2 = e.getSchema().getField("variant") != null;
            if (v2) {
                r.rawV2++;
            } else {
                r.rawV1++;
            }
            if (!firstVariant.containsKey(id)) {
                firstVariant.put(id, v2 ? Objects.toString(e.get("variant"), null) : null);
            }
        });

        Map<String, Integer> enriched = new HashMap<>();
        Map<String, String> enrichedVariant = new HashMap<>();
        long[] chartImpressions = {0};
        long[] productImpressions = {0};
        readTopic(pipeline, Topic.ENRICHED_EVENTS.topicName(), true, (key, value) -> {
            EnrichedEvent e = (EnrichedEvent) value;
            String id = e.getEventId().toString();
            enriched.merge(id, 1, Integer::sum);
            enrichedVariant.put(id, e.getVariant());
            if (!e.getIsBot() && e.getEventType() == EventType.CHART_IMPRESSION && e.getChart() != null) {
                chartImpressions[0]++;
            }
            if (!e.getIsBot() && e.getEventType() == EventType.PRODUCT_IMPRESSION && e.getProduct() != null) {
                productImpressions[0]++;
            }
        });
        r.once("enriched topic (read_committed): each valid event once", valid, enriched);
        r.variants("enriched topic", enrichedVariant, firstVariant);
        r.variantsDownstream =
                enrichedVariant.values().stream().filter(Objects::nonNull).count();

        Map<String, Integer> rejected = new HashMap<>();
        Map<String, String> rejectedCode = new HashMap<>();
        long[] unknownRejections = {0};
        readTopic(pipeline, Topic.INVALID_EVENTS.topicName(), true, (key, value) -> {
            RejectedEvent e = (RejectedEvent) value;
            String id = e.getSource() == null ? null : e.getSource().getEventId();
            if (id == null) {
                unknownRejections[0]++;
                return;
            }
            rejected.merge(id, 1, Integer::sum);
            rejectedCode.put(id, e.getCode());
        });
        r.checks.add(new Check(
                "invalid topic: each invalid event there with its code",
                invalid.size(),
                invalid.entrySet().stream()
                        .filter(i -> i.getValue().value().equals(rejectedCode.get(i.getKey())))
                        .count(),
                "refusals are at least once: a batch re-sent after a lost answer refuses again"));
        r.checks.add(new Check(
                "invalid topic: valid events rejected (a dependency down must never do this)",
                0,
                rejected.keySet().stream().filter(valid::contains).count()
                        + unknownRejections[0]
                        + rejected.keySet().stream()
                                .filter(id -> !valid.contains(id) && !invalid.containsKey(id))
                                .count(),
                ""));

        try (MongoClient client = MongoClients.create(pipeline.mongoUri())) {
            MongoDatabase db = client.getDatabase(DevStack.DATABASE);
            Map<String, Integer> mongo = new HashMap<>();
            Map<String, String> mongoVariant = new HashMap<>();
            for (Document d :
                    db.getCollection("events").find().projection(Projections.include("event_id", "variant"))) {
                String id = d.getString("event_id");
                mongo.merge(id, 1, Integer::sum);
                mongoVariant.put(id, d.getString("variant"));
            }
            r.once("MongoDB events: each valid event once", valid, mongo);
            r.variants("MongoDB events", mongoVariant, firstVariant);
            // The live metrics' two grains: a chart's minutes, and its products' minutes.
            long[] metricSums = {sum(db, "chart_metrics", "impressions"), sum(db, "product_metrics", "impressions")};
            r.checks.add(new Check(
                    "chart metrics: per-minute chart impressions add up to the chart impressions (no bots)",
                    chartImpressions[0],
                    metricSums[0],
                    ""));
            r.checks.add(new Check(
                    "chart metrics: per-minute product impressions add up to the product impressions (no bots)",
                    productImpressions[0],
                    metricSums[1],
                    ""));
            long sessionEvents = sum(db, "sessions", "event_count");
            r.checks.add(new Check(
                    "sessions: their events add up to the enriched events", enriched.size(), sessionEvents, ""));
        }

        Catalog catalog = LakeCommand.openCatalog(
                Pipeline.REPOSITORY.resolve(LakeCommand.DEFAULT_CONNECTOR_CONFIG), pipeline.connectorVariables()::get);
        try {
            Table table = catalog.loadTable(LakeTable.ENRICHED_EVENTS.identifier());
            Map<String, Integer> lake = new HashMap<>();
            Map<String, String> lakeVariant = new HashMap<>();
            try (CloseableIterable<Record> rows =
                    IcebergGenerics.read(table).select("event_id", "variant").build()) {
                for (Record row : rows) {
                    String id = row.getField("event_id").toString();
                    lake.merge(id, 1, Integer::sum);
                    lakeVariant.put(id, (String) row.getField("variant"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            r.once("lake enriched_events: each valid event once", valid, lake);
            r.variants("lake enriched_events", lakeVariant, firstVariant);
        } finally {
            LakeCommand.close(catalog);
        }

        Map<String, Integer> archived = new HashMap<>();
        try (RawArchive archive = RawArchive.open(LakeCatalog.resolveAll(
                ConnectorFile.read(Pipeline.REPOSITORY.resolve(BatchCommand.DEFAULT_ARCHIVE_CONNECTOR))
                        .config(),
                pipeline.connectorVariables()::get))) {
            for (Instant day = trafficStart.truncatedTo(ChronoUnit.DAYS);
                    !day.isAfter(trafficEnd.plus(1, ChronoUnit.HOURS));
                    day = day.plus(1, ChronoUnit.DAYS)) {
                archive.events(
                        Interval.containing(Interval.Grain.DAY, day),
                        e -> archived.merge(e.getEventId().toString(), 1, Integer::sum));
            }
        }
        long rawRecords =
                rawCount.values().stream().mapToLong(Integer::longValue).sum();
        long archivedRecords =
                archived.values().stream().mapToLong(Integer::longValue).sum();
        r.checks.add(new Check("S3 archive: each raw record once (records)", rawRecords, archivedRecords, ""));
        r.checks.add(new Check(
                "S3 archive: each raw record once (events with the raw topic's count)",
                rawCount.size(),
                rawCount.entrySet().stream()
                        .filter(e -> e.getValue().equals(archived.get(e.getKey())))
                        .count(),
                ""));
        return r;
    }

    // Each event's variant in a store equal to the one its first raw record carried (null for a v1 writer's).
    private void variants(String store, Map<String, String> found, Map<String, String> firstVariant) {
        checks.add(new Check(
                store + ": variant as its first raw record carried",
                found.size(),
                found.keySet().stream()
                        .filter(id -> Objects.equals(found.get(id), firstVariant.get(id)))
                        .count(),
                ""));
    }

    private static long sum(MongoDatabase db, String collection, String field) {
        long sum = 0;
        for (Document d : db.getCollection(collection).find().projection(Projections.include(field))) {
            sum += ((Number) d.get(field)).longValue();
        }
        return sum;
    }

    // Each id of `expected` once in `found`, and nothing else there.
    private void once(String what, Set<String> expected, Map<String, Integer> found) {
        long missing = expected.stream().filter(id -> !found.containsKey(id)).count();
        long doubled = found.values().stream().filter(n -> n > 1).count();
        long unexpected =
                found.keySet().stream().filter(id -> !expected.contains(id)).count();
        checks.add(new Check(
                what,
                expected.size(),
                expected.size() - missing - doubled - unexpected,
                "missing " + missing + ", more than once " + doubled + ", not sent " + unexpected));
    }

    /** Reads a whole topic (to its end as of now; read_committed), decoding values with the registry. */
    private static void readTopic(Pipeline pipeline, String topic, boolean specific, BiConsumer<String, Object> sink) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        config.put("schema.registry.url", pipeline.registryUrl());
        config.put("specific.avro.reader", specific);
        KafkaAvroDeserializer values = new KafkaAvroDeserializer();
        values.configure(config, false);
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config, new StringDeserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(500))) {
                    sink.accept(record.key(), record.value());
                }
            }
        }
    }
}
