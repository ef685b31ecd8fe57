package io.chartpulse.serde.avro;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Encoder;

/**
 * A {@link DatumWriter} that works out once, per schema, how to write each node, so writing a value is a walk over
 * prepared steps. Writes the same bytes as the writer {@link GenericData#createDatumWriter} gives for the same
 * model (generic or a generated class's specific model), with its logical-type conversions, but without what makes
 * that writer slow on big records: resolving every union by naming the value's schema and looking the name up,
 * and looking up conversions per field. A value that does not fit the schema fails as it would with Avro's writer
 * (same exception types, the field named). Thread-safe once built.
 */
public final class CompiledDatumWriter implements DatumWriter<Object> {

    /** One prepared step: writes a value of one schema node. */
    private interface Node {
        void write(Object value, Encoder out) throws IOException;
    }

    private final Schema root;
    private final Node node;

    private CompiledDatumWriter(Schema root, GenericData model) {
        this.root = root;
        this.node = new Compiler(model).compile(root);
    }

    /** A writer of values of {@code schema} under {@code model} (a {@link GenericData} or a specific model). */
    public static CompiledDatumWriter of(Schema schema, GenericData model) {
        return new CompiledDatumWriter(schema, model);
    }

    @Override
    public void setSchema(Schema schema) {
        if (!schema.equals(root)) {
            throw new IllegalArgumentException("this compiled writer writes " + root.getFullName() + " only, not "
                    + schema.getFullName() + ": compile one per schema with CompiledDatumWriter.of");
        }
    }

    @Override
    public void write(Object datum, Encoder out) throws IOException {
        try {
            node.write(datum, out);
        } catch (NullPointerException e) {
            throw withContext(e, " of " + root.getFullName());
        }
    }

    private static final class Compiler {
        private final GenericData model;
        // Named schemas being compiled, so a recursive record refers to itself instead of compiling forever.
        private final Map<Schema, Node[]> named = new IdentityHashMap<>();

        Compiler(GenericData model) {
            this.model = model;
        }

        Node compile(Schema schema) {
            Node raw = nonNull(schema, compileRaw(schema));
            LogicalType logical = schema.getLogicalType();
            return logical == null ? raw : new Converting(schema, logical, model, raw);
        }

        private Node compileRaw(Schema schema) {
            return switch (schema.getType()) {
                case NULL ->
                    (value, out) -> {
                        if (value != null) {
                            throw new AvroTypeException("Not null: " + value);
                        }
                        out.writeNull();
                    };
                case BOOLEAN -> (value, out) -> out.writeBoolean((Boolean) value);
                case INT -> (value, out) -> out.writeInt(((Number) value).intValue());
                case LONG -> (value, out) -> out.writeLong(((Number) value).longValue());
                case FLOAT -> (value, out) -> out.writeFloat(((Number) value).floatValue());
                case DOUBLE -> (value, out) -> out.writeDouble(((Number) value).doubleValue());
                case STRING -> (value, out) -> out.writeString((CharSequence) value);
                case BYTES ->
                    (value, out) -> {
                        if (value instanceof byte[] bytes) {
                            out.writeBytes(bytes);
                        } else {
                            out.writeBytes((ByteBuffer) value);
                        }
                    };
                case FIXED -> (value, out) -> out.writeFixed(((GenericFixed) value).bytes(), 0, schema.getFixedSize());
                case ENUM ->
                    (value, out) -> {
                        if (value instanceof Enum<?> constant) {
                            out.writeEnum(constant.ordinal());
                        } else if (value instanceof GenericEnumSymbol<?>) {
                            out.writeEnum(schema.getEnumOrdinal(value.toString()));
                        } else {
                            throw new AvroTypeException("Not an enum: " + value + " for schema: " + schema);
                        }
                    };
                case ARRAY -> array(compile(schema.getElementType()));
                case MAP -> map(compile(schema.getValueType()));
                case UNION -> union(schema);
                case RECORD -> record(schema);
            };
        }

        // Names the type when a value is missing where the schema allows no null (Avro's own wording).
        private static Node nonNull(Schema schema, Node node) {
            if (schema.getType() == Schema.Type.NULL || schema.getType() == Schema.Type.UNION) {
                return node;
            }
            String message = "null value for (non-nullable) " + schema.getType().getName();
            return (value, out) -> {
                if (value == null) {
                    throw new NullPointerException(message);
                }
                node.write(value, out);
            };
        }

        private Node record(Schema schema) {
            Node[] self = named.get(schema);
            if (self != null) {
                return (value, out) -> self[0].write(value, out);
            }
            Node[] holder = new Node[1];
            named.put(schema, holder);
            List<Schema.Field> fields = schema.getFields();
            Node[] writers = new Node[fields.size()];
            String[] names = new String[fields.size()];
            int[] positions = new int[fields.size()];
            for (int i = 0; i < writers.length; i++) {
                Schema.Field field = fields.get(i);
                writers[i] = compile(field.schema());
                names[i] = field.name();
                positions[i] = field.pos();
            }
            holder[0] = (value, out) -> {
                for (int i = 0; i < writers.length; i++) {
                    Object field = value instanceof IndexedRecord record
                            ? record.get(positions[i])
                            : model.getField(value, names[i], positions[i]);
                    try {
                        writers[i].write(field, out);
                    } catch (NullPointerException | ClassCastException | AvroTypeException e) {
                        throw withContext(e, " in field " + names[i]);
                    }
                }
            };
            return holder[0];
        }

