package io.chartpulse.serde.avro;

import io.chartpulse.serde.WireFormat;
import io.chartpulse.serde.registry.SchemaRegistryClient;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer for Confluent-framed Avro. Returns {@code GenericRecord}s (or primitives) by default, and the
 * generated {@code SpecificRecord} class named like the writer schema with {@code specific.avro.reader=true}; data
 * written with an older or newer compatible schema is resolved into the reader's schema. {@code null} stays
 * {@code null}. Wrong magic byte, unknown schema id and an unreachable registry are {@link SerializationException}s
 * naming the topic.
 */
public class KafkaAvroDeserializer implements Deserializer<Object> {

    private SchemaRegistryClient client;
    private FramedAvroReader reader;
    private boolean specific;
    private boolean logicalTypes;

    public KafkaAvroDeserializer() {}

    public KafkaAvroDeserializer(SchemaRegistryClient client) {
        this.client = client;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        if (client == null) {
            client = new SchemaRegistryClient(config.registrySettings());
        }
        reader = new FramedAvroReader(client);
        specific = config.getBoolean(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG);
        logicalTypes = config.getBoolean(AvroSerdeConfig.USE_LOGICAL_TYPE_CONVERTERS_CONFIG);
    }

    @Override
    public Object deserialize(String topic, byte[] data) {
        if (reader == null) {
            throw new SerializationException("KafkaAvroDeserializer is not configured: call configure() with "
                    + AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG + " first");
        }
        if (data == null) {
            return null;
        }
        if (!specific) {
            return reader.read(topic, data, null, AvroModels.generic(logicalTypes))
                    .value();
        }
        Schema writer = reader.writerSchema(topic, WireFormat.readId(ByteBuffer.wrap(data), "topic " + topic));
        Schema readerSchema = FramedAvroReader.specificReaderSchema(writer, topic);
        GenericData model = readerSchema == writer
                ? AvroModels.generic(logicalTypes)
                : SpecificData.getForClass(SpecificData.get().getClass(readerSchema));
        return reader.read(topic, data, readerSchema, model).value();
    }
}
