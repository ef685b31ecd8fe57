package io.chartpulse.schemas.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.avro.Schema;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class EvolutionGateTest {

    private static final List<VersionedSchema> HISTORY = List.of(new VersionedSchema("v1", fixture("base")));

    @Test
    void acceptsAddingAnOptionalFieldWithADefault() {
        assertThat(gate("add-optional-field", CompatibilityMode.FULL_TRANSITIVE))
                .isEmpty();
    }

    @Test
    void rejectsRemovingAFieldWithoutADefault() {
        List<EvolutionGate.Finding> findings = gate("remove-field-without-default", CompatibilityMode.FULL_TRANSITIVE);

        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).incompatibility().direction()).isEqualTo(Direction.FORWARD);
        assertThat(findings.get(0).describe())
                .contains(
                        "Fixture (FULL_TRANSITIVE)",
                        "conflicts with v1",
                        "field 'count'",
                        "drops a field that older readers require",
                        "READER_FIELD_MISSING_DEFAULT_VALUE");
    }

    @Test
    void rejectsAnIncompatibleTypeChangeInBothDirections() {
        List<EvolutionGate.Finding> findings = gate("change-type", CompatibilityMode.FULL_TRANSITIVE);

        assertThat(findings)
                .extracting(f -> f.incompatibility().direction())
                .containsExactlyInAnyOrder(Direction.BACKWARD, Direction.FORWARD);
        assertThat(findings)
                .allSatisfy(f -> assertThat(f.describe())
                        .contains("Fixture", "v1", "field 'count'", "TYPE_MISMATCH", "int to long"));
    }

    @Test
    void rejectsAddingAnEnumSymbolWhenTheEnumHasNoDefault() {
        List<EvolutionGate.Finding> findings = gate("add-enum-symbol", CompatibilityMode.FULL_TRANSITIVE);

        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).describe())
                .contains(
                        "Fixture", "v1", "field 'kind'", "MISSING_ENUM_SYMBOLS", "[C]", "Give the enum a \"default\"");
    }

    @Test
    void backwardModeAllowsNewEnumSymbolsButNotNewRequiredFields() {
        assertThat(gate("add-enum-symbol", CompatibilityMode.BACKWARD_TRANSITIVE))
                .isEmpty();

        List<EvolutionGate.Finding> findings = gate("add-required-field", CompatibilityMode.BACKWARD_TRANSITIVE);
        assertThat(findings)
                .singleElement()
                .satisfies(f -> assertThat(f.describe())
                        .contains("field 'owner'", "has no default", "READER_FIELD_MISSING_DEFAULT_VALUE"));
    }

    @Test
    void forwardModeAllowsRemovingAnOptionalFieldOnlyNonTransitivelyWhenOlderVersionsDiffer() {
        // v1 lacks 'extra', v2 has it; the candidate removes 'count' again: incompatible with both under FORWARD.
        List<VersionedSchema> history = List.of(
                new VersionedSchema("v1", fixture("base")), new VersionedSchema("v2", fixture("add-optional-field")));
        assertThat(EvolutionGate.check(
                        "Fixture", fixture("remove-field-without-default"), history, CompatibilityMode.FORWARD))
                .extracting(f -> f.incompatibility().version())
                .containsExactly("v2");
        assertThat(EvolutionGate.check(
                        "Fixture",
                        fixture("remove-field-without-default"),
                        history,
                        CompatibilityMode.FORWARD_TRANSITIVE))
                .extracting(f -> f.incompatibility().version())
                .containsExactly("v1", "v2");
    }

    @Test
    void transitiveModesCheckEveryVersionAndOthersOnlyTheLatest() {
        // v1 has an int count, v2 a string one; a candidate equal to v2 is fine with v2 but not with v1.
        List<VersionedSchema> history =
                List.of(new VersionedSchema("v1", fixture("base")), new VersionedSchema("v2", fixture("change-type")));
        assertThat(EvolutionGate.check("Fixture", fixture("change-type"), history, CompatibilityMode.FULL))
                .isEmpty();
        assertThat(EvolutionGate.check("Fixture", fixture("change-type"), history, CompatibilityMode.FULL_TRANSITIVE))
                .isNotEmpty()
                .allSatisfy(f -> assertThat(f.incompatibility().version()).isEqualTo("v1"));
    }

    @Test
    void noneChecksNothing() {
        assertThat(gate("change-type", CompatibilityMode.NONE)).isEmpty();
    }

    @Test
    void reportNamesEveryFindingAndWhereHistoryLives() {
        String report = EvolutionGate.report(gate("change-type", CompatibilityMode.FULL_TRANSITIVE));
        assertThat(report)
                .startsWith("Schema evolution gate failed: 2 incompatibilities")
                .contains("schemas/history/<Record>/v<N>.avsc");
    }

    @Test
    void parsesModesCaseInsensitivelyAndNamesValidOnes() {
        assertThat(CompatibilityMode.parse("full_transitive")).isEqualTo(CompatibilityMode.FULL_TRANSITIVE);
        Assertions.assertThatThrownBy(() -> CompatibilityMode.parse("SIDEWAYS"))
                .hasMessageContaining("'SIDEWAYS'")
                .hasMessageContaining("BACKWARD_TRANSITIVE");
    }

    private static List<EvolutionGate.Finding> gate(String candidate, CompatibilityMode mode) {
        return EvolutionGate.check("Fixture", fixture(candidate), HISTORY, mode);
    }

    static Schema fixture(String name) {
        try (InputStream in = EvolutionGateTest.class.getResourceAsStream("/evolution/" + name + ".avsc")) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
