package io.chartpulse.serde.avro;

import io.chartpulse.serde.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka Streams serde for a generated class. {@code new SpecificAvroSerde<>(ChartEvent.class)} reads every record
 * into {@code ChartEvent}, whichever compatible schema version wrote it; the no-argument form (for
 * {@code default.value.serde}) reads the class named like the writer schema.
 */
public class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final SpecificAvroSerializer<T> serializer;
    private final SpecificAvroDeserializer<T> deserializer;

    public SpecificAvroSerde() {
        this(null, null);
    }

    public SpecificAvroSerde(Class<T> type) {
        this(type, null);
    }

    /** Shares a registry client (and its caches) with other serdes of the application. */
    public SpecificAvroSerde(Class<T> type, SchemaRegistryClient client) {
        this.serializer = client == null ? new SpecificAvroSerializer<>() : new SpecificAvroSerializer<>(client);
        this.deserializer = new SpecificAvroDeserializer<>(type, client);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
