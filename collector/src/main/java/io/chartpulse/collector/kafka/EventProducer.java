package io.chartpulse.collector.kafka;

import io.chartpulse.avro.RejectedEvent;
import io.chartpulse.serde.avro.KafkaAvroSerializer;
import io.chartpulse.serde.registry.SchemaRegistryClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The collector's producer: idempotent, {@code acks=all}, lz4-compressed, short linger. Values are Avro in the
 * Confluent wire format, encoded by {@link KafkaAvroSerializer} on the calling thread; the schemas are registered
 * once in {@link #prepare()}, so the request path never waits for the registry. Topic metadata is fetched up
 * front and kept (long idle expiry), so {@code send} does not block the event loop in normal operation; when it
 * would (buffer full, metadata missing), it fails within {@code max.block.ms} and the request answers 503.
 */
public final class EventProducer implements AutoCloseable {

    /** One record to write. */
    public record Outgoing(String topic, String key, byte[] value) {}

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaAvroSerializer serializer;
    private final SchemaRegistryClient registry;
    private final String rawTopic;
    private final Schema rawSchema;
    private final String invalidTopic;
    private final KafkaClientMetrics metrics;
    private volatile int rawSchemaId = -1;

    public EventProducer(
            Map<String, Object> kafka,
            Map<String, Object> serde,
            SchemaRegistryClient registry,
            String rawTopic,
            Schema rawSchema,
            String invalidTopic,
            MeterRegistry meters) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 250);
        config.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, Duration.ofDays(1).toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "chartpulse-collector");
        config.putAll(kafka);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        this.registry = registry;
        this.serializer = new KafkaAvroSerializer(registry);
        this.serializer.configure(serde, false);
        this.rawTopic = rawTopic;
        this.rawSchema = rawSchema;
        this.invalidTopic = invalidTopic;
        this.metrics = new KafkaClientMetrics(producer);
        this.metrics.bindTo(meters);
    }

    /**
     * Registers the value schemas of both topics and fetches their metadata; blocking, retried by the caller until
     * it succeeds. Throws when Kafka or the registry is not reachable.
     */
    public void prepare() {
        rawSchemaId = registry.register(rawTopic + "-value", rawSchema);
        registry.register(invalidTopic + "-value", RejectedEvent.getClassSchema());
        producer.partitionsFor(rawTopic);
        producer.partitionsFor(invalidTopic);
    }

    /** Encodes a value for {@code topic} in the wire format (schema id from the warm cache). */
    public byte[] encode(String topic, Object value) {
        return serializer.serialize(topic, value);
    }

    /** The ChartEvent schema accepted events are written with. */
    public Schema rawSchema() {
        return rawSchema;
    }

    /** The registry id of ChartEvent under the raw topic's subject; known once {@link #prepare()} succeeded. */
    public int rawSchemaId() {
        return rawSchemaId;
    }

    public String rawTopic() {
        return rawTopic;
    }

    public String invalidTopic() {
        return invalidTopic;
    }

    /**
     * Sends every record and calls {@code done} once, from a producer thread, with null when Kafka acknowledged
     * them all or with the first failure.
     */
    public void sendAll(List<Outgoing> records, Consumer<Exception> done) {
        if (records.isEmpty()) {
            done.accept(null);
            return;
        }
        AtomicInteger pending = new AtomicInteger(records.size());
        Exception[] firstFailure = new Exception[1];
        for (Outgoing record : records) {
            try {
                producer.send(new ProducerRecord<>(record.topic(), record.key(), record.value()), (metadata, error) -> {
                    if (error != null) {
                        synchronized (firstFailure) {
                            if (firstFailure[0] == null) {
                                firstFailure[0] = error;
                            }
                        }
                    }
                    if (pending.decrementAndGet() == 0) {
                        done.accept(firstFailure[0]);
                    }
                });
            } catch (RuntimeException e) {
                // send() itself failed (buffer full, metadata missing within max.block.ms): count the rest as failed.
                synchronized (firstFailure) {
                    if (firstFailure[0] == null) {
                        firstFailure[0] = e;
                    }
                }
                if (pending.decrementAndGet() == 0) {
                    done.accept(firstFailure[0]);
                }
            }
        }
    }

    @Override
    public void close() {
        metrics.close();
        producer.close(Duration.ofSeconds(10));
    }
}
