package io.chartpulse.schemas.evolution;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Turns the JSON-pointer location Avro reports (e.g. {@code /fields/14/type/1/fields/1/type}) into the dotted
 * field path a person recognises (e.g. {@code product.rank}).
 */
final class FieldPath {

    static final String ROOT = "<root>";

    private FieldPath() {}

    static String resolve(Schema root, String location) {
        if (location == null || location.isEmpty() || "/".equals(location)) {
            return ROOT;
        }
        String[] tokens = location.substring(1).split("/");
        List<String> names = new ArrayList<>();
        Schema current = root;
        for (int i = 0; i < tokens.length && current != null; i++) {
            String token = tokens[i];
            switch (token) {
                case "fields" -> {
                    if (i + 1 >= tokens.length || current.getType() != Schema.Type.RECORD) {
                        return join(names);
                    }
                    int index = Integer.parseInt(tokens[++i]);
                    if (index >= current.getFields().size()) {
                        return join(names);
                    }
                    Schema.Field field = current.getFields().get(index);
                    names.add(field.name());
                    current = field.schema();
                }
                case "type", "name", "symbols", "size" -> {
                    // "type" steps into the field's schema, which we already hold; the others end the path.
                }
                case "items" -> current = current.getType() == Schema.Type.ARRAY ? current.getElementType() : null;
                case "values" -> current = current.getType() == Schema.Type.MAP ? current.getValueType() : null;
                default -> current = unionBranch(current, token);
            }
        }
        return join(names);
    }

    private static Schema unionBranch(Schema schema, String token) {
        if (schema.getType() != Schema.Type.UNION) {
            return null;
        }
        try {
            int index = Integer.parseInt(token);
            return index < schema.getTypes().size() ? schema.getTypes().get(index) : null;
        } catch (NumberFormatException notAnIndex) {
            return null;
        }
    }

    private static String join(List<String> names) {
        return names.isEmpty() ? ROOT : String.join(".", names);
    }
}
