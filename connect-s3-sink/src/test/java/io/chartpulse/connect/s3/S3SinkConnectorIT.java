package io.chartpulse.connect.s3;

import static io.chartpulse.connect.s3.ConnectS3Stack.avroRecords;
import static io.chartpulse.connect.s3.ConnectS3Stack.avroSchema;
import static io.chartpulse.connect.s3.ConnectS3Stack.awaitCommitted;
import static io.chartpulse.connect.s3.ConnectS3Stack.baseConfig;
import static io.chartpulse.connect.s3.ConnectS3Stack.createConnector;
import static io.chartpulse.connect.s3.ConnectS3Stack.objects;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chartpulse.avro.ChartEvent;
import io.chartpulse.connect.s3.config.S3SinkConfig;
import io.chartpulse.embedded.EmbeddedConnect;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.EmbeddedS3;
import io.chartpulse.embedded.junit.StackExtension;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.junit.TestTopics;
import io.chartpulse.schemas.SampleRecords;
import io.chartpulse.serde.avro.KafkaAvroSerializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import javax.management.AttributeNotFoundException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The connector on a real Connect worker that loads it from the plugin directory the build made, a real broker, the
 * real registry and S3Proxy; objects are read back with Avro's DataFileReader and Jackson and compared with what was
 * produced.
 */
@ExtendWith(StackExtension.class)
class S3SinkConnectorIT {

    private static final String BUCKET = "chartpulse-lake";
    private static EmbeddedS3 s3;
    private static S3Client client;
    private static EmbeddedConnect connect;

    @BeforeAll
    static void start(EmbeddedKafka kafka) {
        s3 = EmbeddedS3.start(0, null);
        s3.createBucket(BUCKET);
        client = s3.client();
        connect = EmbeddedConnect.start(kafka, 0, "s3-sink-it", List.of(ConnectS3Stack.pluginPath()), Map.of());
    }

    @AfterAll
    static void stop() {
        connect.close();
        client.close();
        s3.close();
    }

