package io.chartpulse.collector.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * Writes a record in the tracker's JSON form (docs/ARCHITECTURE.md): the Avro field names, nested records as objects,
 * enums as symbol strings, times as epoch milliseconds, optional fields omitted when null. Derived from the schema,
 * like the collector's reading side.
 */
public final class AvroJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AvroJson() {}

    public static String toJson(IndexedRecord record) {
        return object(record).toString();
    }

    private static ObjectNode object(IndexedRecord record) {
        ObjectNode node = NODES.objectNode();
        for (Schema.Field field : record.getSchema().getFields()) {
            Object value = record.get(field.pos());
            if (value != null) {
                node.set(field.name(), value(value));
            }
        }
        return node;
    }

    private static JsonNode value(Object value) {
        if (value instanceof IndexedRecord record) {
            return object(record);
        }
        if (value instanceof Instant instant) {
            return NODES.numberNode(instant.toEpochMilli());
        }
        if (value instanceof UUID || value instanceof CharSequence || value instanceof Enum<?>) {
            return NODES.textNode(value.toString());
        }
        if (value instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (value instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (value instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode node = NODES.objectNode();
            map.forEach((k, v) -> node.set(k.toString(), value(v)));
            return node;
        }
        if (value instanceof List<?> list) {
            ArrayNode node = NODES.arrayNode();
            list.forEach(item -> node.add(value(item)));
            return node;
        }
        throw new IllegalArgumentException("No JSON form for " + value.getClass());
    }
}
