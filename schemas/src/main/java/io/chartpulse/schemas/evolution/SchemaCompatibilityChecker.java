package io.chartpulse.schemas.evolution;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;

/**
 * Checks a candidate schema against earlier versions under a {@link CompatibilityMode}, using Avro's own
 * {@link SchemaCompatibility} and turning its findings into {@link Incompatibility} messages that name the field
 * and say how to fix it. Stateless and thread-safe.
 */
public final class SchemaCompatibilityChecker {

    private SchemaCompatibilityChecker() {}

    /**
     * Returns every incompatibility of {@code candidate} with {@code earlier} under {@code mode}; empty when
     * compatible.
     *
     * @param earlier earlier versions, oldest first; non-transitive modes check only the last one
     */
    public static List<Incompatibility> check(Schema candidate, List<VersionedSchema> earlier, CompatibilityMode mode) {
        List<Incompatibility> found = new ArrayList<>();
        if (mode == CompatibilityMode.NONE || earlier.isEmpty()) {
            return found;
        }
        List<VersionedSchema> against =
                mode.transitive() ? earlier : earlier.subList(earlier.size() - 1, earlier.size());
        for (VersionedSchema previous : against) {
            if (mode.checksBackward()) {
                found.addAll(check(candidate, previous.schema(), previous.label(), Direction.BACKWARD));
            }
            if (mode.checksForward()) {
                found.addAll(check(previous.schema(), candidate, previous.label(), Direction.FORWARD));
            }
        }
        return found;
    }

    private static List<Incompatibility> check(Schema reader, Schema writer, String version, Direction direction) {
        List<Incompatibility> found = new ArrayList<>();
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        for (SchemaCompatibility.Incompatibility avro : result.getResult().getIncompatibilities()) {
            String field = FieldPath.resolve(reader, avro.getLocation());
            found.add(new Incompatibility(
                    version, direction, field, avro.getType().name(), explain(avro, direction)));
        }
        return found;
    }

    private static String explain(SchemaCompatibility.Incompatibility avro, Direction direction) {
        SchemaIncompatibilityType type = avro.getType();
        String detail = avro.getMessage();
        return switch (type) {
            case READER_FIELD_MISSING_DEFAULT_VALUE ->
                direction == Direction.BACKWARD
                        ? "the new schema has a field that older data lacks, and the field has no default (" + detail
                                + "). Give it a default, e.g. type [\"null\", T] with \"default\": null."
                        : "the new schema drops a field that older readers require (it has no default there: " + detail
                                + "). Keep the field, or first release a version where it has a default.";
            case TYPE_MISMATCH ->
                "the type changed in a way Avro cannot convert (" + detail
                        + "). Allowed changes: int to long, float or double; long to float or double; float to double;"
                        + " string and bytes either way; T to a union containing T. Add a new field instead.";
            case MISSING_ENUM_SYMBOLS ->
                "the reading side's enum lacks symbol(s) " + detail
                        + " and has no default symbol to fall back to. Give the enum a \"default\" (e.g. UNKNOWN)"
                        + " in a released version before adding symbols.";
            case MISSING_UNION_BRANCH ->
                "the writer's union has a branch the reader's union lacks (" + detail
                        + "). Keep every branch of the union.";
            case NAME_MISMATCH ->
                "a named type was renamed (" + detail + "). Keep the name, or add the old name to \"aliases\".";
            case FIXED_SIZE_MISMATCH -> "a fixed type changed size (" + detail + "). Fixed sizes cannot change.";
        };
    }
}
