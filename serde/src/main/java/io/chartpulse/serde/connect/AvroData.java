package io.chartpulse.serde.connect;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Translates between Avro and Kafka Connect's data model, both ways, for schemas and values:
 *
 * <table>
 *   <caption>Mapping</caption>
 *   <tr><th>Avro</th><th>Connect</th></tr>
 *   <tr><td>record</td><td>STRUCT, named like the record, version from the registry</td></tr>
 *   <tr><td>["null", T]</td><td>optional T</td></tr>
 *   <tr><td>enum</td><td>STRING with the enum's name and symbols as parameters</td></tr>
 *   <tr><td>array, map</td><td>ARRAY, MAP with STRING keys</td></tr>
 *   <tr><td>timestamp-millis, timestamp-micros</td><td>{@link Timestamp} (micros truncated to millis)</td></tr>
 *   <tr><td>date, time-millis</td><td>{@link Date}, {@link Time}</td></tr>
 *   <tr><td>decimal (bytes or fixed)</td><td>{@link Decimal} with the precision as a parameter</td></tr>
 *   <tr><td>int, long, float, double, boolean, string, bytes, fixed</td><td>INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING, BYTES, BYTES</td></tr>
 * </table>
 *
 * Parameter names follow Confluent's converter, so Connect schemas look the same to transforms and sinks whichever
 * converter produced them. Unions other than {@code ["null", T]} are refused with a {@link DataException} naming the
 * field. Schemas are cached both ways. Thread-safe.
 */
public final class AvroData {

    public static final String ENUM_PARAMETER = "io.confluent.connect.avro.Enum";
    public static final String DECIMAL_PRECISION_PARAMETER = "connect.decimal.precision";
    static final String CONNECT_VERSION_PROP = "connect.version";
    static final String DEFAULT_RECORD_NAMESPACE = "io.chartpulse.connect";
    private static final int DEFAULT_DECIMAL_PRECISION = 64;

    private record ToConnectKey(org.apache.avro.Schema avro, Integer version) {}

    private final Map<ToConnectKey, Schema> toConnectCache = new ConcurrentHashMap<>();
    private final Map<Schema, org.apache.avro.Schema> toAvroCache = new ConcurrentHashMap<>();

    // ---- Avro → Connect ------------------------------------------------------------------------------------

    /** The Connect schema of an Avro schema; {@code version} (nullable) becomes the top-level struct's version. */
    public Schema toConnectSchema(org.apache.avro.Schema avro, Integer version) {
        return toConnectCache.computeIfAbsent(
                new ToConnectKey(avro, version), key -> toConnect(avro, false, version, avro.getFullName()));
    }

