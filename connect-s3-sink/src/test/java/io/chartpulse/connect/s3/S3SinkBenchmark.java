package io.chartpulse.connect.s3;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.connect.s3.config.S3SinkConfig;
import io.chartpulse.embedded.DiscardSinkConnector;
import io.chartpulse.embedded.EmbeddedConnect;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.EmbeddedS3;
import io.chartpulse.embedded.kafka.DataDirs;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.schemas.SampleRecords;
import io.chartpulse.serde.avro.KafkaAvroSerializer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 sink benchmark: a backlog of raw events (Confluent-framed Avro ChartEvents) on a 2-partition topic goes
 * (a) to a consumer that only reads them, and to a Connect sink that drops them ({@link DiscardSinkConnector}: the
 * same worker, consumer and converter as the real sink), (b) through the sink on a real Connect worker writing the framed Avro as
 * is, and (c) through the same sink fed by the AvroConverter, decoding and re-encoding every record; all into
 * S3Proxy, in one run. A sink's time runs from creating the connector until its committed offsets reach the end of
 * the topic (so every record is in a completed object). Not a test: speed never fails the build.
 *
 * <p>{@code S3SinkBenchmark [events]} (default 1 000 000).
 */
public final class S3SinkBenchmark {

    /** One contender: records per second and megabytes (of record values) per second. */
    public record Rate(double recordsPerSecond, double megabytesPerSecond, double startupSeconds) {
        String line(String name) {
            return String.format(
                    "  %-26s %,10.0f records/s %8.1f MB/s%s%n",
                    name,
                    recordsPerSecond,
                    megabytesPerSecond,
                    startupSeconds > 0 ? String.format("   (of which %.1f s until the task ran)", startupSeconds) : "");
        }
    }

    /** The three contenders of one run, and the records each sink left in the bucket. */
    public record Result(
            int events,
            long bytes,
            Rate consumeOnly,
            Rate connectDiscard,
            Rate passThrough,
            Rate reencode,
            long archivedPassThrough,
            long archivedReencode) {
        public String report() {
            return String.format(
                            "S3 sink benchmark (%d cores, Java %s): %,d records, %.0f bytes each%n",
                            Runtime.getRuntime().availableProcessors(),
                            System.getProperty("java.version"),
                            events,
                            (double) bytes / events)
                    + consumeOnly.line("consume only (consumer)")
                    + connectDiscard.line("consume only (Connect)")
                    + passThrough.line("sink, framed Avro as is")
                    + reencode.line("sink, decode + re-encode")
                    + String.format(
                            "  pass-through / consumer %.2f, pass-through / Connect discard %.2f, "
                                    + "pass-through / re-encode %.2f%n",
                            passThrough.recordsPerSecond() / consumeOnly.recordsPerSecond(),
                            passThrough.recordsPerSecond() / connectDiscard.recordsPerSecond(),
                            passThrough.recordsPerSecond() / reencode.recordsPerSecond());
        }
    }

