package io.chartpulse.serde.avro;

import io.chartpulse.serde.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer writing Avro in the Confluent wire format: {@code SpecificRecord}s, {@code GenericRecord}s and
 * primitives (String, Integer, Long, Float, Double, Boolean, byte[]). {@code null} is written as {@code null}, so
 * tombstones survive. Configure it like Confluent's ({@code schema.registry.url}, {@code auto.register.schemas},
 * {@code use.latest.version}, {@code value.subject.name.strategy}, ...; see {@link AvroSerdeConfig}). Every failure
 * is a {@link SerializationException} naming the topic and subject.
 */
public class KafkaAvroSerializer implements Serializer<Object> {

    private SchemaRegistryClient client;
    private FramedAvroWriter writer;

    /** For Kafka's reflective construction; call {@link #configure} before use. */
    public KafkaAvroSerializer() {}

    /** Shares a registry client (and its caches) with other serdes; {@link #configure} is still required. */
    public KafkaAvroSerializer(SchemaRegistryClient client) {
        this.client = client;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        if (client == null) {
            client = new SchemaRegistryClient(config.registrySettings());
        }
        writer = new FramedAvroWriter(client, config, isKey);
    }

    @Override
    public byte[] serialize(String topic, Object data) {
        if (writer == null) {
            throw new SerializationException("KafkaAvroSerializer is not configured: call configure() with "
                    + AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG + " first");
        }
        return writer.write(topic, data);
    }
}
