package io.chartpulse.serde.avro;

import io.chartpulse.serde.WireFormat;
import io.chartpulse.serde.registry.RegistryRestException;
import io.chartpulse.serde.registry.RegistryUnavailableException;
import io.chartpulse.serde.registry.SchemaRegistryClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads Confluent-framed Avro: the writer schema comes from the registry by id, the reader schema is the caller's
 * (a generated class's, or the writer's for generic reading), and Avro's schema resolution bridges the two.
 * Datum readers are cached per (writer id, reader schema). Thread-safe.
 */
public final class FramedAvroReader {

    /** A decoded value with the id and schema it was written with. */
    public record Decoded(int schemaId, Schema writerSchema, Object value) {}

    private record ReaderKey(int id, Schema reader, GenericData model) {}

    private final SchemaRegistryClient client;
    private final Map<ReaderKey, DatumReader<Object>> readers = new ConcurrentHashMap<>();

    public FramedAvroReader(SchemaRegistryClient client) {
        this.client = client;
    }

    /**
     * Decodes {@code bytes}.
     *
     * @param readerSchema the schema to read into; null reads with the writer's schema
     * @param model        the data model (specific, generic with logical types, or plain generic)
     */
    public Decoded read(String topic, byte[] bytes, Schema readerSchema, GenericData model) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int id = WireFormat.readId(buffer, "topic " + topic);
        Schema writer = writerSchema(topic, id);
        Schema reader = readerSchema == null ? writer : readerSchema;
        try {
            DatumReader<Object> datumReader = readers.computeIfAbsent(
                    new ReaderKey(id, reader, model), key -> datumReader(writer, key.reader(), key.model()));
            Object value = datumReader.read(
                    null, DecoderFactory.get().binaryDecoder(bytes, buffer.position(), buffer.remaining(), null));
            if (value instanceof CharSequence text && writer.getType() == Schema.Type.STRING) {
                value = text.toString();
            }
            return new Decoded(id, writer, value);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "Cannot decode Avro record from topic " + topic + " written with schema id " + id + " ("
                            + writer.getFullName() + ") as " + reader.getFullName() + ": " + e,
                    e);
        }
    }

    /** The reader schema of the generated class named like {@code writer}, for specific reading. */
    static Schema specificReaderSchema(Schema writer, String topic) {
        if (writer.getType() != Schema.Type.RECORD
                && writer.getType() != Schema.Type.ENUM
                && writer.getType() != Schema.Type.FIXED) {
            return writer;
        }
        Class<?> type = SpecificData.get().getClass(writer);
        if (type == null) {
            throw new SerializationException("specific.avro.reader is set but no generated class "
                    + writer.getFullName() + " is on the classpath (record from topic " + topic + ")");
        }
        return SpecificData.get().getSchema(type);
    }

    /**
     * The writer schema of id {@code id}. An id the registry answers 404 for is bad data (a
     * {@link SerializationException}); any other failure to get it (no answer, 5xx, a refusal such as 401/403) is
     * the registry's problem, not the record's, and surfaces as {@link RegistryUnavailableException} so callers can
     * retry rather than reject a valid record.
     */
    Schema writerSchema(String topic, int id) {
        try {
            return client.byId(id);
        } catch (RegistryRestException e) {
            if (e.status() == 404) {
                throw new SerializationException(
                        "Unknown schema id " + id + " in record from topic " + topic
                                + ": the registry does not know it (" + e.getMessage() + ")",
                        e);
            }
            throw new RegistryUnavailableException(
                    "The schema registry refused to give schema id " + id + " for a record from topic " + topic + ": "
                            + e.getMessage(),
                    e);
        } catch (RegistryUnavailableException e) {
            throw new RegistryUnavailableException(
                    "Cannot fetch schema id " + id + " for a record from topic " + topic + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static DatumReader<Object> datumReader(Schema writer, Schema reader, GenericData model) {
        return (DatumReader<Object>) model.createDatumReader(writer, reader);
    }
}
