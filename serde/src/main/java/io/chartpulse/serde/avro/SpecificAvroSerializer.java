package io.chartpulse.serde.avro;

import io.chartpulse.serde.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/** Typed serializer for generated classes; same behaviour and settings as {@link KafkaAvroSerializer}. */
public class SpecificAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private final KafkaAvroSerializer inner;

    public SpecificAvroSerializer() {
        this.inner = new KafkaAvroSerializer();
    }

    public SpecificAvroSerializer(SchemaRegistryClient client) {
        this.inner = new KafkaAvroSerializer(client);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        inner.configure(configs, isKey);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return inner.serialize(topic, data);
    }
}