    private S3SinkBenchmark() {}

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().start();
                EmbeddedRegistry registry = EmbeddedRegistry.start(kafka, 0, "_schemas");
                // Objects on disk, as a MinIO would keep them (S3Proxy's in-memory store is slower with 500 MB in it).
                EmbeddedS3 s3 = EmbeddedS3.start(0, DataDirs.temporary("bench-s3"));
                EmbeddedConnect connect = EmbeddedConnect.start(
                        kafka, 0, "s3-sink-bench", List.of(ConnectS3Stack.pluginPath()), Map.of())) {
            System.out.print(run(kafka, registry, s3, connect, events).report());
        }
        System.exit(0);
    }

    public static Result run(
            EmbeddedKafka kafka, EmbeddedRegistry registry, EmbeddedS3 s3, EmbeddedConnect connect, int events)
            throws Exception {
        String suffix = Long.toString(System.nanoTime(), 36);
        String topic = "bench.raw." + suffix;
        String bucket = "bench-" + suffix;
        kafka.createTopic(topic, 2);
        s3.createBucket(bucket);
        long bytes = produce(kafka, registry, topic, events);

        Rate consumeOnly = consume(kafka, topic, events, bytes);
        Rate discard = sink(
                kafka,
                connect,
                "bench-discard-" + suffix,
                Map.of(
                        "connector.class",
                        DiscardSinkConnector.class.getName(),
                        "topics",
                        topic,
                        "tasks.max",
                        "1",
                        "consumer.override.max.poll.records",
                        "2000"),
                topic,
                events,
                bytes);
        Map<String, String> config = ConnectS3Stack.baseConfig(s3, bucket, topic, registry.url());
        config.put(S3SinkConfig.FLUSH_SIZE, "50000");
        config.put(S3SinkConfig.AVRO_CODEC, "null");
        config.put("consumer.override.max.poll.records", "2000");
        config.put(S3SinkConfig.TOPICS_DIR, "as-is");
        Rate passThrough = sink(kafka, connect, "bench-as-is-" + suffix, config, topic, events, bytes);
        config.put(S3SinkConfig.TOPICS_DIR, "reencode");
        config.put("value.converter", "io.chartpulse.serde.connect.AvroConverter");
        config.put("value.converter.schema.registry.url", registry.url());
        Rate reencode = sink(kafka, connect, "bench-reencode-" + suffix, config, topic, events, bytes);
        try (S3Client client = s3.client()) {
            return new Result(
                    events,
                    bytes,
                    consumeOnly,
                    discard,
                    passThrough,
                    reencode,
                    archived(client, bucket, "as-is/"),
                    archived(client, bucket, "reencode/"));
        }
    }

    private static long produce(EmbeddedKafka kafka, EmbeddedRegistry registry, String topic, int events) {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(registry.serdeConfig(), false);
        ChartEvent sample = SampleRecords.chartEvent();
        long bytes = 0;
        Instant start = Instant.now().minus(Duration.ofHours(2));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.LINGER_MS_CONFIG,
                        20,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        256 * 1024,
                        ProducerConfig.COMPRESSION_TYPE_CONFIG,
                        "lz4"),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < events; i++) {
                Instant t = start.plusMillis(i * 5L);
                ChartEvent e = ChartEvent.newBuilder(sample)
                        .setEventId(UUID.randomUUID())
                        .setAnonymousId("visitor-" + (i % 50_000))
                        .setCreatedAt(t)
                        .setSentAt(t)
                        .setReceivedAt(t)
                        .build();
                byte[] value = serializer.serialize(topic, e);
                bytes += value.length;
                producer.send(new ProducerRecord<>(topic, null, t.toEpochMilli(), e.getAnonymousId(), value));
            }
        }
        return bytes;
    }

    private static Rate consume(EmbeddedKafka kafka, String topic, int events, long bytes) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        2000),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            long started = System.nanoTime();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long seen = 0;
            long sum = 0;
            while (seen < events) {
                for (var r : consumer.poll(Duration.ofMillis(100))) {
                    seen++;
                    sum += r.value().length;
                }
            }
            return rate(events, sum, System.nanoTime() - started, 0);
        }
    }

    private static Rate sink(
            EmbeddedKafka kafka,
            EmbeddedConnect connect,
            String name,
            Map<String, String> config,
            String topic,
            int events,
            long bytes) {
        long started = System.nanoTime();
        ConnectS3Stack.createConnector(connect, name, config);
        long running = System.nanoTime() - started;
        ConnectS3Stack.awaitCommitted(kafka, name, topic, 2, Duration.ofMinutes(30));
        long elapsed = System.nanoTime() - started;
        ConnectS3Stack.deleteConnector(connect, name);
        return rate(events, bytes, elapsed, running / 1e9);
    }

    private static Rate rate(int events, long bytes, long nanos, double startup) {
        double seconds = nanos / 1e9;
        return new Rate(events / seconds, bytes / 1e6 / seconds, startup);
    }

    private static long archived(S3Client client, String bucket, String prefix) throws IOException {
        long count = 0;
        for (byte[] file : ConnectS3Stack.objects(client, bucket, prefix).values()) {
            count += ConnectS3Stack.avroRecords(file).size();
        }
        return count;
    }
}
