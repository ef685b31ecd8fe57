package io.chartpulse.collector.mapping;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.chartpulse.schemas.RejectionCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.io.Encoder;

/**
 * Reads one tracker event (JSON, the Avro field names in snake_case) straight from a parser and writes it as Avro
 * binary of the event schema, in one pass and without building a JSON tree or a generic record: the collector's
 * hot path. Driven by the Avro schema itself, so a field renamed in {@code schemas/} changes what is accepted with
 * no code change here.
 *
 * <p>Rules: types are strict (no string-to-number coercion; integers integral and in range; timestamps positive
 * epoch milliseconds; UUIDs parse); an unknown enum symbol reads as the enum's default (e.g. {@code UNKNOWN}) and
 * is refused only when the enum has none; JSON {@code null} is the same as absent; absent fields take their
 * schema default and a required field without default is refused; unknown JSON fields are skipped (a newer
 * tracker may send them). Fields the server owns ({@code received_at}, {@code context.ip},
 * {@code context.country}, and {@code context.user_agent} when the request had the header) are never taken from
 * the client. Thread-safe: the compiled plan is immutable.
 */
public final class JsonAvroTranscoder {

    private static final int MAX_STRING_CHARS = 8192;
    private static final int MAX_COLLECTION_ENTRIES = 200;
    private static final Object JSON_NULL = new Object();

    /** Where a value sits, e.g. {@code product.rank}; rendered only when a message needs it. */
    private record Loc(Loc parent, String name, int index) {
        @Override
        public String toString() {
            if (name == null) {
                return parent + "[" + index + "]";
            }
            return parent == null ? name : parent + "." + name;
        }
    }

    /** A record schema compiled for lookups by field name, with what each field needs precomputed. */
    private static final class RecordPlan {
        final Schema.Field[] fields;
        final Map<String, Integer> index = new HashMap<>();
        final Object[] defaults;

        RecordPlan(Schema schema) {
            this.fields = schema.getFields().toArray(new Schema.Field[0]);
            this.defaults = new Object[fields.length];
            for (int i = 0; i < fields.length; i++) {
                index.put(fields[i].name(), i);
                defaults[i] = fields[i].hasDefaultValue() ? fields[i].defaultVal() : null;
            }
        }
    }

    /** What the transcoder found out about the event besides its bytes. */
    public record Ids(String eventId, String anonymousId, String userId) {}

    private final Map<Schema, RecordPlan> plans = new IdentityHashMap<>();
    private final Map<Schema, Integer> branches = new IdentityHashMap<>();
    private final RecordPlan root;
    private final int receivedAt;
    private final int context;

    public JsonAvroTranscoder(Schema eventSchema) {
        compile(eventSchema);
        this.root = plans.get(eventSchema);
        this.receivedAt = root.index.getOrDefault("received_at", -1);
        this.context = root.index.getOrDefault("context", -1);
    }