        private Node union(Schema schema) {
            List<Schema> branches = schema.getTypes();
            Node[] writers = new Node[branches.size()];
            for (int i = 0; i < writers.length; i++) {
                writers[i] = compile(branches.get(i));
            }
            Integer nullIndex = schema.getIndexNamed(Schema.Type.NULL.getName());
            if (branches.size() == 2 && nullIndex != null) {
                // The common optional field: null or one type. A value of the other type is checked cheaply; anything
                // else goes through the model's resolution, which names what does not fit.
                int nullAt = nullIndex;
                int otherAt = 1 - nullAt;
                Predicate<Object> fits = fits(branches.get(otherAt));
                Node otherWriter = writers[otherAt];
                return (value, out) -> {
                    if (value == null) {
                        out.writeIndex(nullAt);
                        out.writeNull();
                    } else if (fits.test(value)) {
                        out.writeIndex(otherAt);
                        otherWriter.write(value, out);
                    } else {
                        int index = model.resolveUnion(schema, value);
                        out.writeIndex(index);
                        writers[index].write(value, out);
                    }
                };
            }
            return (value, out) -> {
                int index = model.resolveUnion(schema, value);
                out.writeIndex(index);
                writers[index].write(value, out);
            };
        }

        // True when the model's union resolution would surely pick this branch for a (non-null) value; false means
        // "ask the model". A logical type's branch also takes its converted class (Instant for timestamp-millis …).
        private Predicate<Object> fits(Schema branch) {
            Class<?> raw = switch (branch.getType()) {
                case STRING -> CharSequence.class;
                case LONG -> Long.class;
                case INT -> Integer.class;
                case BOOLEAN -> Boolean.class;
                case DOUBLE -> Double.class;
                case FLOAT -> Float.class;
                case BYTES -> ByteBuffer.class;
                case ARRAY -> Collection.class;
                case MAP -> Map.class;
                default -> null;
            };
            if (branch.getType() == Schema.Type.RECORD) {
                String name = branch.getFullName();
                return value -> value instanceof IndexedRecord record
                        && (record.getSchema() == branch
                                || record.getSchema().getFullName().equals(name));
            }
            Conversion<?> conversion =
                    branch.getLogicalType() == null ? null : model.getConversionFor(branch.getLogicalType());
            Class<?> converted = conversion == null ? null : conversion.getConvertedType();
            if (raw == null) {
                return value -> false;
            }
            return converted == null ? raw::isInstance : value -> raw.isInstance(value) || converted.isInstance(value);
        }

        @SuppressWarnings("unchecked")
        private Node array(Node element) {
            return (value, out) -> {
                Collection<Object> items = (Collection<Object>) value;
                long size = items.size();
                long written = 0;
                out.writeArrayStart();
                out.setItemCount(size);
                for (Object item : items) {
                    out.startItem();
                    try {
                        element.write(item, out);
                    } catch (NullPointerException e) {
                        throw withContext(e, " in array");
                    }
                    written++;
                }
                out.writeArrayEnd();
                if (written != size) {
                    throw new ConcurrentModificationException("Size of array written was " + size
                            + ", but number of elements written was " + written + ". ");
                }
            };
        }

        @SuppressWarnings("unchecked")
        private Node map(Node valueNode) {
            return (value, out) -> {
                Map<Object, Object> entries = (Map<Object, Object>) value;
                out.writeMapStart();
                out.setItemCount(entries.size());
                for (Map.Entry<Object, Object> entry : entries.entrySet()) {
                    out.startItem();
                    out.writeString(entry.getKey().toString());
                    try {
                        valueNode.write(entry.getValue(), out);
                    } catch (NullPointerException e) {
                        throw withContext(e, " in map");
                    }
                }
                out.writeMapEnd();
            };
        }
    }

    /** A node with a logical type: a value of a converted class (Instant, BigDecimal …) is converted first. */
    private static final class Converting implements Node {
        private final Schema schema;
        private final LogicalType logical;
        private final GenericData model;
        private final Node raw;
        // The last class seen and its conversion: a field almost always holds values of one class.
        private volatile Seen seen = new Seen(null, null);

        private record Seen(Class<?> type, Conversion<?> conversion) {}

        Converting(Schema schema, LogicalType logical, GenericData model, Node raw) {
            this.schema = schema;
            this.logical = logical;
            this.model = model;
            this.raw = raw;
        }

        @Override
        public void write(Object value, Encoder out) throws IOException {
            if (value == null) {
                raw.write(null, out);
                return;
            }
            Seen last = seen;
            if (last.type() != value.getClass()) {
                last = new Seen(value.getClass(), model.getConversionByClass(value.getClass(), logical));
                seen = last;
            }
            raw.write(last.conversion() == null ? value : convert(last.conversion(), value), out);
        }

        @SuppressWarnings("unchecked")
        private <T> Object convert(Conversion<T> conversion, Object value) {
            return Conversions.convertToRawType((T) value, schema, logical, conversion);
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends RuntimeException> E withContext(E e, String where) {
        String message = (e.getMessage() == null ? "" : e.getMessage()) + where;
        RuntimeException out;
        if (e instanceof NullPointerException) {
            out = new NullPointerException(message);
        } else if (e instanceof ClassCastException) {
            out = new ClassCastException(message);
        } else if (e instanceof AvroTypeException) {
            out = new AvroTypeException(message);
        } else {
            return e;
        }
        out.initCause(e.getCause() == null ? e : e.getCause());
        out.setStackTrace(e.getStackTrace());
        return (E) out;
    }
}
