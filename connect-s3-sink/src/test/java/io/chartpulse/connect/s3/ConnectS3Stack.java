package io.chartpulse.connect.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chartpulse.connect.s3.config.S3SinkConfig;
import io.chartpulse.embedded.ConnectRest;
import io.chartpulse.embedded.EmbeddedConnect;
import io.chartpulse.embedded.EmbeddedS3;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Helpers of the connector's integration tests and benchmark: the plugin directory, connectors, the bucket. */
final class ConnectS3Stack {

    static final ObjectMapper JSON = new ObjectMapper();

    private ConnectS3Stack() {}

    /** The plugin directory the build assembles (target/plugin), for plugin.path. */
    static Path pluginPath() {
        Path plugin = Path.of("target", "plugin");
        if (!Files.isDirectory(plugin.resolve("chartpulse-connect-s3-sink").resolve("lib"))) {
            throw new IllegalStateException("No plugin directory at " + plugin.toAbsolutePath()
                    + ": run the package phase first (./mvnw -pl connect-s3-sink package)");
        }
        return plugin;
    }

    /** The connector settings every test starts from: this endpoint, path-style, dev credentials. */
    static Map<String, String> baseConfig(EmbeddedS3 s3, String bucket, String topic, String registryUrl) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", S3SinkConnector.class.getName());
        config.put("topics", topic);
        config.put("tasks.max", "1");
        config.put(S3SinkConfig.BUCKET, bucket);
        config.put(S3SinkConfig.ENDPOINT, s3.endpoint());
        config.put(S3SinkConfig.PATH_STYLE, "true");
        config.put(S3SinkConfig.ACCESS_KEY, EmbeddedS3.ACCESS_KEY);
        config.put(S3SinkConfig.SECRET_KEY, EmbeddedS3.SECRET_KEY);
        config.put(S3SinkConfig.REGISTRY_URL, registryUrl);
        config.put(S3SinkConfig.RETRY_BACKOFF, "200");
        // A batch's tail reaches S3 when its partition goes quiet.
        config.put(S3SinkConfig.ROTATE_SCHEDULE, "2000");
        config.put("consumer.override.max.poll.records", "500");
        return config;
    }

    static void createConnector(EmbeddedConnect connect, String name, Map<String, String> config) {
        try {
            var response = connect.request("PUT", "/connectors/" + name + "/config", JSON.writeValueAsString(config));
            assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        awaitRunning(connect, name);
    }

    static void awaitRunning(EmbeddedConnect connect, String name) {
        ConnectRest.awaitRunning(connect::request, name, Duration.ofSeconds(60));
    }

    static JsonNode status(EmbeddedConnect connect, String name) throws IOException {
        return JSON.readTree(
                connect.request("GET", "/connectors/" + name + "/status", null).body());
    }

    static void deleteConnector(EmbeddedConnect connect, String name) {
        connect.request("DELETE", "/connectors/" + name, null);
    }

    /** Waits until the connector's consumer group has committed the end of every partition of {@code topic}. */
    static void awaitCommitted(EmbeddedKafka kafka, String connector, String topic, int partitions, Duration atMost) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            Map<TopicPartition, Long> end = new HashMap<>();
            kafka.admin()
                    .listOffsets(latest)
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .forEach((tp, info) -> end.put(tp, info.offset()));
            Map<TopicPartition, OffsetAndMetadata> committed = kafka.admin()
                    .listConsumerGroupOffsets("connect-" + connector)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            end.forEach((tp, offset) -> assertThat(
                            committed.get(tp) == null ? -1 : committed.get(tp).offset())
                    .as("committed offset of " + tp)
                    .isEqualTo(offset));
        });
    }

    /** Every object under {@code prefix}, key → content, in key order. */
    static Map<String, byte[]> objects(S3Client client, String bucket, String prefix) {
        Map<String, byte[]> objects = new TreeMap<>();
        for (S3Object o : client.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix))
                .contents()) {
            objects.put(
                    o.key(),
                    client.getObjectAsBytes(r -> r.bucket(bucket).key(o.key())).asByteArray());
        }
        return objects;
    }

    /** The records of an Avro container file, read with Avro's own DataFileReader. */
    static List<GenericRecord> avroRecords(byte[] file) throws IOException {
        List<GenericRecord> records = new ArrayList<>();
        try (DataFileReader<GenericRecord> reader =
                new DataFileReader<>(new SeekableByteArrayInput(file), new GenericDatumReader<>())) {
            reader.forEach(records::add);
        }
        return records;
    }

    static Schema avroSchema(byte[] file) throws IOException {
        try (DataFileReader<GenericRecord> reader =
                new DataFileReader<>(new SeekableByteArrayInput(file), new GenericDatumReader<>())) {
            return reader.getSchema();
        }
    }

    static String avroCodec(byte[] file) throws IOException {
        try (DataFileReader<GenericRecord> reader =
                new DataFileReader<>(new SeekableByteArrayInput(file), new GenericDatumReader<>())) {
            return reader.getMetaString("avro.codec");
        }
    }
}
