package io.chartpulse.schemas.evolution;

/**
 * One reason a schema is not compatible with an earlier version.
 *
 * @param version   the earlier version it conflicts with, e.g. {@code v3} or {@code version 3}
 * @param direction which side could not read the other
 * @param field     dotted path of the field at fault, e.g. {@code product.rank}; {@code <root>} for the record itself
 * @param rule      the Avro rule broken (its incompatibility type), e.g. {@code READER_FIELD_MISSING_DEFAULT_VALUE}
 * @param message   a sentence a reader who never read Avro's specification understands, with how to fix it
 */
public record Incompatibility(String version, Direction direction, String field, String rule, String message) {

    /** One line: version, direction, field, rule and advice. */
    public String describe() {
        return "conflicts with " + version + " (" + direction.describe(version) + "): field '" + field + "': " + message
                + " [rule " + rule + "]";
    }
}
