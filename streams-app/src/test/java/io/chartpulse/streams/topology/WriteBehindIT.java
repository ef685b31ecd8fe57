package io.chartpulse.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.avro.CatalogEntry;
import io.chartpulse.avro.CatalogEntryType;
import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.ChartMetric;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.Session;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.junit.StackExtension;
import io.chartpulse.embedded.kafka.DataDirs;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.junit.TestTopics;
import io.chartpulse.serde.avro.KafkaAvroSerializer;
import io.chartpulse.serde.avro.SpecificAvroDeserializer;
import io.chartpulse.streams.bench.Traffic;
import io.chartpulse.streams.enrich.Enricher;
import io.chartpulse.streams.enrich.Enrichers;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The full topology on a real broker and registry, once with its busiest stores behind {@link WriteBehindStore} (the
 * default) and once with Kafka Streams' record cache: the same input (realistic traffic with tracker retries, over
 * twenty minutes of event time, then a tick an hour later that closes every session and window)
 * gives the same enriched events, the same sessions and the same final metric windows, record for record.
 */
@ExtendWith(StackExtension.class)
class WriteBehindIT {

    private static final int EVENTS = 3_000;
    private static final Duration SPAN = Duration.ofMinutes(20);

    // YAUAA takes seconds to load its rules: one chain for both runs.
    private static final List<Enricher> ENRICHERS = Enrichers.standard();

    @Test
    void theOutputIsTheSameWithTheWriteBehindCacheAndWithKafkaStreamsRecordCache(
            EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topics) throws Exception {
        // One partition: the chart metrics' watermark is the least over the upstream partitions *seen*, so with two,
        // which partition's first inputs reach the metrics task first decides what is late (a race of the start, in
        // which seconds are minutes of this input's event time), with or without the write-behind cache.
        String raw = topics.create("write-behind-raw");
        String catalog = topics.create("write-behind-catalog");
        String erasure = topics.create("write-behind-erasure");
        KafkaAvroSerializer values = new KafkaAvroSerializer();
        values.configure(registry.serdeConfig(), false);
        Traffic traffic = new Traffic(42);
        Instant start = Instant.now().minus(Duration.ofHours(3));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (CatalogEntry entry : traffic.catalog()) {
                String key = (entry.getEntryType() == CatalogEntryType.CHART ? "chart:" : "product:") + entry.getId();
                producer.send(new ProducerRecord<>(catalog, key, values.serialize(catalog, entry)));
            }
            producer.flush();
            for (int i = 0; i < EVENTS; i++) {
                Instant t = start.plusMillis(SPAN.toMillis() * i / EVENTS);
                send(producer, values, raw, traffic.next(t), t);
            }
            // A tick an hour later: every session and window of the traffic falls due.
            Instant later = start.plus(SPAN).plus(Duration.ofHours(1));
            ChartEvent tick = traffic.next(later);
            tick.setAnonymousId("tick");
            send(producer, values, raw, tick, later);
        }

        Output behind = run(kafka, registry, topics, raw, catalog, erasure, true);
        Output recordCache = run(kafka, registry, topics, raw, catalog, erasure, false);