    private Schema toConnect(org.apache.avro.Schema avro, boolean optional, Integer version, String path) {
        if (avro.getType() == org.apache.avro.Schema.Type.UNION) {
            List<org.apache.avro.Schema> branches = avro.getTypes();
            if (branches.size() == 2 && branches.get(0).getType() == org.apache.avro.Schema.Type.NULL) {
                return toConnect(branches.get(1), true, version, path);
            }
            if (branches.size() == 2 && branches.get(1).getType() == org.apache.avro.Schema.Type.NULL) {
                return toConnect(branches.get(0), true, version, path);
            }
            throw new DataException("Field " + path + ": Avro union " + avro + " is not supported; only [\"null\", T]"
                    + " unions map to Connect (as optional T)");
        }
        SchemaBuilder builder = switch (avro.getType()) {
            case RECORD -> {
                SchemaBuilder struct = SchemaBuilder.struct().name(avro.getFullName());
                if (avro.getDoc() != null) {
                    struct.doc(avro.getDoc());
                }
                Object connectVersion = avro.getObjectProp(CONNECT_VERSION_PROP);
                if (version != null) {
                    struct.version(version);
                } else if (connectVersion instanceof Number n) {
                    struct.version(n.intValue());
                }
                for (org.apache.avro.Schema.Field field : avro.getFields()) {
                    struct.field(field.name(), toConnect(field.schema(), false, null, path + "." + field.name()));
                }
                yield struct;
            }
            case ENUM -> {
                SchemaBuilder string =
                        SchemaBuilder.string().name(avro.getFullName()).parameter(ENUM_PARAMETER, avro.getFullName());
                for (String symbol : avro.getEnumSymbols()) {
                    string.parameter(ENUM_PARAMETER + "." + symbol, symbol);
                }
                yield string;
            }
            case ARRAY -> SchemaBuilder.array(toConnect(avro.getElementType(), false, null, path + "[]"));
            case MAP ->
                SchemaBuilder.map(Schema.STRING_SCHEMA, toConnect(avro.getValueType(), false, null, path + "{}"));
            case STRING -> SchemaBuilder.string();
            case BYTES, FIXED ->
                decimal(avro) != null
                        ? Decimal.builder(decimal(avro).getScale())
                                .parameter(
                                        DECIMAL_PRECISION_PARAMETER,
                                        String.valueOf(decimal(avro).getPrecision()))
                        : SchemaBuilder.bytes();
            case INT ->
                avro.getLogicalType() instanceof LogicalTypes.Date
                        ? Date.builder()
                        : avro.getLogicalType() instanceof LogicalTypes.TimeMillis
                                ? Time.builder()
                                : SchemaBuilder.int32();
            case LONG -> isTimestamp(avro.getLogicalType()) ? Timestamp.builder() : SchemaBuilder.int64();
            case FLOAT -> SchemaBuilder.float32();
            case DOUBLE -> SchemaBuilder.float64();
            case BOOLEAN -> SchemaBuilder.bool();
            case NULL, UNION ->
                throw new DataException("Field " + path + ": a bare Avro null type has no Connect equivalent");
        };
        if (optional) {
            builder.optional();
        }
        return builder.build();
    }

