package io.chartpulse.serde.avro;

import io.chartpulse.serde.WireFormat;
import io.chartpulse.serde.registry.SchemaRegistryClient;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Typed deserializer for one generated class: every record is resolved from its writer schema into {@code T}'s
 * schema, whatever compatible version wrote it. Without a class it reads the class named like the writer schema.
 */
public class SpecificAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private final Class<T> type;
    private SchemaRegistryClient client;
    private FramedAvroReader reader;

    /** Reads the generated class named like each record's writer schema. */
    public SpecificAvroDeserializer() {
        this(null, null);
    }

    /** Reads every record into {@code type}. */
    public SpecificAvroDeserializer(Class<T> type) {
        this(type, null);
    }

    public SpecificAvroDeserializer(Class<T> type, SchemaRegistryClient client) {
        this.type = type;
        this.client = client;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (client == null) {
            client = new SchemaRegistryClient(new AvroSerdeConfig(configs).registrySettings());
        }
        reader = new FramedAvroReader(client);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] data) {
        if (reader == null) {
            throw new SerializationException("SpecificAvroDeserializer is not configured: call configure() with "
                    + AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG + " first");
        }
        if (data == null) {
            return null;
        }
        Schema readerSchema;
        Class<?> target;
        if (type != null) {
            target = type;
            readerSchema = SpecificData.get().getSchema(type);
        } else {
            Schema writer = reader.writerSchema(topic, WireFormat.readId(ByteBuffer.wrap(data), "topic " + topic));
            readerSchema = FramedAvroReader.specificReaderSchema(writer, topic);
            target = SpecificData.get().getClass(readerSchema);
        }
        return (T) reader.read(topic, data, readerSchema, SpecificData.getForClass(target))
                .value();
    }
}
