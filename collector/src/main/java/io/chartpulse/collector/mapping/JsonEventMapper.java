package io.chartpulse.collector.mapping;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * Maps one tracker event (JSON, the Avro field names in snake_case) to a {@code ChartEvent} record, driven by the
 * Avro schema itself, so a field renamed in {@code schemas/} changes what the collector accepts with no code change
 * here. Types are strict: no string-to-number coercion, integers must be integral and in range, enums must be known
 * symbols unless the enum has a default (then an unknown symbol reads as that default, e.g. {@code UNKNOWN}),
 * UUIDs and timestamps are checked. Unknown JSON fields are ignored (a newer tracker may send them). Fields the
 * server owns ({@code received_at}, {@code context.ip}, {@code context.country}, {@code context.user_agent} when the
 * header is present) are never taken from the client. Stateless and thread-safe.
 */
public final class JsonEventMapper {

    private static final int MAX_STRING_CHARS = 8192;
    private static final int MAX_COLLECTION_ENTRIES = 200;

    private final Schema schema;

    public JsonEventMapper(Schema eventSchema) {
        this.schema = eventSchema;
    }

    /** Maps {@code event} and adds the server's fields; the record uses the plain generic data model. */
    public GenericData.Record map(JsonNode event, ServerFields server) throws EventRejection {
        if (event == null || !event.isObject()) {
            throw new EventRejection(EventRejection.NOT_AN_OBJECT, null, "each event must be a JSON object, got "
                    + (event == null ? "nothing" : event.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        GenericData.Record record = (GenericData.Record) record(schema, event, "", server);
        record.put("received_at", server.receivedAt());
        return record;
    }

    private Object record(Schema recordSchema, JsonNode node, String prefix, ServerFields server) throws EventRejection {
        GenericData.Record record = new GenericData.Record(recordSchema);
        for (Schema.Field field : recordSchema.getFields()) {
            String path = prefix + field.name();
            if ("received_at".equals(path)) {
                record.put(field.pos(), server.receivedAt());
                continue;
            }
            JsonNode value = node.get(field.name());
            boolean absent = value == null || value.isNull();
            if ("context".equals(path)) {
                record.put(field.pos(), context(field.schema(), absent ? null : value, server));
                continue;
            }
            if (absent) {
                record.put(field.pos(), defaultOf(field, path));
            } else {
                record.put(field.pos(), value(field.schema(), value, path, server));
            }
        }
        return record;
    }

    // The context record is created even when the tracker sent none, to carry the server's fields.
    private Object context(Schema unionSchema, JsonNode node, ServerFields server) throws EventRejection {
        Schema contextSchema = nonNull(unionSchema);
        if (node != null && !node.isObject()) {
            throw typeError("context", "an object", node);
        }
        GenericData.Record context = (GenericData.Record) record(contextSchema,
                node == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : node,
                "context.", server);
        context.put("ip", server.ip());
        context.put("country", server.country());
        if (server.userAgent() != null) {
            context.put("user_agent", server.userAgent());
        }
        return context;
    }

    private Object value(Schema type, JsonNode node, String path, ServerFields server) throws EventRejection {
        switch (type.getType()) {
            case UNION:
                return value(nonNull(type), node, path, server);
            case RECORD:
                if (!node.isObject()) {
                    throw typeError(path, "an object", node);
                }
                return record(type, node, path + ".", server);
            case STRING:
                return string(type, node, path);
            case INT:
                if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                    throw node.isIntegralNumber() ? new EventRejection(EventRejection.INVALID_VALUE, path,
                            path + " is " + node.asText() + ", outside the 32-bit integer range")
                            : typeError(path, "an integer", node);
                }
                return node.intValue();
            case LONG:
                if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                    throw typeError(path, isTimestamp(type) ? "an integer (epoch milliseconds)" : "an integer", node);
                }
                long number = node.longValue();
                if (isTimestamp(type) && number <= 0) {
                    throw new EventRejection(EventRejection.INVALID_VALUE, path,
                            path + " is " + number + "; expected epoch milliseconds after 1970");
                }
                return number;
            case DOUBLE:
            case FLOAT:
                if (!node.isNumber()) {
                    throw typeError(path, "a number", node);
                }
                return type.getType() == Schema.Type.DOUBLE ? (Object) node.doubleValue() : (Object) node.floatValue();
            case BOOLEAN:
                if (!node.isBoolean()) {
                    throw typeError(path, "true or false", node);
                }
                return node.booleanValue();
            case ENUM:
                return symbol(type, node, path);
            case MAP:
                return map(type, node, path, server);
            case ARRAY:
                return array(type, node, path, server);
            default:
                throw new EventRejection(EventRejection.INVALID_TYPE, path, path + " has an unsupported type");
        }
    }

    private static String string(Schema type, JsonNode node, String path) throws EventRejection {
        if (!node.isTextual()) {
            throw typeError(path, "a string", node);
        }
        String text = node.textValue();
        if (text.length() > MAX_STRING_CHARS) {
            throw new EventRejection(EventRejection.INVALID_VALUE, path, path + " is " + text.length()
                    + " characters long; at most " + MAX_STRING_CHARS + " are accepted");
        }
        LogicalType logical = type.getLogicalType();
        if (logical != null && "uuid".equals(logical.getName())) {
            try {
                UUID.fromString(text);
            } catch (IllegalArgumentException e) {
                throw new EventRejection(EventRejection.INVALID_VALUE, path, path + " is '" + abbreviate(text)
                        + "', not a UUID (expected e.g. 2f1b8a5e-8c1d-4f7a-9a51-6d1e0c3b7a10)");
            }
        }
        return text;
    }

    private static Object symbol(Schema type, JsonNode node, String path) throws EventRejection {
        if (!node.isTextual()) {
            throw typeError(path, "one of " + type.getEnumSymbols(), node);
        }
        String symbol = node.textValue();
        if (type.hasEnumSymbol(symbol)) {
            return new GenericData.EnumSymbol(type, symbol);
        }
        if (type.getEnumDefault() != null) {
            return new GenericData.EnumSymbol(type, type.getEnumDefault());
        }
        throw new EventRejection(EventRejection.INVALID_VALUE, path, path + " is '" + abbreviate(symbol)
                + "'; expected one of " + type.getEnumSymbols());
    }

    private Object map(Schema type, JsonNode node, String path, ServerFields server) throws EventRejection {
        if (!node.isObject()) {
            throw typeError(path, "an object", node);
        }
        if (node.size() > MAX_COLLECTION_ENTRIES) {
            throw new EventRejection(EventRejection.INVALID_VALUE, path, path + " has " + node.size()
                    + " entries; at most " + MAX_COLLECTION_ENTRIES + " are accepted");
        }
        Map<String, Object> map = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            String entryPath = path + "." + entry.getKey();
            if (entry.getValue().isNull()) {
                throw new EventRejection(EventRejection.INVALID_TYPE, entryPath, entryPath + " is null; map values must be set");
            }
            map.put(entry.getKey(), value(type.getValueType(), entry.getValue(), entryPath, server));
        }
        return map;
    }

