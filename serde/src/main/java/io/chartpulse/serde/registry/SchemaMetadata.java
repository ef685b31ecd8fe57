package io.chartpulse.serde.registry;

import org.apache.avro.Schema;

/** A registered schema: its global id, its version within a subject and the schema itself. */
public record SchemaMetadata(int id, int version, Schema schema) {}
