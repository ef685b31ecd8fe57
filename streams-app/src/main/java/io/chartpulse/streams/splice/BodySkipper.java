package io.chartpulse.streams.splice;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Finds where each field of a record ends in its Avro binary encoding without decoding anything: a walk over steps
 * compiled once from the schema (a varint is skipped by its continuation bits, a string by its length, a union by
 * its branch). For bytes already decoded with the same schema, so they are well formed.
 */
final class BodySkipper {

    /** Skips one value starting at {@code pos}; returns the position after it. */
    private interface Skip {
        int skip(byte[] bytes, int pos);
    }

    private final Skip[] fields;

    /** A skipper of records of {@code record}'s schema. */
    BodySkipper(Schema record) {
        Compiler compiler = new Compiler();
        List<Skip> steps = new ArrayList<>();
        for (Schema.Field field : record.getFields()) {
            steps.add(compiler.compile(field.schema()));
        }
        this.fields = steps.toArray(new Skip[0]);
    }

    /**
     * The position after each field of the record encoded from {@code start}, in field order.
     *
     * @throws ArrayIndexOutOfBoundsException when the bytes end before the record does
     */
    int[] fieldEnds(byte[] bytes, int start) {
        int[] ends = new int[fields.length];
        int pos = start;
        for (int i = 0; i < fields.length; i++) {
            pos = fields[i].skip(bytes, pos);
            ends[i] = pos;
        }
        if (pos > bytes.length) {
            throw new ArrayIndexOutOfBoundsException("record ends at " + pos + " of " + bytes.length + " bytes");
        }
        return ends;
    }

    private static final class Compiler {
        // Named schemas being compiled: a recursive record refers to its own steps.
        private final Map<Schema, Skip[]> named = new IdentityHashMap<>();

        Skip compile(Schema schema) {
            return switch (schema.getType()) {
                case NULL -> (b, pos) -> pos;
                case BOOLEAN -> (b, pos) -> pos + 1;
                case INT, LONG, ENUM -> BodySkipper::skipVarint;
                case FLOAT -> (b, pos) -> pos + 4;
                case DOUBLE -> (b, pos) -> pos + 8;
                case STRING, BYTES -> BodySkipper::skipLengthPrefixed;
                case FIXED -> {
                    int size = schema.getFixedSize();
                    yield (b, pos) -> pos + size;
                }
                case RECORD -> record(schema);
                case UNION -> {
                    Skip[] branches =
                            schema.getTypes().stream().map(this::compile).toArray(Skip[]::new);
                    yield (b, pos) -> branches[(int) varint(b, pos)].skip(b, skipVarint(b, pos));
                }
                case ARRAY -> blocks(compile(schema.getElementType()), null);
                case MAP -> blocks(compile(schema.getValueType()), BodySkipper::skipLengthPrefixed);
            };
        }

        private Skip record(Schema schema) {
            Skip[] known = named.get(schema);
            if (known != null) {
                return (b, pos) -> known[0].skip(b, pos);
            }
            Skip[] self = new Skip[1];
            named.put(schema, self);
            Skip[] steps =
                    schema.getFields().stream().map(f -> compile(f.schema())).toArray(Skip[]::new);
            self[0] = (b, pos) -> {
                int p = pos;
                for (Skip step : steps) {
                    p = step.skip(b, p);
                }
                return p;
            };
            return self[0];
        }

        // Arrays and maps: blocks of a count and that many items (a map item is a key and a value); a negative count
        // is followed by the block's size in bytes; a zero count ends them.
        private static Skip blocks(Skip item, Skip key) {
            return (b, pos) -> {
                int p = pos;
                while (true) {
                    long count = varint(b, p);
                    p = skipVarint(b, p);
                    if (count == 0) {
                        return p;
                    }
                    if (count < 0) {
                        p = skipVarint(b, p) + (int) varint(b, p);
                        continue;
                    }
                    for (long i = 0; i < count; i++) {
                        if (key != null) {
                            p = key.skip(b, p);
                        }
                        p = item.skip(b, p);
                    }
                }
            };
        }
    }

    private static int skipVarint(byte[] b, int pos) {
        int p = pos;
        while ((b[p] & 0x80) != 0) {
            p++;
        }
        return p + 1;
    }

    private static int skipLengthPrefixed(byte[] b, int pos) {
        return skipVarint(b, pos) + (int) varint(b, pos);
    }

    // The zig-zag varint at pos.
    private static long varint(byte[] b, int pos) {
        long raw = 0;
        int shift = 0;
        int p = pos;
        byte current;
        do {
            current = b[p++];
            raw |= (long) (current & 0x7F) << shift;
            shift += 7;
        } while ((current & 0x80) != 0);
        return (raw >>> 1) ^ -(raw & 1);
    }
}
