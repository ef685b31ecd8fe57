package io.chartpulse.schemas.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.schemas.ChartPulseSchema;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The gate itself: fails the build when a current schema breaks its compatibility mode against history. */
class ReleasedSchemasTest {

    private static final SchemaHistory HISTORY = SchemaHistory.inDirectory(Path.of("history"));

    @Test
    void currentSchemasAreCompatibleWithEveryReleasedVersion() {
        List<EvolutionGate.Finding> findings = EvolutionGate.checkAll(HISTORY);
        assertThat(findings).as(() -> EvolutionGate.report(findings)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ChartPulseSchema.class)
    void everyRecordHasBeenReleasedAndTheJarCarriesItsHistory(ChartPulseSchema record) {
        List<VersionedSchema> released = HISTORY.versions(record.recordName());
        assertThat(released).as("released versions of " + record.recordName()).isNotEmpty();
        assertThat(SchemaHistory.fromClasspath(record.recordName()))
                .extracting(VersionedSchema::schema)
                .containsExactlyElementsOf(
                        released.stream().map(VersionedSchema::schema).toList());
    }
}
