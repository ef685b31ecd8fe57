package io.chartpulse.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class LakeTablesTest {

    static InMemoryCatalog catalog() {
        InMemoryCatalog catalog = new InMemoryCatalog();
        catalog.initialize("test", Map.of());
        return catalog;
    }

    static List<Tuple> fields(Table table) {
        return table.spec().fields().stream()
                .map(f -> tuple(f.transform().toString(), table.schema().findColumnName(f.sourceId())))
                .toList();
    }

    @Test
    void createsEveryTableWithItsDayAndTypePartitions() {
        InMemoryCatalog catalog = catalog();
        List<LakeTables.Outcome> outcomes = LakeTables.ensure(catalog);
        assertThat(outcomes).allSatisfy(o -> assertThat(o.created()).isTrue());
        assertThat(fields(catalog.loadTable(LakeTable.ENRICHED_EVENTS.identifier())))
                .containsExactly(tuple("day", "derived_at"), tuple("identity", "event_type"));
        assertThat(fields(catalog.loadTable(LakeTable.SESSIONS.identifier())))
                .containsExactly(tuple("day", "start_at"));
        Table enriched = catalog.loadTable(LakeTable.ENRICHED_EVENTS.identifier());
        Map<String, String> stored = new HashMap<>(LakeTable.properties());
        // format-version is the table's version, not a stored property
        assertThat(stored.remove("format-version")).isEqualTo("2");
        assertThat(((HasTableOperations) enriched).operations().current().formatVersion())
                .isEqualTo(2);
        assertThat(enriched.properties()).containsAllEntriesOf(stored);

        assertThat(LakeTables.ensure(catalog))
                .allSatisfy(o -> assertThat(o.created() || o.specEvolved()).isFalse());
    }

    @Test
    void aTableCreatedBeforeTheTypePartitionGainsItOnce() {
        InMemoryCatalog catalog = catalog();
        catalog.createNamespace(LakeTable.NAMESPACE);
        Schema schema = LakeTable.ENRICHED_EVENTS.schema();
        catalog.buildTable(LakeTable.ENRICHED_EVENTS.identifier(), schema)
                .withPartitionSpec(
                        PartitionSpec.builderFor(schema).day("derived_at").build())
                .create();

        LakeTables.Outcome first = LakeTables.ensure(catalog).get(0);
        assertThat(first.table()).isEqualTo(LakeTable.ENRICHED_EVENTS);
        assertThat(first.created()).isFalse();
        assertThat(first.specEvolved()).isTrue();
        assertThat(fields(catalog.loadTable(LakeTable.ENRICHED_EVENTS.identifier())))
                .containsExactly(tuple("day", "derived_at"), tuple("identity", "event_type"));

        assertThat(LakeTables.ensure(catalog).get(0).specEvolved()).isFalse();
    }
}