        assertThat(behind.enriched).hasSizeGreaterThan(EVENTS * 9 / 10);
        assertThat(behind.enriched.values()).as("each event once").containsOnly(1);
        assertThat(behind.sessions).hasSizeGreaterThan(100);
        assertThat(behind.metrics).hasSizeGreaterThan(100);
        assertThat(differences(behind.enriched, recordCache.enriched))
                .as("enriched events")
                .isEmpty();
        assertThat(differences(behind.sessions, recordCache.sessions))
                .as("sessions")
                .isEmpty();
        assertThat(differences(behind.metrics, recordCache.metrics))
                .as("metric windows")
                .isEmpty();
    }

    // Each key whose value differs, with both values (null where one side lacks the key).
    private static <V> List<String> differences(Map<String, V> behind, Map<String, V> recordCache) {
        TreeMap<String, String> diff = new TreeMap<>();
        behind.forEach((k, v) -> {
            if (!v.equals(recordCache.get(k))) {
                diff.put(k, "write-behind " + v + " / record cache " + recordCache.get(k));
            }
        });
        recordCache.forEach((k, v) -> {
            if (!behind.containsKey(k)) {
                diff.put(k, "write-behind null / record cache " + v);
            }
        });
        return diff.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue())
                .toList();
    }

    private static void send(
            KafkaProducer<String, byte[]> producer, KafkaAvroSerializer values, String raw, ChartEvent e, Instant t) {
        e.setReceivedAt(t);
        producer.send(new ProducerRecord<>(raw, null, t.toEpochMilli(), e.getAnonymousId(), values.serialize(raw, e)));
    }

    /** Enriched event ids with how often each came out; sessions by id and final windows by key, as records. */
    private record Output(Map<String, Integer> enriched, Map<String, String> sessions, Map<String, String> metrics) {}

    private static Output run(
            EmbeddedKafka kafka,
            EmbeddedRegistry registry,
            TestTopics topics,
            String raw,
            String catalog,
            String erasure,
            boolean writeBehind)
            throws Exception {
        TopologySettings settings = TopologySettings.defaults()
                .withTopics(
                        raw,
                        topics.create("write-behind-enriched"),
                        topics.create("write-behind-invalid"),
                        catalog,
                        topics.create("write-behind-sessions"),
                        topics.create("write-behind-metrics"))
                .withErasureTopic(erasure)
                .withSessions(Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofSeconds(1))
                .withWriteBehind(writeBehind);
        StreamsBuilder builder = new StreamsBuilder();
        ChartPulseTopology.build(builder, settings, ENRICHERS, registry.serdeConfig(), new TopologyCounters());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, topics.unique("write-behind-app"));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(
                StreamsConfig.STATE_DIR_CONFIG,
                DataDirs.temporary("write-behind-state").toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put("consumer.auto.offset.reset", "earliest");
        Map<String, Integer> enriched = new HashMap<>();
        Map<String, String> sessions = new TreeMap<>();
        Map<String, String> metrics = new TreeMap<>();
        SpecificAvroDeserializer<EnrichedEvent> enrichedValues = new SpecificAvroDeserializer<>(EnrichedEvent.class);
        enrichedValues.configure(registry.serdeConfig(), false);
        SpecificAvroDeserializer<Session> sessionValues = new SpecificAvroDeserializer<>(Session.class);
        sessionValues.configure(registry.serdeConfig(), false);
        SpecificAvroDeserializer<ChartMetric> metricValues = new SpecificAvroDeserializer<>(ChartMetric.class);
        metricValues.configure(registry.serdeConfig(), false);
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props);
                KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed",
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest",
                                ConsumerConfig.GROUP_ID_CONFIG,
                                topics.unique("write-behind-reader")),
                        new StringDeserializer(),
                        new ByteArrayDeserializer())) {
            streams.start();
            consumer.subscribe(List.of(settings.enrichedTopic(), settings.sessionsTopic(), settings.metricsTopic()));
            // Done when the output stops growing: the ticks close everything, and nothing else comes after.
            int[] last = {-1};
            long[] quietSince = {System.nanoTime()};
            Awaitility.await()
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ZERO)
                    .until(() -> {
                        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                            if (r.topic().equals(settings.enrichedTopic())) {
                                EnrichedEvent e = enrichedValues.deserialize(r.topic(), r.value());
                                enriched.merge(e.getEventId().toString(), 1, Integer::sum);
                            } else if (r.topic().equals(settings.sessionsTopic())) {
                                sessions.put(
                                        r.key(),
                                        sessionValues
                                                .deserialize(r.topic(), r.value())
                                                .toString());
                            } else {
                                metrics.put(
                                        r.key(),
                                        metricValues
                                                .deserialize(r.topic(), r.value())
                                                .toString());
                            }
                        }
                        int seen = enriched.size() + sessions.size() + metrics.size();
                        if (seen != last[0]) {
                            last[0] = seen;
                            quietSince[0] = System.nanoTime();
                        }
                        return enriched.size() >= EVENTS * 9 / 10
                                && System.nanoTime() - quietSince[0]
                                        > Duration.ofSeconds(3).toNanos();
                    });
        }
        return new Output(enriched, sessions, metrics);
    }
}