    private Object array(Schema type, JsonNode node, String path, ServerFields server) throws EventRejection {
        if (!node.isArray()) {
            throw typeError(path, "an array", node);
        }
        if (node.size() > MAX_COLLECTION_ENTRIES) {
            throw new EventRejection(EventRejection.INVALID_VALUE, path, path + " has " + node.size()
                    + " items; at most " + MAX_COLLECTION_ENTRIES + " are accepted");
        }
        List<Object> items = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            items.add(value(type.getElementType(), node.get(i), path + "[" + i + "]", server));
        }
        return new GenericData.Array<>(type, items);
    }

    private static Object defaultOf(Schema.Field field, String path) throws EventRejection {
        if (!field.hasDefaultValue()) {
            throw new EventRejection(EventRejection.MISSING_FIELD, path, path + " is required");
        }
        return GenericData.get().getDefaultValue(field);
    }

    private static Schema nonNull(Schema union) {
        if (union.getType() != Schema.Type.UNION) {
            return union;
        }
        for (Schema branch : union.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) {
                return branch;
            }
        }
        return union;
    }

    private static boolean isTimestamp(Schema type) {
        return type.getLogicalType() instanceof LogicalTypes.TimestampMillis;
    }

    private static EventRejection typeError(String path, String expected, JsonNode actual) {
        String got = actual.isTextual() ? "the string '" + abbreviate(actual.textValue()) + "'"
                : actual.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + abbreviate(actual.toString());
        return new EventRejection(EventRejection.INVALID_TYPE, path, path + " must be " + expected + ", got " + got);
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
