package io.chartpulse.schemas.evolution;

import io.chartpulse.schemas.ChartPulseSchema;
import java.nio.file.Path;
import java.util.List;

/**
 * Cuts a release of the schemas: for each record whose current schema differs from its latest released version,
 * writes the current schema as the next {@code v<N>.avsc}. Refuses when the gate fails, so an incompatible schema
 * is never released. Argument: the history directory.
 */
public final class SchemaReleaseTool {

    private SchemaReleaseTool() {}

    public static void main(String[] args) {
        SchemaHistory history = SchemaHistory.inDirectory(Path.of(args.length > 0 ? args[0] : "schemas/history"));
        List<EvolutionGate.Finding> findings = EvolutionGate.checkAll(history);
        if (!findings.isEmpty()) {
            System.err.println(EvolutionGate.report(findings));
            System.exit(1);
        }
        int cut = 0;
        for (ChartPulseSchema record : ChartPulseSchema.values()) {
            List<VersionedSchema> versions = history.versions(record.recordName());
            if (versions.isEmpty()
                    || !versions.get(versions.size() - 1).schema().equals(record.schema())) {
                System.out.println("released " + history.cut(record.recordName(), record.schema()));
                cut++;
            }
        }
        System.out.println(cut == 0 ? "Nothing changed since the last release." : "Released " + cut + " schema(s).");
    }
}
