package io.chartpulse.collector;

import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.junit.Drain;
import io.chartpulse.embedded.kafka.junit.TestTopics;
import io.chartpulse.serde.avro.KafkaAvroDeserializer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A collector on the shared stack with fresh raw and invalid topics, and the calls tests make against it. */
public final class CollectorFixture implements AutoCloseable {

    public static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    public final CollectorServer server;
    public final String raw;
    public final String invalid;
    public final String url;
    private final EmbeddedKafka kafka;
    private final EmbeddedRegistry registry;

    private CollectorFixture(
            CollectorServer server, String raw, String invalid, EmbeddedKafka kafka, EmbeddedRegistry registry) {
        this.server = server;
        this.raw = raw;
        this.invalid = invalid;
        this.url = "http://127.0.0.1:" + server.port();
        this.kafka = kafka;
        this.registry = registry;
    }

    public static CollectorFixture start(
            EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topics, String... extra) {
        String raw = topics.create("chart.events.raw.v1", 3);
        String invalid = topics.create("chart.events.invalid.v1", 1);
        Map<String, String> config = config(kafka.bootstrapServers(), registry.url(), raw, invalid);
        for (int i = 0; i + 1 < extra.length; i += 2) {
            config.put(extra[i], extra[i + 1]);
        }
        CollectorServer server =
                CollectorServer.start(new CollectorConfig(config)).awaitPrepared(Duration.ofSeconds(30));
        return new CollectorFixture(server, raw, invalid, kafka, registry);
    }

    public static Map<String, String> config(String bootstrap, String registryUrl, String raw, String invalid) {
        Map<String, String> config = new HashMap<>();
        config.put(CollectorConfig.PORT_CONFIG, "0");
        config.put(CollectorConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(CollectorConfig.REGISTRY_URL_CONFIG, registryUrl);
        config.put(CollectorConfig.RAW_TOPIC_CONFIG, raw);
        config.put(CollectorConfig.INVALID_TOPIC_CONFIG, invalid);
        return config;
    }

    public HttpResponse<String> post(String body, String... headers) {
        return post(body.getBytes(StandardCharsets.UTF_8), headers);
    }

    public HttpResponse<String> post(byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + "/v1/events"))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        boolean typed = false;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (!typed) {
            request.header("Content-Type", "application/json");
        }
        return send(request.build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofSeconds(30))
                .build());
    }

    /** Reads {@code expected} records (or what arrives within the timeout) from a topic, decoded as generic Avro. */
    public List<ConsumerRecord<String, Object>> read(String topic, int expected) {
        return read(kafka, registry, topic, expected, Duration.ofSeconds(20));
    }

    public static List<ConsumerRecord<String, Object>> read(
            EmbeddedKafka kafka, EmbeddedRegistry registry, String topic, int expected, Duration timeout) {
        Map<String, Object> config = new HashMap<>(registry.serdeConfig());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "read-" + topic + "-" + System.nanoTime());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put("specific.avro.reader", true);
        KafkaAvroDeserializer values = new KafkaAvroDeserializer();
        values.configure(config, false);
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config, new StringDeserializer(), values)) {
            consumer.subscribe(List.of(topic));
            return Drain.records(consumer, expected, timeout, Duration.ofMillis(300));
        }
    }

    @Override
    public void close() {
        server.close();
    }

    /** Posts batches to a collector at {@code url}. */
    public record Client(String url) {
        public HttpResponse<String> post(String body) {
            try {
                return HTTP.send(
                        HttpRequest.newBuilder(URI.create(url + "/v1/events"))
                                .timeout(Duration.ofSeconds(30))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