    private void compile(Schema schema) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!plans.containsKey(schema)) {
                    plans.put(schema, new RecordPlan(schema));
                    schema.getFields().forEach(f -> compile(f.schema()));
                }
            }
            case UNION -> {
                branches.put(schema, firstNonNull(schema));
                schema.getTypes().forEach(this::compile);
            }
            case ARRAY -> compile(schema.getElementType());
            case MAP -> compile(schema.getValueType());
            default -> {}
        }
    }

    /**
     * Reads the event the parser stands on (its current token) and writes its Avro body to {@code out}. On a
     * rejection the parser may stand anywhere inside the event; the caller skips the rest.
     */
    public Ids transcode(JsonParser parser, ServerFields server, Encoder out) throws EventRejection, IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new EventRejection(
                    RejectionCode.NOT_AN_OBJECT, null, "each event must be a JSON object, got " + describe(parser));
        }
        Object[] slots = readRecord(parser, root, null);
        slots[receivedAt] = server.receivedAt();
        slots[context] = serverContext(slots[context], server);
        writeRecord(root, slots, null, out);
        return new Ids(text(slots, "event_id"), text(slots, "anonymous_id"), text(slots, "user_id"));
    }

    // ---- read: JSON → slots, validating as it goes -----------------------------------------------------------

    private Object[] readRecord(JsonParser parser, RecordPlan plan, Loc loc) throws EventRejection, IOException {
        Object[] slots = new Object[plan.fields.length];
        String name;
        while ((name = parser.nextFieldName()) != null) {
            Integer i = plan.index.get(name);
            JsonToken token = parser.nextToken();
            if (i == null) {
                parser.skipChildren();
                continue;
            }
            slots[i] = token == JsonToken.VALUE_NULL
                    ? JSON_NULL
                    : read(parser, plan.fields[i].schema(), new Loc(loc, name, -1));
        }
        return slots;
    }

    private Object read(JsonParser parser, Schema type, Loc loc) throws EventRejection, IOException {
        JsonToken token = parser.currentToken();
        switch (type.getType()) {
            case UNION:
                return read(parser, nonNull(type), loc);
            case RECORD:
                if (token != JsonToken.START_OBJECT) {
                    throw typeError(loc, "an object", parser);
                }
                return readRecord(parser, plans.get(type), loc);
            case STRING:
                return string(parser, type, loc);
            case INT:
                if (token != JsonToken.VALUE_NUMBER_INT) {
                    throw typeError(loc, "an integer", parser);
                }
                if (parser.getNumberType() != JsonParser.NumberType.INT) {
                    throw new EventRejection(
                            RejectionCode.INVALID_VALUE,
                            loc.toString(),
                            loc + " is " + parser.getText() + ", outside the 32-bit integer range");
                }
                return parser.getIntValue();
            case LONG: {
                boolean timestamp = type.getLogicalType() instanceof LogicalTypes.TimestampMillis;
                if (token != JsonToken.VALUE_NUMBER_INT
                        || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw typeError(loc, timestamp ? "an integer (epoch milliseconds)" : "an integer", parser);
                }
                long number = parser.getLongValue();
                if (timestamp && number <= 0) {
                    throw new EventRejection(
                            RejectionCode.INVALID_VALUE,
                            loc.toString(),
                            loc + " is " + number + "; expected epoch milliseconds after 1970");
                }
                return number;
            }
            case DOUBLE:
            case FLOAT:
                if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
                    throw typeError(loc, "a number", parser);
                }
                return parser.getDoubleValue();
            case BOOLEAN:
                if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
                    throw typeError(loc, "true or false", parser);
                }
                return token == JsonToken.VALUE_TRUE;
            case ENUM:
                return symbol(parser, type, loc);
            case MAP:
                return map(parser, type, loc);
            case ARRAY:
                return array(parser, type, loc);
            default:
                throw new EventRejection(RejectionCode.INVALID_TYPE, loc.toString(), loc + " has an unsupported type");
        }
    }

    private static String string(JsonParser parser, Schema type, Loc loc) throws EventRejection, IOException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw typeError(loc, "a string", parser);
        }
        String text = parser.getText();
        if (text.length() > MAX_STRING_CHARS) {
            throw new EventRejection(
                    RejectionCode.INVALID_VALUE,
                    loc.toString(),
                    loc + " is " + text.length() + " characters long; at most " + MAX_STRING_CHARS + " are accepted");
        }
        if (type.getLogicalType() != null && "uuid".equals(type.getLogicalType().getName())) {
            try {
                UUID.fromString(text);
            } catch (IllegalArgumentException e) {
                throw new EventRejection(
                        RejectionCode.INVALID_VALUE,
                        loc.toString(),
                        loc + " is '" + abbreviate(text)
                                + "', not a UUID (expected e.g. 2f1b8a5e-8c1d-4f7a-9a51-6d1e0c3b7a10)");
            }
        }
        return text;
    }

    private static Integer symbol(JsonParser parser, Schema type, Loc loc) throws EventRejection, IOException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw typeError(loc, "one of " + type.getEnumSymbols(), parser);
        }
        String symbol = parser.getText();
        if (type.hasEnumSymbol(symbol)) {
            return type.getEnumOrdinal(symbol);
        }
        if (type.getEnumDefault() != null) {
            return type.getEnumOrdinal(type.getEnumDefault());
        }
        throw new EventRejection(
                RejectionCode.INVALID_VALUE,
                loc.toString(),
                loc + " is '" + abbreviate(symbol) + "'; expected one of " + type.getEnumSymbols());
    }

    private List<Object> map(JsonParser parser, Schema type, Loc loc) throws EventRejection, IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw typeError(loc, "an object", parser);
        }
        List<Object> pairs = new ArrayList<>();
        String key;
        while ((key = parser.nextFieldName()) != null) {
            Loc entry = new Loc(loc, key, -1);
            if (pairs.size() == 2 * MAX_COLLECTION_ENTRIES) {
                throw new EventRejection(
                        RejectionCode.INVALID_VALUE,
                        loc.toString(),
                        loc
                                + " has more than " + MAX_COLLECTION_ENTRIES + " entries; at most "
                                + MAX_COLLECTION_ENTRIES
                                + " are accepted");
            }
            if (parser.nextToken() == JsonToken.VALUE_NULL) {
                throw new EventRejection(
                        RejectionCode.INVALID_TYPE, entry.toString(), entry + " is null; map values must be set");
            }
            pairs.add(key);
            pairs.add(read(parser, type.getValueType(), entry));
        }
        return pairs;
    }

    private List<Object> array(JsonParser parser, Schema type, Loc loc) throws EventRejection, IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw typeError(loc, "an array", parser);
        }
        List<Object> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (items.size() == MAX_COLLECTION_ENTRIES) {
                throw new EventRejection(
                        RejectionCode.INVALID_VALUE,
                        loc.toString(),
                        loc
                                + " has more than " + MAX_COLLECTION_ENTRIES + " items; at most "
                                + MAX_COLLECTION_ENTRIES
                                + " are accepted");
            }
            Loc item = new Loc(loc, null, items.size());
            if (parser.currentToken() == JsonToken.VALUE_NULL) {
                throw new EventRejection(RejectionCode.INVALID_TYPE, item.toString(), item + " is null");
            }
            items.add(read(parser, type.getElementType(), item));
        }
        return items;
    }

    // The context record always exists, to carry what the server knows; the client's ip and country never count.
    private Object serverContext(Object clientContext, ServerFields server) {
        RecordPlan plan = plans.get(nonNull(root.fields[context].schema()));
        Object[] slots = clientContext instanceof Object[] given ? given : new Object[plan.fields.length];
        slots[plan.index.get("ip")] = server.ip();
        slots[plan.index.get("country")] = server.country();
        if (server.userAgent() != null) {
            slots[plan.index.get("user_agent")] = server.userAgent();
        }
        return slots;
    }

    // ---- write: slots → Avro binary, in schema order ---------------------------------------------------------

    private void writeRecord(RecordPlan plan, Object[] slots, Loc loc, Encoder out) throws EventRejection, IOException {
        for (int i = 0; i < plan.fields.length; i++) {
            Schema.Field field = plan.fields[i];
            Object value = slots[i] == JSON_NULL ? null : slots[i];
            if (value == null) {
                writeDefault(field, plan.defaults[i], loc, out);
            } else {
                write(field.schema(), value, new Loc(loc, field.name(), -1), out);
            }
        }
    }

    private void write(Schema type, Object value, Loc loc, Encoder out) throws EventRejection, IOException {
        switch (type.getType()) {
            case UNION -> {
                int branch = branches.get(type);
                out.writeIndex(branch);
                write(type.getTypes().get(branch), value, loc, out);
            }
            case RECORD -> writeRecord(plans.get(type), (Object[]) value, loc, out);
            case STRING -> out.writeString((String) value);
            case INT -> out.writeInt((Integer) value);
            case LONG -> out.writeLong((Long) value);
            case DOUBLE -> out.writeDouble((Double) value);
            case FLOAT -> out.writeFloat(((Double) value).floatValue());
            case BOOLEAN -> out.writeBoolean((Boolean) value);
            case ENUM -> out.writeEnum((Integer) value);
            case MAP -> {
                List<?> pairs = (List<?>) value;
                out.writeMapStart();
                out.setItemCount(pairs.size() / 2);
                for (int i = 0; i < pairs.size(); i += 2) {
                    out.startItem();
                    out.writeString((String) pairs.get(i));
                    write(type.getValueType(), pairs.get(i + 1), loc, out);
                }
                out.writeMapEnd();
            }
            case ARRAY -> {
                List<?> items = (List<?>) value;
                out.writeArrayStart();
                out.setItemCount(items.size());
                for (Object item : items) {
                    out.startItem();
                    write(type.getElementType(), item, loc, out);
                }
                out.writeArrayEnd();
            }
            default ->
                throw new EventRejection(RejectionCode.INVALID_TYPE, loc.toString(), loc + " has an unsupported type");
        }
    }

    private static void writeDefault(Schema.Field field, Object value, Loc parent, Encoder out)
            throws EventRejection, IOException {
        if (!field.hasDefaultValue()) {
            Loc loc = new Loc(parent, field.name(), -1);
            throw new EventRejection(RejectionCode.MISSING_FIELD, loc.toString(), loc + " is required");
        }
        Schema type = field.schema();
        if (type.getType() == Schema.Type.UNION) {
            // A union's default belongs to its first branch; ChartPulse's optional fields are ["null", T].
            out.writeIndex(0);
            type = type.getTypes().get(0);
        }
        switch (type.getType()) {
            case NULL -> out.writeNull();
            case ENUM -> out.writeEnum(type.getEnumOrdinal((String) value));
            case INT -> out.writeInt(((Number) value).intValue());
            case LONG -> out.writeLong(((Number) value).longValue());
            case DOUBLE -> out.writeDouble(((Number) value).doubleValue());
            case FLOAT -> out.writeFloat(((Number) value).floatValue());
            case BOOLEAN -> out.writeBoolean((Boolean) value);
            case STRING -> out.writeString((String) value);
            case ARRAY -> {
                out.writeArrayStart();
                out.setItemCount(0);
                out.writeArrayEnd();
            }
            case MAP -> {
                out.writeMapStart();
                out.setItemCount(0);
                out.writeMapEnd();
            }
            default -> throw new IllegalStateException("Unsupported default for " + field.name() + ": " + value);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private String text(Object[] slots, String field) {
        Integer i = root.index.get(field);
        return i != null && slots[i] instanceof String s ? s : null;
    }

    private Schema nonNull(Schema union) {
        return union.getType() == Schema.Type.UNION ? union.getTypes().get(branches.get(union)) : union;
    }

    private static int firstNonNull(Schema union) {
        List<Schema> branches = union.getTypes();
        for (int i = 0; i < branches.size(); i++) {
            if (branches.get(i).getType() != Schema.Type.NULL) {
                return i;
            }
        }
        return 0;
    }

    private static EventRejection typeError(Loc loc, String expected, JsonParser parser) throws IOException {
        return new EventRejection(
                RejectionCode.INVALID_TYPE, loc.toString(), loc + " must be " + expected + ", got " + describe(parser));
    }

    private static String describe(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case VALUE_STRING -> "the string '" + abbreviate(parser.getText()) + "'";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number " + abbreviate(parser.getText());
            case VALUE_TRUE, VALUE_FALSE -> "boolean " + parser.getText();
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> token.name().toLowerCase(Locale.ROOT);
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
