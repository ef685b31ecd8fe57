package io.chartpulse.connect.s3.format;

import io.chartpulse.serde.WireFormat;
import io.chartpulse.serde.registry.SchemaRegistryClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Reads a field (a dotted path) of a record's value, whatever form the value has: Connect data (a Struct or a Map)
 * or Confluent-framed Avro bytes. For bytes only the top-level field on the path is decoded: Avro's schema
 * resolution with a one-field reader schema skips the rest, so partitioning by a field does not cost a full decode.
 */
public final class FieldReader {

    private final SchemaRegistryClient registry;
    private final Map<String, GenericDatumReader<GenericRecord>> projections = new ConcurrentHashMap<>();
    private BinaryDecoder decoder;

    public FieldReader(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    /** The value at {@code path}; null if the field is there but null. */
    public Object read(SinkRecord record, String path) {
        Object value = record.value();
        if (value == null) {
            throw new DataException("Record " + where(record) + " has a null value: no field " + path);
        }
        String[] names = path.split("\\.");
        Object current = value instanceof byte[] bytes
                ? topLevel(record, bytes, names[0])
                : child(record, value, names[0], path);
        for (int i = 1; i < names.length; i++) {
            if (current == null) {
                return null;
            }
            current = child(record, current, names[i], path);
        }
        return current instanceof CharSequence chars ? chars.toString() : current;
    }

    private Object child(SinkRecord record, Object parent, String name, String path) {
        if (parent instanceof Struct struct) {
            if (struct.schema().field(name) == null) {
                throw new DataException("Record " + where(record) + " has no field " + path);
            }
            return struct.get(name);
        }
        if (parent instanceof GenericRecord avro) {
            if (!avro.hasField(name)) {
                throw new DataException("Record " + where(record) + " has no field " + path);
            }
            return avro.get(name);
        }
        if (parent instanceof Map<?, ?> map) {
            if (!map.containsKey(name)) {
                throw new DataException("Record " + where(record) + " has no field " + path);
            }
            return map.get(name);
        }
        throw new DataException("Record " + where(record) + ": cannot read field " + path + " of a "
                + parent.getClass().getSimpleName());
    }

    private Object topLevel(SinkRecord record, byte[] bytes, String name) {
        if (registry == null) {
            throw new DataException("Reading field " + name + " of Avro bytes needs schema.registry.url");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int id;
        try {
            id = WireFormat.readId(buffer, where(record));
        } catch (RuntimeException e) {
            throw new DataException(e.getMessage(), e);
        }
        GenericDatumReader<GenericRecord> reader =
                projections.computeIfAbsent(id + "/" + name, k -> projection(id, name, record));
        try {
            decoder = DecoderFactory.get().binaryDecoder(bytes, buffer.position(), buffer.remaining(), decoder);
            return reader.read(null, decoder).get(name);
        } catch (IOException | RuntimeException e) {
            throw new DataException("Record " + where(record) + " is not valid Avro of schema " + id + ": " + e, e);
        }
    }

    private GenericDatumReader<GenericRecord> projection(int id, String name, SinkRecord record) {
        Schema writer = registry.byId(id);
        if (writer.getType() != Schema.Type.RECORD || writer.getField(name) == null) {
            throw new DataException("Record " + where(record) + " (schema " + id + ", " + writer.getFullName()
                    + ") has no field " + name);
        }
        Schema.Field field = writer.getField(name);
        Schema reader = Schema.createRecord(
                writer.getName(),
                null,
                writer.getNamespace(),
                false,
                List.of(new Schema.Field(field.name(), field.schema(), null, (Object) null)));
        return new GenericDatumReader<>(writer, reader);
    }

    public static String where(SinkRecord record) {
        return record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
    }
}
