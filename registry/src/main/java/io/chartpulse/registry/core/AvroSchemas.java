package io.chartpulse.registry.core;

import org.apache.avro.Schema;

/** Parsing of submitted schemas; the canonical form is Avro's compact print of the parsed schema. */
final class AvroSchemas {

    private AvroSchemas() {}

    /** Parses an Avro schema, turning every parser failure into INVALID_SCHEMA with Avro's reason. */
    static Schema parse(String text) {
        if (text == null || text.isBlank()) {
            throw ErrorCode.INVALID_SCHEMA.exception("the schema is empty");
        }
        try {
            return new Schema.Parser().parse(text);
        } catch (RuntimeException e) {
            // SchemaParseException, AvroTypeException for bad defaults, and Jackson errors for malformed JSON.
            throw ErrorCode.INVALID_SCHEMA.exception(e.getMessage());
        }
    }
}
