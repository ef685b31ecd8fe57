package io.chartpulse.streams.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.EventType;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.junit.StackExtension;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.FreePorts;
import io.chartpulse.embedded.kafka.junit.TestTopics;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streams app jar when what it depends on fails: a registry outage is waited out (never a rejection), and a
 * thread that keeps crashing turns {@code /healthz} red instead of looping behind a green one.
 */
@ExtendWith(StackExtension.class)
class StreamsFaultsIT {

    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @Test
    void aRegistryOutageStallsTheAppAndEveryEventIsEnrichedOnceWhenItIsBack(
            EmbeddedKafka kafka, TestTopics topicNames, @TempDir Path dir) throws Exception {
        StreamsIt.Topics t = StreamsIt.topics(topicNames, 2);
        int registryPort = FreePorts.pick();
        String store = topicNames.unique("_schemas-outage");
        List<ChartEvent> events = StreamsIt.events(300, Instant.now(), EventType.PAGE_VIEW);
        // Written with a schema id this app has never seen, by a registry that then goes away.
        try (EmbeddedRegistry registry = EmbeddedRegistry.start(kafka, registryPort, store)) {
            StreamsIt.produce(kafka, registry, t.raw(), events);
        }
        EmbeddedRegistry back = null;
        Map<String, String> config =
                StreamsIt.config(kafka, null, t, "outage-" + UUID.randomUUID(), dir.resolve("state"), FreePorts.pick());
        config.put(StreamsAppConfig.REGISTRY_URL_CONFIG, "http://127.0.0.1:" + registryPort);
        // Shorter than the outage: the thread waits in place, gives up, is replaced and waits again.
        config.put(StreamsAppConfig.MAX_STALL_CONFIG, "8000");
        String url = "http://127.0.0.1:" + config.get(StreamsAppConfig.PORT_CONFIG);
        try (StreamsProcess app = StreamsProcess.start(config, log("outage"))) {
            long outageEnds = System.nanoTime() + OUTAGE.toNanos();
            await().atMost(Duration.ofSeconds(40))
                    .pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .untilAsserted(() -> {
                        HttpResponse<String> ready = StreamsIt.get(url + "/readyz");
                        assertThat(ready.statusCode()).isEqualTo(503);
                        assertThat(ready.body()).contains("\"stalled\"").contains("schema-registry");
                    });
            while (System.nanoTime() < outageEnds) {
                assertThat(StreamsIt.get(url + "/healthz").statusCode())
                        .as("an outage of the registry is not a reason to restart the app")
                        .isEqualTo(200);
                Thread.sleep(1000);
            }
            assertThat(count(kafka, t.invalid(), Duration.ofSeconds(2)))
                    .as("nothing rejected")
                    .isZero();

            back = EmbeddedRegistry.start(kafka, registryPort, store);
            List<EnrichedEvent> out = StreamsIt.readCommitted(kafka, back, t.enriched(), 300, Duration.ofSeconds(90));
            assertThat(out).hasSize(300);
            assertThat(out.stream().map(e -> e.getEventId().toString()).distinct())
                    .hasSize(300);
            assertThat(count(kafka, t.invalid(), Duration.ofSeconds(2))).isZero();
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> StreamsIt.get(url + "/readyz").statusCode() == 200);
            String metrics = StreamsIt.get(url + "/metrics").body();
            assertThat(metrics)
                    .doesNotContain("chartpulse_streams_events_rejected_total")
                    .contains("chartpulse_streams_dependency_stalled 0.0")
                    .containsPattern("chartpulse_streams_dependency_stalls_total [1-9]")
                    .containsPattern(
                            "chartpulse_streams_thread_failures_total\\{kind=\"dependency_outage\"[^}]*} [1-9]")
                    .containsPattern("chartpulse_streams_thread_failures_total\\{kind=\"crash\"[^}]*} 0.0");
        } finally {
            if (back != null) {
                back.close();
            }
        }
    }

    @Test
    void aThreadThatKeepsFailingMakesHealthFailWithTheCauseInReadiness(
            EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topicNames, @TempDir Path dir) throws Exception {
        StreamsIt.Topics t = StreamsIt.topics(topicNames, 1);
        // A misconfigured output: no enriched event fits the topic's record limit, so every attempt fails.
        String tiny = topicNames.create("chart.events.enriched.tiny", 1, Map.of("max.message.bytes", "64"));
        StreamsIt.Topics broken =
                new StreamsIt.Topics(t.raw(), tiny, t.invalid(), t.catalog(), t.sessions(), t.metrics(), t.erasure());
        StreamsIt.produce(kafka, registry, t.raw(), StreamsIt.events(5, Instant.now(), EventType.PAGE_VIEW));
        Map<String, String> config = StreamsIt.config(
                kafka, registry, broken, "crash-" + UUID.randomUUID(), dir.resolve("state"), FreePorts.pick());
        config.put(StreamsAppConfig.MAX_REPLACEMENTS_CONFIG, "1");
        // Kafka Streams' consumers do not leave the group on close, so each replacement waits for the dead
        // thread's session to time out (45 s by default); 10 s keeps two crashes well within the test's wait.
        config.put("streams.consumer.session.timeout.ms", "10000");
        String url = "http://127.0.0.1:" + config.get(StreamsAppConfig.PORT_CONFIG);
        try (StreamsProcess app = StreamsProcess.start(config, log("crash-loop"))) {
            await().atMost(Duration.ofSeconds(120))
                    .ignoreExceptions()
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> StreamsIt.get(url + "/healthz").statusCode() == 503);
            HttpResponse<String> health = StreamsIt.get(url + "/healthz");
            assertThat(health.body()).contains("RecordTooLargeException");
            HttpResponse<String> ready = StreamsIt.get(url + "/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"kind\":\"crash\"").contains("RecordTooLargeException");
            assertThat(StreamsIt.get(url + "/metrics").body())
                    .containsPattern("chartpulse_streams_thread_failures_total\\{kind=\"crash\"[^}]*} 2.0");
        }
    }

    // Kept after the run, for a failure to be read: target/streams-faults-it/<name>.log.
    private static Path log(String name) throws IOException {
        Path dir = Path.of("target", "streams-faults-it");
        Files.createDirectories(dir);
        return dir.resolve(name + ".log");
    }

    private static int count(EmbeddedKafka kafka, String topic, Duration wait) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "count-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_uncommitted"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            int n = 0;
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline) {
                n += consumer.poll(Duration.ofMillis(200)).count();
            }
            return n;
        }
    }
}
