package io.chartpulse.connect.s3.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chartpulse.serde.WireFormat;
import io.chartpulse.serde.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * A record's value as one line of JSON: Connect data (Struct, Map, List, primitives) or Confluent-framed Avro (decoded
 * with its writer schema). Times (Connect Timestamp, Avro timestamp-millis/micros) become ISO-8601 strings, bytes
 * base64, enums their symbol, Avro unions the plain value.
 */
public final class JsonValues {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final SchemaRegistryClient registry;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);

    public JsonValues(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    public byte[] line(SinkRecord record) throws IOException {
        buffer.reset();
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(buffer)) {
            Object value = record.value();
            if (value instanceof byte[] bytes
                    && bytes.length > 0
                    && bytes[0] == WireFormat.MAGIC_BYTE
                    && registry != null) {
                ByteBuffer in = ByteBuffer.wrap(bytes);
                int id = WireFormat.readId(in, FieldReader.where(record));
                Schema schema = registry.byId(id);
                Object datum;
                try {
                    datum = new GenericDatumReader<>(schema)
                            .read(null, DecoderFactory.get().binaryDecoder(bytes, in.position(), in.remaining(), null));
                } catch (IOException | RuntimeException e) {
                    throw new DataException(
                            "Record " + FieldReader.where(record) + " is not valid Avro of schema " + id, e);
                }
                avro(json, schema, datum);
            } else {
                connect(json, value);
            }
        }
        return buffer.toByteArray();
    }

    private static void connect(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Struct struct) {
            json.writeStartObject();
            for (Field field : struct.schema().fields()) {
                json.writeFieldName(field.name());
                connect(json, struct.get(field));
            }
            json.writeEndObject();
        } else if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                json.writeFieldName(String.valueOf(e.getKey()));
                connect(json, e.getValue());
            }
            json.writeEndObject();
        } else if (value instanceof Collection<?> list) {
            json.writeStartArray();
            for (Object item : list) {
                connect(json, item);
            }
            json.writeEndArray();
        } else if (value instanceof Date date) {
            json.writeString(date.toInstant().toString());
        } else if (value instanceof byte[] bytes) {
            json.writeString(Base64.getEncoder().encodeToString(bytes));
        } else if (value instanceof ByteBuffer bytes) {
            json.writeString(Base64.getEncoder().encodeToString(toArray(bytes)));
        } else if (value instanceof Number || value instanceof Boolean) {
            MAPPER.writeValue(json, value);
        } else {
            json.writeString(value.toString());
        }
    }

    private static void avro(JsonGenerator json, Schema schema, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
            return;
        }
        LogicalType logical = schema.getLogicalType();
        switch (schema.getType()) {
            case UNION -> avro(json, schema.getTypes().get(GenericData.get().resolveUnion(schema, value)), value);
            case RECORD -> {
                GenericRecord record = (GenericRecord) value;
                json.writeStartObject();
                for (Schema.Field field : schema.getFields()) {
                    json.writeFieldName(field.name());
                    avro(json, field.schema(), record.get(field.pos()));
                }
                json.writeEndObject();
            }
            case MAP -> {
                json.writeStartObject();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                    json.writeFieldName(e.getKey().toString());
                    avro(json, schema.getValueType(), e.getValue());
                }
                json.writeEndObject();
            }
            case ARRAY -> {
                json.writeStartArray();
                for (Object item : (Collection<?>) value) {
                    avro(json, schema.getElementType(), item);
                }
                json.writeEndArray();
            }
            case LONG -> {
                long v = (Long) value;
                if (logical instanceof LogicalTypes.TimestampMillis) {
                    json.writeString(Instant.ofEpochMilli(v).toString());
                } else if (logical instanceof LogicalTypes.TimestampMicros) {
                    json.writeString(
                            Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000L), Math.floorMod(v, 1_000_000L) * 1000L)
                                    .toString());
                } else {
                    json.writeNumber(v);
                }
            }
            case INT -> json.writeNumber((Integer) value);
            case FLOAT -> json.writeNumber((Float) value);
            case DOUBLE -> json.writeNumber((Double) value);
            case BOOLEAN -> json.writeBoolean((Boolean) value);
            case BYTES -> json.writeString(Base64.getEncoder().encodeToString(toArray((ByteBuffer) value)));
            case FIXED -> json.writeString(Base64.getEncoder().encodeToString(((GenericFixed) value).bytes()));
            case ENUM -> json.writeString(((GenericEnumSymbol<?>) value).toString());
            default -> json.writeString(value.toString());
        }
    }

    private static byte[] toArray(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
