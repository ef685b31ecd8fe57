package io.chartpulse.lake;

import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.exceptions.AlreadyExistsException;

/**
 * Creates the lake's tables from their definitions ({@link LakeTable}) before any sink writes: the sink's own
 * auto-create would guess the schema from the first record and partition nothing. Safe to run again: an existing
 * table is left as it is (its schema evolves through the sink, its spec and properties only by an explicit
 * change).
 */
public final class LakeTables {

    private LakeTables() {}

    /**
     * What {@link #ensure} did to one table: created it, or found it and (when {@code specEvolved}) added the
     * partition column its definition has gained since.
     */
    public record Outcome(LakeTable table, boolean created, boolean specEvolved, String location) {}

    /**
     * Creates the namespace and every missing table, and evolves the partition spec of an existing table that lacks
     * its definition's type column (a table created before {@code enriched_events} was partitioned by
     * {@code event_type}: files written before keep their layout, new ones get the new one — Iceberg plans both).
     * Returns one outcome per table, in {@link LakeTable} order.
     */
    public static List<Outcome> ensure(Catalog catalog) {
        if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(LakeTable.NAMESPACE)) {
            try {
                namespaces.createNamespace(LakeTable.NAMESPACE);
            } catch (AlreadyExistsException raced) {
                // another process created it in the meantime
            }
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (LakeTable table : LakeTable.values()) {
            if (catalog.tableExists(table.identifier())) {
                Table existing = catalog.loadTable(table.identifier());
                outcomes.add(new Outcome(table, false, evolveSpec(table, existing), existing.location()));
                continue;
            }
            Schema schema = table.schema();
            try {
                Table created = catalog.buildTable(table.identifier(), schema)
                        .withPartitionSpec(table.spec(schema))
                        .withProperties(LakeTable.properties())
                        .create();
                outcomes.add(new Outcome(table, true, false, created.location()));
            } catch (AlreadyExistsException raced) {
                outcomes.add(new Outcome(
                        table,
                        false,
                        false,
                        catalog.loadTable(table.identifier()).location()));
            }
        }
        return outcomes;
    }

    /** Adds {@code table}'s type column to {@code existing}'s partition spec when missing; true if it did. */
    static boolean evolveSpec(LakeTable table, Table existing) {
        if (table.typeColumn().isEmpty()) {
            return false;
        }
        String column = table.typeColumn().get();
        int sourceId = existing.schema().findField(column).fieldId();
        boolean partitioned = existing.spec().fields().stream()
                .anyMatch(f -> f.sourceId() == sourceId && f.transform().isIdentity());
        if (partitioned) {
            return false;
        }
        existing.updateSpec().addField(column).commit();
        return true;
    }
}
