package io.chartpulse.batch;

import io.chartpulse.lake.LakeTable;
import io.chartpulse.lake.LakeWriter;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.types.Types;

/**
 * Writes an interval's rollup rows into the lake's rollup tables ({@code chartpulse.chart_daily}, {@code chartpulse.chart_hourly} …), each run one
 * Iceberg overwrite commit that removes the interval's rows and adds the new ones atomically: a reader sees the
 * last complete run, and a run that dies before its commit changes nothing.
 */
public final class LakeOutput {

    private final Catalog catalog;

    public LakeOutput(Catalog catalog) {
        this.catalog = catalog;
    }

    /** Creates the rollup tables of every grain that are missing (safe to run again). */
    public void ensureTables() {
        if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(LakeTable.NAMESPACE)) {
            try {
                namespaces.createNamespace(LakeTable.NAMESPACE);
            } catch (AlreadyExistsException raced) {
                // created by another run meanwhile
            }
        }
        for (Interval.Grain grain : Interval.Grain.values()) {
            for (RollupTable table : RollupTable.values()) {
                if (!catalog.tableExists(table.identifier(grain))) {
                    Schema schema = table.schema();
                    try {
                        catalog.buildTable(table.identifier(grain), schema)
                                .withPartitionSpec(table.spec(schema))
                                .withProperties(LakeTable.properties())
                                .create();
                    } catch (AlreadyExistsException raced) {
                        // created by another run meanwhile
                    }
                }
            }
        }
    }

    /** Replaces the rows of {@code interval} in {@code table} by {@code rows}, in one commit. */
    public void replace(RollupTable rollup, Interval interval, String runId, List<Map<String, Object>> rows) {
        Table table = catalog.loadTable(rollup.identifier(interval.grain()));
        List<Record> records = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            records.add(record(table.schema().asStruct(), row));
        }
        LakeWriter.overwrite(table, filter(interval), records, "rollup " + interval.key() + " " + runId);
    }

    /** The rows of one interval (each file a run writes holds one interval only; a table, one grain). */
    static Expression filter(Interval interval) {
        return Expressions.equal("interval", interval.key());
    }

    static Record record(Types.StructType struct, Map<String, Object> row) {
        GenericRecord r = GenericRecord.create(struct);
        for (Types.NestedField f : struct.fields()) {
            Object v = row.get(f.name());
            if (v instanceof Instant t) {
                v = t.atOffset(ZoneOffset.UTC);
            } else if (v instanceof byte[] b) {
                v = ByteBuffer.wrap(b);
            }
            r.setField(f.name(), v);
        }
        return r;
    }
}
