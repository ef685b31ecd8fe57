package io.chartpulse.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.chartpulse.avro.ChartEvent;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.junit.StackExtension;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.junit.TestTopics;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** An accepted event is in Kafka, even when the collector process is killed right after answering. */
@ExtendWith(StackExtension.class)
class CollectorDurabilityIT {

    @Test
    void everyAcceptedEventIsInTheTopicAfterTheCollectorIsKilled(
            EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topics, @TempDir Path dir) throws Exception {
        String raw = topics.create("chart.events.raw.v1", 3);
        String invalid = topics.create("chart.events.invalid.v1", 1);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean posting = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try (CollectorProcess collector = CollectorProcess.start(
                Map.of(
                        CollectorConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        CollectorConfig.REGISTRY_URL_CONFIG,
                        registry.url(),
                        CollectorConfig.RAW_TOPIC_CONFIG,
                        raw,
                        CollectorConfig.INVALID_TOPIC_CONFIG,
                        invalid,
                        CollectorConfig.RATE_LIMIT_CONFIG,
                        "0"),
                dir.resolve("collector.log"))) {
            for (int t = 0; t < 4; t++) {
                clients.submit(() -> {
                    while (posting.get()) {
                        ArrayNode batch = TrackerEvents.batch(20);
                        try {
                            HttpResponse<String> response = CollectorFixture.HTTP.send(
                                    HttpRequest.newBuilder(URI.create(collector.url + "/v1/events"))
                                            .header("Content-Type", "application/json")
                                            .POST(HttpRequest.BodyPublishers.ofString(batch.toString()))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() == 200) {
                                for (JsonNode event : batch) {
                                    acknowledged.add(event.get("event_id").asText());
                                }
                            }
                        } catch (Exception connectionLost) {
                            return null;
                        }
                    }
                    return null;
                });
            }
            Thread.sleep(2_000);
            collector.kill();
            posting.set(false);
        } finally {
            clients.shutdown();
            clients.awaitTermination(30, TimeUnit.SECONDS);
        }

        assertThat(acknowledged)
                .as("the collector accepted events before it was killed")
                .hasSizeGreaterThan(100);
        List<String> inTopic =
                CollectorFixture.read(kafka, registry, raw, acknowledged.size(), Duration.ofSeconds(30)).stream()
                        .map(r -> ((ChartEvent) r.value()).getEventId().toString())
                        .toList();
        assertThat(Set.copyOf(inTopic)).containsAll(acknowledged);
    }
}
