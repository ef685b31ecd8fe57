package io.chartpulse.registry.core;

/**
 * One version of a subject.
 *
 * @param schema  the schema in canonical form (parsed and printed compactly by Avro)
 * @param deleted true when soft-deleted
 */
public record SchemaVersion(String subject, int version, int id, String schema, boolean deleted) {

    SchemaVersion softDeleted() {
        return new SchemaVersion(subject, version, id, schema, true);
    }
}
