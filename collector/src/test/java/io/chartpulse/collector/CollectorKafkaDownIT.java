package io.chartpulse.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.junit.StackExtension;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.FreePorts;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** With Kafka gone the collector answers 503 with Retry-After, and recovers by itself when Kafka returns. */
@ExtendWith(StackExtension.class)
class CollectorKafkaDownIT {

    @Test
    void answers503WhileKafkaIsDownAndRecoversWhenItReturns(EmbeddedRegistry registry, @TempDir Path dir)
            throws Exception {
        int port = FreePorts.pick();
        int controller = FreePorts.pick();
        EmbeddedKafka kafka = start(dir, port, controller);
        kafka.createTopic("raw", 1);
        kafka.createTopic("invalid", 1);
        Map<String, String> config =
                CollectorFixture.config(kafka.bootstrapServers(), registry.url(), "raw", "invalid");
        config.put(CollectorConfig.PRODUCE_TIMEOUT_CONFIG, "2000");
        config.put(CollectorConfig.RETRY_AFTER_CONFIG, "3");
        config.put("kafka.reconnect.backoff.max.ms", "500");
        try (CollectorServer server =
                CollectorServer.start(new CollectorConfig(config)).awaitPrepared(Duration.ofSeconds(30))) {
            CollectorFixture.Client client = new CollectorFixture.Client("http://127.0.0.1:" + server.port());
            assertThat(client.post(TrackerEvents.batch(5).toString()).statusCode())
                    .isEqualTo(200);

            kafka.close();
            long started = System.nanoTime();
            HttpResponse<String> down = client.post(TrackerEvents.batch(5).toString());
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.headers().firstValue("Retry-After")).hasValue("3");
            assertThat(down.body()).contains("kafka_unavailable");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));

            kafka = start(dir, port, controller);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> client.post(TrackerEvents.batch(5).toString()).statusCode() == 200);
        } finally {
            kafka.close();
        }
    }

    private static EmbeddedKafka start(Path dir, int port, int controller) {
        return EmbeddedKafka.builder()
                .dataDir(dir)
                .port(port)
                .controllerPort(controller)
                .start();
    }
}
