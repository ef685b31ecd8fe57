package io.chartpulse.schemas.evolution;

import io.chartpulse.schemas.ChartPulseSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The build's schema-evolution gate: every current schema must be compatible with its released versions under the
 * mode declared for its record. Run by {@code ReleasedSchemasTest} in every build, and by hand with
 * {@code java ... EvolutionGate <history-dir>}.
 */
public final class EvolutionGate {

    private EvolutionGate() {}

    /** One record's verdict. */
    public record Finding(String record, CompatibilityMode mode, Incompatibility incompatibility) {

        /** A readable line naming the record, mode, version, field and rule. */
        public String describe() {
            return record + " (" + mode + "): " + incompatibility.describe();
        }
    }

    /** Checks one record's candidate schema against its history. */
    public static List<Finding> check(
            String record, Schema candidate, List<VersionedSchema> history, CompatibilityMode mode) {
        List<Finding> findings = new ArrayList<>();
        for (Incompatibility incompatibility : SchemaCompatibilityChecker.check(candidate, history, mode)) {
            findings.add(new Finding(record, mode, incompatibility));
        }
        return findings;
    }

    /** Checks every ChartPulse record against the history in {@code historyDir}. */
    public static List<Finding> checkAll(SchemaHistory history) {
        List<Finding> findings = new ArrayList<>();
        for (ChartPulseSchema record : ChartPulseSchema.values()) {
            findings.addAll(check(
                    record.recordName(),
                    record.schema(),
                    history.versions(record.recordName()),
                    record.compatibility()));
        }
        return findings;
    }

    /** Formats findings as the gate's failure message. */
    public static String report(List<Finding> findings) {
        StringBuilder out = new StringBuilder("Schema evolution gate failed: ")
                .append(findings.size())
                .append(" incompatibilit")
                .append(findings.size() == 1 ? "y" : "ies")
                .append(" with released versions.\n");
        for (Finding finding : findings) {
            out.append("  - ").append(finding.describe()).append('\n');
        }
        out.append("Released versions live in schemas/history/<Record>/v<N>.avsc; see schemas/README.md.");
        return out.toString();
    }

    /** Exits 1 with the report when any record is incompatible. Argument: the history directory. */
    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "schemas/history");
        List<Finding> findings = checkAll(SchemaHistory.inDirectory(dir));
        if (!findings.isEmpty()) {
            System.err.println(report(findings));
            System.exit(1);
        }
        System.out.println("Schema evolution gate passed for " + ChartPulseSchema.values().length + " records.");
    }
}
