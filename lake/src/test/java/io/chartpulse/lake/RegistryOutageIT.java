package io.chartpulse.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.embedded.DiscardSinkConnector;
import io.chartpulse.embedded.EmbeddedConnect;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.FreePorts;
import io.chartpulse.embedded.kafka.junit.KafkaExtension;
import io.chartpulse.schemas.SampleRecords;
import io.chartpulse.serde.avro.KafkaAvroSerializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A registry outage must not send valid records to a dead-letter topic. Every shipped connector reads through
 * ChartPulse's AvroConverter, which turns an unreachable registry into a {@code RetriableException}; Connect retries
 * those only for {@code errors.retry.timeout}, whose default (0) means never. On a real Connect worker: records
 * whose schema the converter has not seen arrive while the registry is down; the connector with the error settings
 * of {@code connect-config/connectors} holds them and delivers every one once the registry is back, none to its
 * dead-letter topic — while a control connector with Connect's default retry timeout dead-letters them.
 */
@ExtendWith(KafkaExtension.class)
class RegistryOutageIT {

    static final int RECORDS = 10;

    @Test
    void theShippedErrorSettingsWaitOutARegistryOutageInsteadOfDeadLetteringValidRecords(EmbeddedKafka kafka)
            throws Exception {
        String suffix = Long.toString(System.nanoTime(), 36);
        String topic = "outage.enriched." + suffix;
        String shippedDlq = "outage.dlq.shipped." + suffix;
        String controlDlq = "outage.dlq.control." + suffix;
        kafka.createTopic(topic, 1);
        kafka.createTopic(shippedDlq, 1);
        kafka.createTopic(controlDlq, 1);
        int port = FreePorts.pick();
        String store = "_schemas-outage-" + suffix;

        EmbeddedRegistry registry = EmbeddedRegistry.start(kafka, port, store);
        List<byte[]> values;
        try {
            values = serialize(registry, topic);
        } finally {
            registry.close();
        }
        try (EmbeddedConnect connect =
                EmbeddedConnect.start(kafka, 0, "outage-" + suffix, List.of(LakeStack.pluginPath()), Map.of())) {
            String shipped = "outage-shipped-" + suffix;
            String control = "outage-control-" + suffix;
            Map<String, String> shippedConfig = discard(topic, "http://127.0.0.1:" + port, shippedDlq);
            Map<String, String> controlConfig = discard(topic, "http://127.0.0.1:" + port, controlDlq);
            controlConfig.remove("errors.retry.timeout");
            controlConfig.remove("errors.retry.delay.max.ms");
            ConnectorRuns.create(connect::request, shipped, shippedConfig);
            ConnectorRuns.create(connect::request, control, controlConfig);
            send(kafka, topic, values);

            // Connect's default: the valid records go to the dead-letter topic at once.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(end(kafka, controlDlq)).isEqualTo(RECORDS));
            // The shipped settings: nothing dead-lettered, nothing committed, the task still running.
            Thread.sleep(5_000);
            assertThat(end(kafka, shippedDlq)).isZero();
            assertThat(committed(kafka, "connect-" + shipped, topic)).isZero();
            assertThat(connect.request("GET", "/connectors/" + shipped + "/status", null)
                            .body())
                    .doesNotContain("FAILED");

            registry = EmbeddedRegistry.start(kafka, port, store);
            try {
                Awaitility.await()
                        .atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> assertThat(committed(kafka, "connect-" + shipped, topic))
                                .isEqualTo(RECORDS));
                assertThat(end(kafka, shippedDlq)).isZero();
            } finally {
                registry.close();
            }
        }
    }

    /** The discard sink through the AvroConverter with the error settings of the shipped enriched-events connector. */
    static Map<String, String> discard(String topic, String registryUrl, String dlq) {
        Map<String, String> config = new HashMap<>();
        LakeStack.connectorConfig(LakeTable.ENRICHED_EVENTS).forEach((key, value) -> {
            if (key.startsWith("errors.")) {
                config.put(key, value);
            }
        });
        assertThat(config)
                .as("the shipped connector's error settings")
                .containsEntry("errors.tolerance", "all")
                .containsKey("errors.retry.timeout");
        config.put("errors.deadletterqueue.topic.name", dlq);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("connector.class", DiscardSinkConnector.class.getName());
        config.put("topics", topic);
        config.put("tasks.max", "1");
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "io.chartpulse.serde.connect.AvroConverter");
        config.put("value.converter.schema.registry.url", registryUrl);
        return config;
    }

    static List<byte[]> serialize(EmbeddedRegistry registry, String topic) {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(registry.serdeConfig(), false);
        EnrichedEvent sample = SampleRecords.enrichedEvent();
        return IntStream.range(0, RECORDS)
                .mapToObj(i -> serializer.serialize(
                        topic,
                        EnrichedEvent.newBuilder(sample)
                                .setEventId(new UUID(0x0a7a6e, i))
                                .build()))
                .toList();
    }

    static void send(EmbeddedKafka kafka, String topic, List<byte[]> values) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            values.forEach(v -> producer.send(new ProducerRecord<>(topic, "v", v)));
            producer.flush();
        }
    }

    static long end(EmbeddedKafka kafka, String topic) throws Exception {
        return kafka.admin()
                .listOffsets(Map.of(new TopicPartition(topic, 0), OffsetSpec.latest()))
                .all()
                .get(30, TimeUnit.SECONDS)
                .get(new TopicPartition(topic, 0))
                .offset();
    }

    static long committed(EmbeddedKafka kafka, String group, String topic) throws Exception {
        var offset = kafka.admin()
                .listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS)
                .get(new TopicPartition(topic, 0));
        return offset == null ? 0 : offset.offset();
    }
}
