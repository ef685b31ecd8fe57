package io.chartpulse.collector.mapping;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;

/**
 * Builds the JSON of one event from the query string of the no-JavaScript pixel: dotted keys address nested
 * fields ({@code page.url=...}, {@code chart.chart_id=...}), and values are typed by the schema (a field the schema
 * declares as a number is sent as a number when it parses as one; anything else stays a string, and the mapper
 * rejects it with a precise message). An image request cannot make ids or clocks, so a missing {@code event_id}
 * is generated and missing {@code created_at} / {@code sent_at} are the receive time.
 */
public final class QueryEvent {

    private QueryEvent() {}

    public static ObjectNode toJson(Schema eventSchema, Map<String, String> params, long now) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        params.forEach((key, value) -> put(root, eventSchema, key.split("\\.", -1), 0, value));
        if (!root.has("event_id")) {
            root.put("event_id", UUID.randomUUID().toString());
        }
        if (!root.has("created_at")) {
            root.put("created_at", now);
        }
        if (!root.has("sent_at")) {
            root.put("sent_at", now);
        }
        return root;
    }

    private static void put(ObjectNode node, Schema schema, String[] path, int depth, String value) {
        Schema record = nonNull(schema);
        String name = path[depth];
        Schema.Field field = record.getType() == Schema.Type.RECORD ? record.getField(name) : null;
        if (depth == path.length - 1) {
            Schema type = field == null ? null : nonNull(field.schema());
            putTyped(node, name, type, value);
            return;
        }
        ObjectNode child =
                node.has(name) && node.get(name).isObject() ? (ObjectNode) node.get(name) : node.putObject(name);
        if (field != null) {
            put(child, field.schema(), path, depth + 1, value);
        } else {
            child.put(String.join(".", Arrays.copyOfRange(path, depth + 1, path.length)), value);
        }
    }

    private static void putTyped(ObjectNode node, String name, Schema type, String value) {
        if (type != null) {
            try {
                switch (type.getType()) {
                    case INT -> {
                        node.put(name, Integer.parseInt(value));
                        return;
                    }
                    case LONG -> {
                        node.put(name, Long.parseLong(value));
                        return;
                    }
                    case DOUBLE, FLOAT -> {
                        node.put(name, Double.parseDouble(value));
                        return;
                    }
                    case BOOLEAN -> {
                        if ("true".equals(value) || "false".equals(value)) {
                            node.put(name, Boolean.parseBoolean(value));
                            return;
                        }
                    }
                    default -> {}
                }
            } catch (NumberFormatException notANumber) {
                // keep the string; the mapper reports the wrong type with the field's name
            }
        }
        node.put(name, value);
    }

    private static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        for (Schema branch : schema.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) {
                return branch;
            }
        }
        return schema;
    }
}
