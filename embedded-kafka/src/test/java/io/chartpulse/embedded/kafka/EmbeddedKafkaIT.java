package io.chartpulse.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chartpulse.embedded.kafka.junit.Drain;
import io.chartpulse.embedded.kafka.junit.KafkaExtension;
import io.chartpulse.embedded.kafka.junit.TestTopics;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaExtension.class)
class EmbeddedKafkaIT {

    @Test
    void sharedBrokerIsOneInstancePerJvm(EmbeddedKafka first, EmbeddedKafka second) {
        assertThat(first).isSameAs(second);
    }

    @Test
    void freshTopicsPerTestAreDistinct(TestTopics topics, EmbeddedKafka kafka) {
        String a = topics.create("chart.events.raw.v1", 3);
        String b = topics.create("chart.events.raw.v1", 3);

        assertThat(a).isNotEqualTo(b).startsWith("chart.events.raw.v1-");
        assertThat(kafka.topics()).contains(a, b);
    }

    @Test
    void transactionalWritesAreVisibleToReadCommittedConsumersOnlyWhenCommitted(
            EmbeddedKafka kafka, TestTopics topics) {
        String topic = topics.create("tx", 2);
        try (KafkaProducer<String, String> producer =
                producer(kafka, Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + topic))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted"));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed"));
            producer.commitTransaction();
        }

        assertThat(readAll(kafka, topic, 1)).extracting(ConsumerRecord::value).containsExactly("committed");
    }

    @Test
    void persistentDataDirectoryKeepsTopicsAndRecordsAcrossRestarts(@TempDir Path dir) {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dir).start()) {
            kafka.createTopic("kept", 1);
            try (KafkaProducer<String, String> producer = producer(kafka, Map.of())) {
                producer.send(new ProducerRecord<>("kept", "k", "v1"));
                producer.flush();
            }
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dir).start()) {
            assertThat(kafka.topics()).contains("kept");
            assertThat(readAll(kafka, "kept", 1))
                    .extracting(ConsumerRecord::value)
                    .containsExactly("v1");
        }
        assertThat(dir).exists();
    }

    @Test
    void takenPortIsReportedByNumber() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> EmbeddedKafka.builder().port(port).start())
                    .isInstanceOf(FreePorts.PortInUseException.class)
                    .hasMessageContaining("Port " + port)
                    .hasMessageContaining("Kafka");
        }
    }

    static KafkaProducer<String, String> producer(EmbeddedKafka kafka, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true));
        config.putAll(extra);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    static List<ConsumerRecord<String, String>> readAll(EmbeddedKafka kafka, String topic, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "read-" + topic + "-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            // The poll after the expected ones proves nothing further arrives (an aborted record leaking through).
            return Drain.records(consumer, expected, Duration.ofSeconds(30), Duration.ofMillis(500));
        }
    }
}
