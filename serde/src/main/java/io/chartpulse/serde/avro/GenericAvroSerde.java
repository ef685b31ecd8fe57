package io.chartpulse.serde.avro;

import io.chartpulse.serde.registry.SchemaRegistryClient;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka Streams serde for {@link GenericRecord}s, read with their writer schema. */
public class GenericAvroSerde implements Serde<GenericRecord> {

    private final KafkaAvroSerializer serializer;
    private final KafkaAvroDeserializer deserializer;

    public GenericAvroSerde() {
        this.serializer = new KafkaAvroSerializer();
        this.deserializer = new KafkaAvroDeserializer();
    }

    public GenericAvroSerde(SchemaRegistryClient client) {
        this.serializer = new KafkaAvroSerializer(client);
        this.deserializer = new KafkaAvroDeserializer(client);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> generic = new HashMap<>(configs);
        generic.put(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, false);
        serializer.configure(generic, isKey);
        deserializer.configure(generic, isKey);
    }

    @Override
    public Serializer<GenericRecord> serializer() {
        return (topic, data) -> serializer.serialize(topic, data);
    }

    @Override
    public Deserializer<GenericRecord> deserializer() {
        return (topic, data) -> (GenericRecord) deserializer.deserialize(topic, data);
    }
}
