package io.chartpulse.schemas.evolution;

import org.apache.avro.Schema;

/**
 * An earlier version of a schema, with the label used in messages.
 *
 * @param label  how messages name it, e.g. {@code v2} or {@code version 2}
 * @param schema the parsed schema
 */
public record VersionedSchema(String label, Schema schema) {}
