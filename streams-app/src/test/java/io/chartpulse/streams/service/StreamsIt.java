package io.chartpulse.streams.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.EventType;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.junit.Drain;
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

/** What the streams app's integration tests share: topics, settings, events in and out, HTTP. */
final class StreamsIt {

    static final ObjectMapper JSON = new ObjectMapper();

    private StreamsIt() {}

    record Topics(
            String raw,
            String enriched,
            String invalid,
            String catalog,
            String sessions,
            String metrics,
            String erasure) {}

    static Topics topics(TestTopics topics, int partitions) {
        return new Topics(
                topics.create("chart.events.raw.v1", partitions),
                topics.create("chart.events.enriched.v1", partitions),
                topics.create("chart.events.invalid.v1", 1),
                topics.create("chart.catalog.v1", 1, Map.of("cleanup.policy", "compact")),
                topics.create("chart.sessions.v1", 1),
                topics.create("chart.metrics.minute.v1", 1),
                topics.create("chart.erasure.requests.v1", 1, Map.of("cleanup.policy", "compact")));
    }

    static Map<String, String> config(
            EmbeddedKafka kafka, EmbeddedRegistry registry, Topics t, String appId, Path state, int port) {
        Map<String, String> c = new HashMap<>();
        c.put(StreamsAppConfig.APPLICATION_ID_CONFIG, appId);
        c.put(StreamsAppConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        if (registry != null) {
            c.put(StreamsAppConfig.REGISTRY_URL_CONFIG, registry.url());
        }
        c.put(StreamsAppConfig.STATE_DIR_CONFIG, state.toString());
        c.put(StreamsAppConfig.PORT_CONFIG, String.valueOf(port));
        c.put(StreamsAppConfig.RAW_TOPIC_CONFIG, t.raw());
        c.put(StreamsAppConfig.ENRICHED_TOPIC_CONFIG, t.enriched());
        c.put(StreamsAppConfig.INVALID_TOPIC_CONFIG, t.invalid());
        c.put(StreamsAppConfig.CATALOG_TOPIC_CONFIG, t.catalog());
        c.put(StreamsAppConfig.SESSIONS_TOPIC_CONFIG, t.sessions());
        c.put(StreamsAppConfig.METRICS_TOPIC_CONFIG, t.metrics());
        c.put(StreamsAppConfig.ERASURE_TOPIC_CONFIG, t.erasure());
        c.put("streams.commit.interval.ms", "200");
        c.put("streams.num.partitions", "2");
        c.put("streams.replication.factor", "1");
        return c;
    }

    static List<ChartEvent> events(int n, Instant at, EventType type) {
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

    static void produce(EmbeddedKafka kafka, EmbeddedRegistry registry, String topic, List<ChartEvent> events) {
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

    static List<EnrichedEvent> readCommitted(
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
            Drain.records(consumer, expected, timeout, Duration.ofSeconds(2)).forEach(r -> out.add(r.value()));
        }
        return out;
    }

    static List<Map<String, Object>> rows(String url) throws Exception {
        HttpResponse<String> response = get(url);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readValue(response.body(), new TypeReference<List<Map<String, Object>>>() {});
    }

    static Map<String, Object> object(String url) throws Exception {
        HttpResponse<String> response = get(url);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readValue(response.body(), new TypeReference<Map<String, Object>>() {});
    }

    static HttpResponse<String> get(String url) throws Exception {
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