    /** A plugin metric of a connector, summed over its tasks' JMX beans (other plugins' beans lack it). */
    private static double pluginMetric(String connector, String attribute) throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        double sum = 0;
        for (ObjectName bean :
                jmx.queryNames(new ObjectName("kafka.connect:type=plugins,connector=" + connector + ",*"), null)) {
            try {
                sum += ((Number) jmx.getAttribute(bean, attribute)).doubleValue();
            } catch (AttributeNotFoundException other) {
                // another plugin's bean
            }
        }
        return sum;
    }

    /** Produces {@code count} raw events round-robin over the partitions; returns their event ids per partition. */
    private static Map<Integer, List<String>> produce(
            EmbeddedKafka kafka,
            EmbeddedRegistry registry,
            String topic,
            int partitions,
            int count,
            Instant from,
            Duration step) {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(registry.serdeConfig(), false);
        Map<Integer, List<String>> ids = new HashMap<>();
        try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
            for (int i = 0; i < count; i++) {
                Instant t = from.plus(step.multipliedBy(i));
                ChartEvent e = ChartEvent.newBuilder(SampleRecords.chartEvent())
                        .setEventId(UUID.randomUUID())
                        .setCreatedAt(t)
                        .setSentAt(t)
                        .setReceivedAt(t)
                        .build();
                int partition = i % partitions;
                ids.computeIfAbsent(partition, p -> new ArrayList<>())
                        .add(e.getEventId().toString());
                producer.send(new ProducerRecord<>(
                        topic, partition, t.toEpochMilli(), e.getAnonymousId(), serializer.serialize(topic, e)));
            }
        }
        return ids;
    }

    private static KafkaProducer<String, byte[]> producer(EmbeddedKafka kafka) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.LINGER_MS_CONFIG,
                        5),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    /**
     * Asserts the archive under {@code prefix} holds each produced event exactly once, and that every object holds
     * records of one partition in offset order, named by the offset of its first record.
     */
    private static void assertExactlyOnce(String prefix, Map<Integer, List<String>> produced) throws Exception {
        Map<String, byte[]> objects = objects(client, BUCKET, prefix);
        assertThat(objects).isNotEmpty();
        List<String> archived = new ArrayList<>();
        for (Map.Entry<String, byte[]> object : objects.entrySet()) {
            String name = object.getKey().substring(object.getKey().lastIndexOf('/') + 1);
            String[] parts = name.substring(0, name.indexOf('.')).split("\\+");
            int partition = Integer.parseInt(parts[1]);
            long start = Long.parseLong(parts[2]);
            assertThat(parts[2]).hasSize(10);
            List<String> inPartition = produced.get(partition);
            List<GenericRecord> records = avroRecords(object.getValue());
            assertThat(records).as(object.getKey()).isNotEmpty();
            assertThat(records.get(0).get("event_id").toString())
                    .as("first record of " + name)
                    .isEqualTo(inPartition.get((int) start));
            int last = -1;
            for (GenericRecord r : records) {
                int index = inPartition.indexOf(r.get("event_id").toString());
                assertThat(index).as("offset order in " + name).isGreaterThan(last);
                last = index;
                archived.add(r.get("event_id").toString());
            }
        }
        List<String> expected = produced.values().stream().flatMap(List::stream).toList();
        assertThat(archived).as("no duplicates").doesNotHaveDuplicates();
        assertThat(archived).as("no gaps").containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void archivesFramedAvroAsItIsInEventTimePartitions(
            EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topics) throws Exception {
        JsonNode plugins = ConnectS3Stack.JSON.readTree(
                connect.request("GET", "/connector-plugins", null).body());
        assertThat(plugins.findValuesAsText("class")).contains(S3SinkConnector.class.getName());

        String topic = topics.create("raw", 2);
        Instant from = Instant.parse("2026-11-26T08:30:00Z");
        Map<Integer, List<String>> produced = produce(kafka, registry, topic, 2, 1_000, from, Duration.ofSeconds(7));
        Map<String, String> config = baseConfig(s3, BUCKET, topic, registry.url());
        config.put(S3SinkConfig.TOPICS_DIR, "it-avro");
        config.put(S3SinkConfig.PARTITIONER, "time");
        config.put(S3SinkConfig.TIMESTAMP_EXTRACTOR, "RecordField");
        config.put(S3SinkConfig.TIMESTAMP_FIELD, "received_at");
        config.put(S3SinkConfig.FLUSH_SIZE, "150");
        config.put(S3SinkConfig.ROTATE_INTERVAL, "3600000");
        config.put(S3SinkConfig.AVRO_CODEC, "zstandard");
        createConnector(connect, "it-avro", config);
        awaitCommitted(kafka, "it-avro", topic, 2, Duration.ofSeconds(60));

        assertExactlyOnce("it-avro/" + topic + "/", produced);
        Map<String, byte[]> objects = objects(client, BUCKET, "it-avro/");
        assertThat(objects.keySet())
                .allMatch(k -> k.matches(
                        "it-avro/" + topic + "/dt=2026-11-26/hr=(08|09|10)/" + topic + "\\+[01]\\+\\d{10}\\.avro"));
        assertThat(objects.keySet()).anyMatch(k -> k.contains("hr=08")).anyMatch(k -> k.contains("hr=09"));
        byte[] first = objects.values().iterator().next();
        assertThat(avroSchema(first)).isEqualTo(ChartEvent.getClassSchema());
        assertThat(ConnectS3Stack.avroCodec(first)).isEqualTo("zstandard");

        assertThat(ManagementFactory.getPlatformMBeanServer()
                        .queryNames(new ObjectName("kafka.connect:type=plugins,connector=it-avro,*"), null))
                .isNotEmpty();
        assertThat(pluginMetric("it-avro", "files-committed-total")).isEqualTo(objects.size());
        ConnectS3Stack.deleteConnector(connect, "it-avro");
    }

    @Test
    void writesJsonLinesFromConnectDataThroughTheAvroConverter(
            EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topics) throws Exception {
        String topic = topics.create("raw-json", 1);
        Map<Integer, List<String>> produced =
                produce(kafka, registry, topic, 1, 120, Instant.parse("2026-11-26T08:00:00Z"), Duration.ofSeconds(1));
        Map<String, String> config = baseConfig(s3, BUCKET, topic, registry.url());
        config.put("value.converter", "io.chartpulse.serde.connect.AvroConverter");
        config.put("value.converter.schema.registry.url", registry.url());
        config.put(S3SinkConfig.TOPICS_DIR, "it-json");
        config.put(S3SinkConfig.FORMAT, "jsonl");
        config.put(S3SinkConfig.COMPRESSION, "gzip");
        config.put(S3SinkConfig.PARTITIONER, "field");
        config.put(S3SinkConfig.PARTITION_FIELDS, "event_type,chart.chart_id");
        config.put(S3SinkConfig.FLUSH_SIZE, "50");
        createConnector(connect, "it-json", config);
        awaitCommitted(kafka, "it-json", topic, 1, Duration.ofSeconds(60));

        Map<String, byte[]> objects = objects(client, BUCKET, "it-json/");
        assertThat(objects.keySet())
                .containsExactly(
                        "it-json/" + topic + "/event_type=OUTBOUND_CLICK/chart.chart_id=laptops-2026/" + topic
                                + "+0+0000000000.jsonl.gz",
                        "it-json/" + topic + "/event_type=OUTBOUND_CLICK/chart.chart_id=laptops-2026/" + topic
                                + "+0+0000000050.jsonl.gz",
                        "it-json/" + topic + "/event_type=OUTBOUND_CLICK/chart.chart_id=laptops-2026/" + topic
                                + "+0+0000000100.jsonl.gz");
        List<String> archived = new ArrayList<>();
        for (byte[] gz : objects.values()) {
            String text = new String(
                    new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes(), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                JsonNode event = ConnectS3Stack.JSON.readTree(line);
                archived.add(event.get("event_id").asText());
                assertThat(event.get("received_at").asText()).startsWith("2026-11-26T08:");
                assertThat(event.get("product").get("rank").isInt()).isTrue();
            }
        }
        assertThat(archived).containsExactlyElementsOf(produced.get(0));
        ConnectS3Stack.deleteConnector(connect, "it-json");
    }

    @Test
    void restartsWorkerChangesAndAnS3OutageLeaveExactlyTheInput(
            EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topics) throws Exception {
        String topic = topics.create("raw-crash", 2);
        Map<String, String> config = baseConfig(s3, BUCKET, topic, registry.url());
        config.put(S3SinkConfig.TOPICS_DIR, "it-crash");
        config.put(S3SinkConfig.FLUSH_SIZE, "40");
        config.put("consumer.override.max.poll.records", "25");
        Instant from = Instant.parse("2026-11-26T08:00:00Z");
        Map<Integer, List<String>> produced = new HashMap<>();
        Consumer<Map<Integer, List<String>>> add = more -> more.forEach(
                (p, ids) -> produced.computeIfAbsent(p, k -> new ArrayList<>()).addAll(ids));

        // A worker of its own, so it can be stopped mid-stream; a second one takes over, as after a crash.
        EmbeddedConnect first =
                EmbeddedConnect.start(kafka, 0, "s3-sink-crash", List.of(ConnectS3Stack.pluginPath()), Map.of());
        add.accept(produce(kafka, registry, topic, 2, 300, from, Duration.ofSeconds(1)));
        createConnector(first, "it-crash", config);
        // Read while the sink writes: a key S3Proxy lists may be gone when it is read (seen once in a CI run: 404
        // NoSuchKey on a listed key), so that poll just counts as "not yet".
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .ignoreException(NoSuchKeyException.class)
                .until(() -> !objects(client, BUCKET, "it-crash/").isEmpty());
        // The task restarts mid-stream: open files are dropped, their records come again from the committed offsets.
        assertThat(first.request("POST", "/connectors/it-crash/tasks/0/restart", null)
                        .statusCode())
                .isIn(200, 202, 204);
        add.accept(produce(kafka, registry, topic, 2, 300, from.plusSeconds(300), Duration.ofSeconds(1)));
        first.close();

        EmbeddedConnect second =
                EmbeddedConnect.start(kafka, 0, "s3-sink-crash", List.of(ConnectS3Stack.pluginPath()), Map.of());
        try {
            ConnectS3Stack.awaitRunning(second, "it-crash");
            // S3 refuses writes for a while: the task retries, nothing is lost or doubled.
            s3.failWrites(true);
            int refusedBefore = s3.refusedWrites();
            add.accept(produce(kafka, registry, topic, 2, 300, from.plusSeconds(600), Duration.ofSeconds(1)));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> s3.refusedWrites() > refusedBefore + 3);
            s3.failWrites(false);
            awaitCommitted(kafka, "it-crash", topic, 2, Duration.ofSeconds(90));
            assertThat(ConnectS3Stack.status(second, "it-crash")
                            .path("tasks")
                            .get(0)
                            .path("state")
                            .asText())
                    .isEqualTo("RUNNING");
            assertThat(pluginMetric("it-crash", "upload-errors-total"))
                    .as("failed uploads counted")
                    .isPositive();
        } finally {
            s3.failWrites(false);
            ConnectS3Stack.deleteConnector(second, "it-crash");
            second.close();
        }
        assertExactlyOnce("it-crash/" + topic + "/", produced);
    }

    @Test
    void aCrashBeforeTheOffsetCommitArchivesNothingTwiceUnderClockRotation(
            EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topics) throws Exception {
        String topic = topics.create("raw-clock", 1);
        Map<String, String> config = baseConfig(s3, BUCKET, topic, registry.url());
        config.put(S3SinkConfig.TOPICS_DIR, "it-clock");
        config.put(S3SinkConfig.FLUSH_SIZE, "1000");
        config.put(S3SinkConfig.ROTATE_SCHEDULE, "150");
        config.put("consumer.override.max.poll.records", "20");
        Instant from = Instant.parse("2026-11-26T08:00:00Z");
        Map<Integer, List<String>> produced = new HashMap<>(produce(kafka, registry, topic, 1, 100, from, SECOND));
        createConnector(connect, "it-clock", config);
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .ignoreException(NoSuchKeyException.class)
                .until(() -> !objects(client, BUCKET, "it-clock/").isEmpty());
        produced.get(0)
                .addAll(produce(kafka, registry, topic, 1, 100, from.plusSeconds(100), SECOND)
                        .get(0));
        awaitCommitted(kafka, "it-clock", topic, 1, Duration.ofSeconds(60));
        assertThat(objects(client, BUCKET, "it-clock/"))
                .as("batches cut by the clock")
                .hasSizeGreaterThan(1);
        assertThat(new String(
                        objects(client, BUCKET, "_offsets/it-clock/").get("_offsets/it-clock/" + topic + "+0"),
                        StandardCharsets.UTF_8))
                .isEqualTo("200\n");
        ConnectS3Stack.deleteConnector(connect, "it-clock");
        // As if the worker had died before committing: the group's offset goes back to 0. The next task reads all
        // 200 records again at once and would cut them elsewhere than the first one did.
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .untilAsserted(() -> kafka.admin()
                        .alterConsumerGroupOffsets(
                                "connect-it-clock", Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(0)))
                        .all()
                        .get(10, TimeUnit.SECONDS));
        produced.get(0)
                .addAll(produce(kafka, registry, topic, 1, 50, from.plusSeconds(200), SECOND)
                        .get(0));
        createConnector(connect, "it-clock", config);
        awaitCommitted(kafka, "it-clock", topic, 1, Duration.ofSeconds(60));
        ConnectS3Stack.deleteConnector(connect, "it-clock");
        assertExactlyOnce("it-clock/" + topic + "/", produced);
    }

    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void aSchemaChangeStartsANewFileAndBothReadBack(EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topics)
            throws Exception {
        String topic = topics.create("raw-evolve", 1);
        produce(kafka, registry, topic, 1, 10, Instant.parse("2026-11-26T08:00:00Z"), Duration.ofSeconds(1));
        // The next version adds an optional field (a compatible change the registry accepts).
        Schema v1 = ChartEvent.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        v1.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        fields.add(new Schema.Field(
                "experiment",
                SchemaBuilder.unionOf().nullType().and().stringType().endUnion(),
                null,
                Schema.Field.NULL_DEFAULT_VALUE));
        Schema v2 = Schema.createRecord(v1.getName(), v1.getDoc(), v1.getNamespace(), false, fields);
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(registry.serdeConfig(), false);
        ChartEvent sample = SampleRecords.chartEvent();
        try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
            for (int i = 0; i < 10; i++) {
                GenericRecord e = new GenericData.Record(v2);
                for (Schema.Field f : v1.getFields()) {
                    e.put(f.name(), GenericData.get().deepCopy(f.schema(), toGeneric(sample, f)));
                }
                e.put("event_id", UUID.randomUUID().toString());
                e.put("experiment", "b");
                producer.send(new ProducerRecord<>(topic, 0, null, "k", serializer.serialize(topic, e)));
            }
        }
        Map<String, String> config = baseConfig(s3, BUCKET, topic, registry.url());
        config.put(S3SinkConfig.TOPICS_DIR, "it-evolve");
        config.put(S3SinkConfig.FLUSH_SIZE, "1000");
        createConnector(connect, "it-evolve", config);
        awaitCommitted(kafka, "it-evolve", topic, 1, Duration.ofSeconds(60));

        Map<String, byte[]> objects = objects(client, BUCKET, "it-evolve/");
        assertThat(objects.keySet())
                .containsExactly(
                        "it-evolve/" + topic + "/partition=0/" + topic + "+0+0000000000.avro",
                        "it-evolve/" + topic + "/partition=0/" + topic + "+0+0000000010.avro");
        List<byte[]> files = new ArrayList<>(objects.values());
        assertThat(avroSchema(files.get(0)).getField("experiment")).isNull();
        assertThat(avroRecords(files.get(0))).hasSize(10);
        assertThat(avroSchema(files.get(1)).getField("experiment")).isNotNull();
        assertThat(avroRecords(files.get(1)))
                .hasSize(10)
                .allMatch(r -> "b".equals(String.valueOf(r.get("experiment"))));
        ConnectS3Stack.deleteConnector(connect, "it-evolve");
    }

    // A field of a specific record as generic data (enums and records re-encoded through their schemas).
    private static Object toGeneric(ChartEvent sample, Schema.Field f) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<ChartEvent>(ChartEvent.getClassSchema()).write(sample, encoder);
        encoder.flush();
        GenericRecord generic = new GenericDatumReader<GenericRecord>(ChartEvent.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        return generic.get(f.name());
    }

    @Test
    void recordsTheSinkCannotWriteGoToTheDeadLetterTopic(
            EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topics) throws Exception {
        String topic = topics.create("raw-bad", 1);
        String dlq = topics.create("raw-bad-dlq", 1);
        Map<Integer, List<String>> produced =
                produce(kafka, registry, topic, 1, 5, Instant.parse("2026-11-26T08:00:00Z"), Duration.ofSeconds(1));
        try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
            producer.send(new ProducerRecord<>(topic, 0, "k", "not avro".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(topic, 0, "k", new byte[] {0, 0, 0, 0x7f, 0x7f, 1, 2}));
        }
        produced.get(0)
                .addAll(produce(
                                kafka,
                                registry,
                                topic,
                                1,
                                5,
                                Instant.parse("2026-11-26T08:10:00Z"),
                                Duration.ofSeconds(1))
                        .get(0));
        Map<String, String> config = baseConfig(s3, BUCKET, topic, registry.url());
        config.put(S3SinkConfig.TOPICS_DIR, "it-bad");
        config.put(S3SinkConfig.FLUSH_SIZE, "1000");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", dlq);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        createConnector(connect, "it-bad", config);
        awaitCommitted(kafka, "it-bad", topic, 1, Duration.ofSeconds(60));

        List<String> archived = new ArrayList<>();
        for (byte[] file : objects(client, BUCKET, "it-bad/").values()) {
            avroRecords(file).forEach(r -> archived.add(r.get("event_id").toString()));
        }
        // The offsets in the names leave out the bad records' offsets 5 and 6: the second file starts at 7.
        assertThat(archived).containsExactlyElementsOf(produced.get(0));
        List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "dlq-reader"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(dlq));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(dead::add);
                return dead.size() >= 2;
            });
        }
        assertThat(dead)
                .extracting(r -> new String(r.value(), StandardCharsets.ISO_8859_1))
                .startsWith("not avro");
        assertThat(new String(
                        dead.get(0)
                                .headers()
                                .lastHeader("__connect.errors.exception.message")
                                .value(),
                        StandardCharsets.UTF_8))
                .contains("magic byte");
        assertThat(ConnectS3Stack.status(connect, "it-bad")
                        .path("tasks")
                        .get(0)
                        .path("state")
                        .asText())
                .isEqualTo("RUNNING");
        ConnectS3Stack.deleteConnector(connect, "it-bad");
    }

    @Test
    void validationNamesTheKeyThatIsWrong() throws Exception {
        Map<String, String> config = new HashMap<>(Map.of(
                "connector.class",
                S3SinkConnector.class.getName(),
                "topics",
                "t",
                S3SinkConfig.BUCKET,
                "b",
                S3SinkConfig.PARTITIONER,
                "field",
                S3SinkConfig.AVRO_CODEC,
                "lzma"));
        JsonNode result = ConnectS3Stack.JSON.readTree(connect.request(
                        "PUT",
                        "/connector-plugins/S3SinkConnector/config/validate",
                        ConnectS3Stack.JSON.writeValueAsString(config))
                .body());
        assertThat(result.path("error_count").asInt()).as(result.toString()).isPositive();
        Map<String, String> errors = new HashMap<>();
        result.path("configs").forEach(c -> {
            if (!c.path("value").path("errors").isEmpty()) {
                errors.put(
                        c.path("value").path("name").asText(),
                        c.path("value").path("errors").toString());
            }
        });
        assertThat(errors).containsKey(S3SinkConfig.AVRO_CODEC);
        config.put(S3SinkConfig.AVRO_CODEC, "snappy");
        result = ConnectS3Stack.JSON.readTree(connect.request(
                        "PUT",
                        "/connector-plugins/S3SinkConnector/config/validate",
                        ConnectS3Stack.JSON.writeValueAsString(config))
                .body());
        assertThat(result.toString()).contains(S3SinkConfig.PARTITION_FIELDS).contains("needs at least one field");
    }
}
