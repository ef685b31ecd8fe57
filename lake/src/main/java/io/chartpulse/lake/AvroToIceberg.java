package io.chartpulse.lake;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Field;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;

/**
 * The Iceberg schema of a ChartPulse Avro record, as the lake's tables declare it. The rules are those of the values
 * the sink receives through ChartPulse's {@code AvroConverter}, so every record converts without loss:
 *
 * <ul>
 *   <li>{@code timestamp-millis} and {@code timestamp-micros} longs are {@code timestamptz} (the contracts' times are
 *       instants in UTC);
 *   <li>enums are strings (their symbol), {@code uuid} strings stay strings, so every engine reads them as text;
 *   <li>nested records are structs, maps are {@code map<string, …>}, arrays are lists;
 *   <li>a {@code ["null", X]} union is an optional X; any other field is required. A required column becomes
 *       optional when a later schema makes its field nullable (the sink's schema evolution does that), never the
 *       other way round.
 * </ul>
 *
 * Field ids are assigned in declaration order; Iceberg reassigns fresh ids when it creates the table, and
 * everything afterwards resolves columns by id.
 */
public final class AvroToIceberg {

    private AvroToIceberg() {}

    /** The Iceberg schema of {@code record}, an Avro record schema. */
    public static org.apache.iceberg.Schema schema(Schema record) {
        if (record.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("A table schema comes from an Avro record, not " + record.getType());
        }
        AtomicInteger ids = new AtomicInteger();
        return new org.apache.iceberg.Schema(fields(record, ids, record.getName()));
    }

    private static List<NestedField> fields(Schema record, AtomicInteger ids, String path) {
        List<NestedField> fields = new ArrayList<>();
        for (Field field : record.getFields()) {
            Schema type = field.schema();
            boolean optional = isNullable(type);
            Type iceberg = type(nonNull(type, path + "." + field.name()), ids, path + "." + field.name());
            int id = ids.incrementAndGet();
            fields.add(
                    optional
                            ? NestedField.optional(id, field.name(), iceberg, field.doc())
                            : NestedField.required(id, field.name(), iceberg, field.doc()));
        }
        return fields;
    }

    private static Type type(Schema avro, AtomicInteger ids, String path) {
        return switch (avro.getType()) {
            case RECORD -> Types.StructType.of(fields(avro, ids, path));
            case ENUM, STRING -> Types.StringType.get();
            case BOOLEAN -> Types.BooleanType.get();
            case INT -> Types.IntegerType.get();
            case LONG -> isTimestamp(avro.getLogicalType()) ? Types.TimestampType.withZone() : Types.LongType.get();
            case FLOAT -> Types.FloatType.get();
            case DOUBLE -> Types.DoubleType.get();
            case BYTES -> Types.BinaryType.get();
            case FIXED -> Types.FixedType.ofLength(avro.getFixedSize());
            case ARRAY -> {
                Schema items = avro.getElementType();
                Type element = type(nonNull(items, path + "[]"), ids, path + "[]");
                int id = ids.incrementAndGet();
                yield isNullable(items)
                        ? Types.ListType.ofOptional(id, element)
                        : Types.ListType.ofRequired(id, element);
            }
            case MAP -> {
                Schema values = avro.getValueType();
                Type value = type(nonNull(values, path + "{}"), ids, path + "{}");
                int keyId = ids.incrementAndGet();
                int valueId = ids.incrementAndGet();
                yield isNullable(values)
                        ? Types.MapType.ofOptional(keyId, valueId, Types.StringType.get(), value)
                        : Types.MapType.ofRequired(keyId, valueId, Types.StringType.get(), value);
            }
            case UNION, NULL ->
                throw new IllegalArgumentException(path + ": only [\"null\", X] unions map to a column, not " + avro);
        };
    }

    private static boolean isNullable(Schema schema) {
        return schema.getType() == Schema.Type.UNION
                && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
    }

    private static Schema nonNull(Schema schema, String path) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        List<Schema> branches = schema.getTypes().stream()
                .filter(s -> s.getType() != Schema.Type.NULL)
                .toList();
        if (branches.size() != 1) {
            throw new IllegalArgumentException(path + ": only [\"null\", X] unions map to a column, not " + schema);
        }
        return branches.get(0);
    }

    private static boolean isTimestamp(LogicalType logical) {
        return logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.TimestampMicros;
    }
}
