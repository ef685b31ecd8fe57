package io.chartpulse.streams.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.EventType;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.junit.StackExtension;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.FreePorts;
import io.chartpulse.embedded.kafka.junit.TestTopics;
import io.chartpulse.schemas.SampleRecords;
import io.chartpulse.serde.avro.KafkaAvroSerializer;
import io.chartpulse.serde.avro.SpecificAvroDeserializer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The streams app on a real broker with the real registry: exactly once across a kill, and queries across instances. */
@ExtendWith(StackExtension.class)
class StreamsServiceIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Topics(
            String raw, String enriched, String invalid, String catalog, String sessions, String metrics) {}

    private static Topics topics(TestTopics topics, int partitions) {
        return new Topics(
                topics.create("chart.events.raw.v1", partitions),
                topics.create("chart.events.enriched.v1", partitions),
                topics.create("chart.events.invalid.v1", 1),
                topics.create("chart.catalog.v1", 1, Map.of("cleanup.policy", "compact")),
                topics.create("chart.sessions.v1", 1),
                topics.create("chart.metrics.minute.v1", 1));
    }

    private static Map<String, String> config(
            EmbeddedKafka kafka, EmbeddedRegistry registry, Topics t, String appId, Path state, int port) {
        Map<String, String> c = new HashMap<>();
        c.put(StreamsAppConfig.APPLICATION_ID_CONFIG, appId);
        c.put(StreamsAppConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(StreamsAppConfig.REGISTRY_URL_CONFIG, registry.url());
        c.put(StreamsAppConfig.STATE_DIR_CONFIG, state.toString());
        c.put(StreamsAppConfig.PORT_CONFIG, String.valueOf(port));
        c.put(StreamsAppConfig.RAW_TOPIC_CONFIG, t.raw());
        c.put(StreamsAppConfig.ENRICHED_TOPIC_CONFIG, t.enriched());
        c.put(StreamsAppConfig.INVALID_TOPIC_CONFIG, t.invalid());
        c.put(StreamsAppConfig.CATALOG_TOPIC_CONFIG, t.catalog());
        c.put(StreamsAppConfig.SESSIONS_TOPIC_CONFIG, t.sessions());
        c.put(StreamsAppConfig.METRICS_TOPIC_CONFIG, t.metrics());
        c.put("streams.commit.interval.ms", "200");
        c.put("streams.num.partitions", "2");
        c.put("streams.replication.factor", "1");
        return c;
    }

    private static List<ChartEvent> events(int n, Instant at, EventType type) {
        List<ChartEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instant t = at.plusMillis(i);
            events.add(ChartEvent.newBuilder(SampleRecords.chartEvent())
                    .setEventId(UUID.randomUUID())
                    .setEventType(type)
                    .setAnonymousId("visitor-" + (i % 37))
                    .setCreatedAt(t)
                    .setSentAt(t)
                    .setReceivedAt(t)
                    .build());
        }
        return events;
    }

    private static void produce(EmbeddedKafka kafka, EmbeddedRegistry registry, String topic, List<ChartEvent> events) {
        KafkaAvroSerializer values = new KafkaAvroSerializer();
        values.configure(registry.serdeConfig(), false);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (ChartEvent e : events) {
                producer.send(new ProducerRecord<>(
                        topic, null, e.getReceivedAt().toEpochMilli(), e.getAnonymousId(), values.serialize(topic, e)));
            }
        }
    }

    private static List<EnrichedEvent> readCommitted(
            EmbeddedKafka kafka, EmbeddedRegistry registry, String topic, int expected, Duration timeout) {
        SpecificAvroDeserializer<EnrichedEvent> values = new SpecificAvroDeserializer<>(EnrichedEvent.class);
        values.configure(registry.serdeConfig(), false);
        List<EnrichedEvent> out = new ArrayList<>();
        try (KafkaConsumer<String, EnrichedEvent> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "check-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new StringDeserializer(),
                values)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
            }
            consumer.poll(Duration.ofSeconds(2)).forEach(r -> out.add(r.value()));
        }
        return out;
    }

    @Test
    void killedMidStreamAndRestartedEveryInputEventIsInTheEnrichedTopicExactlyOnce(
            EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topicNames, @TempDir Path dir) throws Exception {
        Topics t = topics(topicNames, 3);
        List<ChartEvent> first = events(400, Instant.now(), EventType.PAGE_VIEW);
        List<ChartEvent> second = events(400, Instant.now().plusSeconds(1), EventType.PAGE_VIEW);
        produce(kafka, registry, t.raw(), first);
        produce(kafka, registry, t.raw(), first.subList(0, 50)); // tracker retries: duplicates
        Map<String, String> config =
                config(kafka, registry, t, "eos-" + UUID.randomUUID(), dir.resolve("state"), FreePorts.pick());

        try (StreamsProcess app = StreamsProcess.start(config, dir.resolve("first.log"))) {
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> readCommitted(kafka, registry, t.enriched(), 1, Duration.ofSeconds(1))
                                    .size()
                            >= 100);
            produce(kafka, registry, t.raw(), second);
            app.kill();
        }
        produce(kafka, registry, t.raw(), second.subList(0, 50));
        config.put(StreamsAppConfig.PORT_CONFIG, String.valueOf(FreePorts.pick()));
        try (StreamsProcess again = StreamsProcess.start(config, dir.resolve("second.log"))) {
            List<EnrichedEvent> out = readCommitted(kafka, registry, t.enriched(), 800, Duration.ofSeconds(90));
            assertThat(out).hasSize(800);
            assertThat(out.stream().map(e -> e.getEventId().toString()).distinct())
                    .hasSize(800);
        }
    }

    @Test
    void interactiveQueriesGatherRowsFromEveryInstance(
            EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topicNames, @TempDir Path dir) throws Exception {
        Topics t = topics(topicNames, 2);
        String app = "iq-" + UUID.randomUUID();
        Instant minute = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        try (StreamsService a = StreamsService.start(
                        new StreamsAppConfig(config(kafka, registry, t, app, dir.resolve("a"), 0)));
                StreamsService b = StreamsService.start(
                        new StreamsAppConfig(config(kafka, registry, t, app, dir.resolve("b"), 0)))) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> get(a.url() + "/readyz").statusCode() == 200
                            && get(b.url() + "/readyz").statusCode() == 200);
            List<ChartEvent> events = new ArrayList<>();
            for (int p = 0; p < 6; p++) {
                for (ChartEvent e : events(5, minute.plusSeconds(p), EventType.PRODUCT_IMPRESSION)) {
                    e.getProduct().setProductId("p-" + p);
                    events.add(e);
                }
            }
            // All inside one minute: an event minutes later could make the others late on its partition.
            events.addAll(events(1, minute.plusSeconds(30), EventType.CHART_IMPRESSION));
            produce(kafka, registry, t.raw(), events);

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                List<Map<String, Object>> rows = rows(a.url() + "/api/charts/laptops-2026/metrics?from="
                        + minute.toString() + "&to=" + minute.plusSeconds(60).toEpochMilli());
                assertThat(rows.stream().filter(r -> r.get("product_id") != null))
                        .hasSize(6);
                assertThat(rows.stream()
                                .mapToLong(r ->
                                        r.get("product_id") == null ? 0 : ((Number) r.get("impressions")).longValue())
                                .sum())
                        .isEqualTo(30);
            });
            assertThat(rows(b.url() + "/api/charts/laptops-2026/metrics"))
                    .isEqualTo(rows(a.url() + "/api/charts/laptops-2026/metrics"));
            List<Map<String, Object>> top =
                    rows(a.url() + "/api/charts/laptops-2026/top-products?minutes=60&by=clicks");
            assertThat(top).hasSize(6);
            assertThat(get(a.url() + "/api/charts").body()).contains("laptops-2026");
            assertThat(get(a.url() + "/metrics").body())
                    .contains("chartpulse_streams_events_valid_total")
                    .contains("chartpulse_streams_enrich_seconds_count")
                    .contains("kafka_stream");
            // Freshness: received_at of the newest enriched event, on whichever instance enriched it.
            double newest = 0;
            for (StreamsService instance : List.of(a, b)) {
                for (String line : get(instance.url() + "/metrics").body().split("\n")) {
                    if (line.startsWith("chartpulse_streams_newest_enriched_received_seconds ")) {
                        newest = Math.max(newest, Double.parseDouble(line.substring(line.indexOf(' ') + 1)));
                    }
                }
            }
            assertThat(newest).as("freshness gauge, epoch seconds").isGreaterThan(1.7e9);
        }
    }

    private static List<Map<String, Object>> rows(String url) throws Exception {
        HttpResponse<String> response = get(url);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readValue(response.body(), new TypeReference<List<Map<String, Object>>>() {});
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(20))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