    /** The Connect value of an Avro datum read with the plain generic model; {@code schema} from {@link #toConnectSchema}. */
    public Object toConnectValue(Schema schema, org.apache.avro.Schema avro, Object value) {
        if (value == null) {
            return null;
        }
        if (avro.getType() == org.apache.avro.Schema.Type.UNION) {
            avro = avro.getTypes().get(GenericData.get().resolveUnion(avro, value));
        }
        switch (schema.type()) {
            case STRUCT: {
                GenericRecord record = (GenericRecord) value;
                Struct struct = new Struct(schema);
                for (Field field : schema.fields()) {
                    org.apache.avro.Schema.Field avroField = avro.getField(field.name());
                    struct.put(field, toConnectValue(field.schema(), avroField.schema(), record.get(avroField.pos())));
                }
                return struct;
            }
            case ARRAY: {
                List<Object> list = new ArrayList<>();
                for (Object item : (Collection<?>) value) {
                    list.add(toConnectValue(schema.valueSchema(), avro.getElementType(), item));
                }
                return list;
            }
            case MAP: {
                Map<String, Object> map = new HashMap<>();
                org.apache.avro.Schema values = avro.getValueType();
                ((Map<?, ?>) value)
                        .forEach((k, v) -> map.put(k.toString(), toConnectValue(schema.valueSchema(), values, v)));
                return map;
            }
            case STRING:
                return value.toString();
            case BYTES: {
                byte[] bytes = value instanceof GenericFixed fixed ? fixed.bytes() : toArray((ByteBuffer) value);
                if (Decimal.LOGICAL_NAME.equals(schema.name())) {
                    return new BigDecimal(
                            new BigInteger(bytes),
                            Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD)));
                }
                return bytes;
            }
            case INT32:
                if (Date.LOGICAL_NAME.equals(schema.name())) {
                    return new java.util.Date(TimeUnit.DAYS.toMillis((Integer) value));
                }
                if (Time.LOGICAL_NAME.equals(schema.name())) {
                    return new java.util.Date((Integer) value);
                }
                return value;
            case INT64:
                if (Timestamp.LOGICAL_NAME.equals(schema.name())) {
                    long raw = (Long) value;
                    LogicalType logical = avro.getLogicalType();
                    boolean micros = logical instanceof LogicalTypes.TimestampMicros
                            || logical instanceof LogicalTypes.LocalTimestampMicros;
                    return new java.util.Date(micros ? Math.floorDiv(raw, 1000L) : raw);
                }
                return value;
            default:
                return value;
        }
    }

    // ---- Connect → Avro ------------------------------------------------------------------------------------

    /** The Avro schema of a Connect schema. Optional schemas become ["null", T] unions with default null. */
    public org.apache.avro.Schema fromConnectSchema(Schema schema) {
        return toAvroCache.computeIfAbsent(schema, s -> fromConnect(s, new int[] {0}));
    }

    private org.apache.avro.Schema fromConnect(Schema schema, int[] unnamed) {
        org.apache.avro.Schema avro = fromConnectRequired(schema, unnamed);
        return schema.isOptional()
                ? org.apache.avro.Schema.createUnion(
                        org.apache.avro.Schema.create(org.apache.avro.Schema.Type.NULL), avro)
                : avro;
    }

    private org.apache.avro.Schema fromConnectRequired(Schema schema, int[] unnamed) {
        String name = schema.name();
        switch (schema.type()) {
            case STRUCT: {
                String full = name != null ? name : DEFAULT_RECORD_NAMESPACE + ".ConnectDefault" + (++unnamed[0]);
                int dot = full.lastIndexOf('.');
                List<org.apache.avro.Schema.Field> fields = new ArrayList<>();
                for (Field field : schema.fields()) {
                    Object defaultValue = field.schema().isOptional() ? JsonProperties.NULL_VALUE : null;
                    fields.add(new org.apache.avro.Schema.Field(
                            field.name(), fromConnect(field.schema(), unnamed), null, defaultValue));
                }
                org.apache.avro.Schema record = org.apache.avro.Schema.createRecord(
                        sanitize(full.substring(dot + 1)),
                        schema.doc(),
                        dot > 0 ? full.substring(0, dot) : null,
                        false,
                        fields);
                if (schema.version() != null) {
                    record.addProp(CONNECT_VERSION_PROP, schema.version());
                }
                return record;
            }
            case STRING: {
                Map<String, String> params = schema.parameters();
                if (params != null && params.containsKey(ENUM_PARAMETER)) {
                    String enumName = params.get(ENUM_PARAMETER);
                    List<String> symbols = new ArrayList<>();
                    params.forEach((k, v) -> {
                        if (k.startsWith(ENUM_PARAMETER + ".")) {
                            symbols.add(v);
                        }
                    });
                    int dot = enumName.lastIndexOf('.');
                    return org.apache.avro.Schema.createEnum(
                            enumName.substring(dot + 1), null, dot > 0 ? enumName.substring(0, dot) : null, symbols);
                }
                return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.STRING);
            }
            case BYTES: {
                if (Decimal.LOGICAL_NAME.equals(name)) {
                    int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
                    String precision = schema.parameters().get(DECIMAL_PRECISION_PARAMETER);
                    return LogicalTypes.decimal(
                                    precision == null ? DEFAULT_DECIMAL_PRECISION : Integer.parseInt(precision), scale)
                            .addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BYTES));
                }
                return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BYTES);
            }
            case INT8, INT16:
                return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT);
            case INT32:
                if (Date.LOGICAL_NAME.equals(name)) {
                    return LogicalTypes.date()
                            .addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT));
                }
                if (Time.LOGICAL_NAME.equals(name)) {
                    return LogicalTypes.timeMillis()
                            .addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT));
                }
                return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT);
            case INT64:
                if (Timestamp.LOGICAL_NAME.equals(name)) {
                    return LogicalTypes.timestampMillis()
                            .addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG));
                }
                return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG);
            case FLOAT32:
                return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.FLOAT);
            case FLOAT64:
                return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.DOUBLE);
            case BOOLEAN:
                return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BOOLEAN);
            case ARRAY:
                return org.apache.avro.Schema.createArray(fromConnect(schema.valueSchema(), unnamed));
            case MAP:
                if (schema.keySchema().type() != Schema.Type.STRING) {
                    throw new DataException(
                            "Connect maps with " + schema.keySchema().type()
                                    + " keys have no Avro equivalent; only STRING keys are supported");
                }
                return org.apache.avro.Schema.createMap(fromConnect(schema.valueSchema(), unnamed));
            default:
                throw new DataException("Unsupported Connect type " + schema.type());
        }
    }

    /** The Avro datum (plain generic model) of a Connect value; {@code avro} from {@link #fromConnectSchema}. */
    public Object fromConnectValue(Schema schema, org.apache.avro.Schema avro, Object value) {
        if (value == null) {
            if (!schema.isOptional()) {
                throw new DataException(
                        "Null value for required " + (schema.name() == null ? schema.type() : schema.name()));
            }
            return null;
        }
        if (avro.getType() == org.apache.avro.Schema.Type.UNION) {
            avro = avro.getTypes().get(1);
        }
        switch (schema.type()) {
            case STRUCT: {
                Struct struct = (Struct) value;
                GenericData.Record record = new GenericData.Record(avro);
                for (Field field : schema.fields()) {
                    org.apache.avro.Schema.Field avroField = avro.getField(field.name());
                    record.put(
                            avroField.pos(), fromConnectValue(field.schema(), avroField.schema(), struct.get(field)));
                }
                return record;
            }
            case STRING:
                if (avro.getType() == org.apache.avro.Schema.Type.ENUM) {
                    return new GenericData.EnumSymbol(avro, value.toString());
                }
                return value.toString();
            case BYTES:
                if (value instanceof BigDecimal decimal) {
                    return ByteBuffer.wrap(decimal.unscaledValue().toByteArray());
                }
                return value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : value;
            case INT8, INT16:
                return ((Number) value).intValue();
            case INT32:
                if (value instanceof java.util.Date date) {
                    return Date.LOGICAL_NAME.equals(schema.name())
                            ? (int) TimeUnit.MILLISECONDS.toDays(date.getTime())
                            : (int) date.getTime();
                }
                return value;
            case INT64:
                return value instanceof java.util.Date date ? date.getTime() : value;
            case ARRAY: {
                List<Object> list = new ArrayList<>();
                for (Object item : (Collection<?>) value) {
                    list.add(fromConnectValue(schema.valueSchema(), avro.getElementType(), item));
                }
                return new GenericData.Array<>(avro, list);
            }
            case MAP: {
                Map<String, Object> map = new LinkedHashMap<>();
                org.apache.avro.Schema values = avro.getValueType();
                ((Map<?, ?>) value)
                        .forEach((k, v) -> map.put(k.toString(), fromConnectValue(schema.valueSchema(), values, v)));
                return map;
            }
            default:
                return value;
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static LogicalTypes.Decimal decimal(org.apache.avro.Schema avro) {
        return avro.getLogicalType() instanceof LogicalTypes.Decimal d ? d : null;
    }

    private static boolean isTimestamp(LogicalType logical) {
        return logical instanceof LogicalTypes.TimestampMillis
                || logical instanceof LogicalTypes.TimestampMicros
                || logical instanceof LogicalTypes.LocalTimestampMillis
                || logical instanceof LogicalTypes.LocalTimestampMicros;
    }

    private static byte[] toArray(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    private static String sanitize(String name) {
        String cleaned = name.replaceAll("[^A-Za-z0-9_]", "_");
        return Character.isDigit(cleaned.charAt(0)) ? "_" + cleaned : cleaned;
    }
}
