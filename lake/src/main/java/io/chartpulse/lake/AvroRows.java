package io.chartpulse.lake;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Converts an Avro record into a row of a lake table, by field name and under the rules of {@link AvroToIceberg}:
 * times become {@code OffsetDateTime} in UTC, enums their symbol, strings and UUIDs {@code String}, nested
 * records {@link Record}s. The batch jobs write their rows with it, so a row they write reads like one the sink
 * wrote. A table column the Avro record lacks stays null; an Avro field the table lacks is left out.
 */
public final class AvroRows {

    private AvroRows() {}

    /** The row of {@code struct} holding {@code avro}'s values. */
    public static Record toRow(IndexedRecord avro, Types.StructType struct) {
        GenericRecord row = GenericRecord.create(struct);
        Schema schema = avro.getSchema();
        List<Types.NestedField> fields = struct.fields();
        for (int i = 0; i < fields.size(); i++) {
            Types.NestedField column = fields.get(i);
            Schema.Field field = schema.getField(column.name());
            if (field != null) {
                row.set(i, value(avro.get(field.pos()), column.type(), column.name()));
            }
        }
        return row;
    }

    private static Object value(Object avro, Type type, String path) {
        if (avro == null) {
            return null;
        }
        return switch (type.typeId()) {
            case STRUCT -> toRow((IndexedRecord) avro, type.asStructType());
            case STRING -> avro.toString(); // Utf8, String, an enum symbol or a UUID
            case TIMESTAMP ->
                (avro instanceof Instant t ? t : Instant.ofEpochMilli((Long) avro)).atOffset(ZoneOffset.UTC);
            case LIST -> {
                Type element = type.asListType().elementType();
                List<Object> out = new ArrayList<>();
                for (Object item : (Iterable<?>) avro) {
                    out.add(value(item, element, path + "[]"));
                }
                yield out;
            }
            case MAP -> {
                Type valueType = type.asMapType().valueType();
                Map<String, Object> out = new LinkedHashMap<>();
                ((Map<?, ?>) avro).forEach((k, v) -> out.put(k.toString(), value(v, valueType, path + "{}")));
                yield out;
            }
            case BINARY, FIXED -> avro instanceof ByteBuffer b ? b.duplicate() : ByteBuffer.wrap((byte[]) avro);
            case INTEGER, LONG, DOUBLE, FLOAT, BOOLEAN -> avro;
            default ->
                throw new IllegalArgumentException(
                        path + ": no conversion of " + avro.getClass().getSimpleName() + " into " + type);
        };
    }
}
