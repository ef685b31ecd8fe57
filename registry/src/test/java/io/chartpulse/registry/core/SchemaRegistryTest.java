package io.chartpulse.registry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chartpulse.schemas.evolution.CompatibilityMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry's rules on an in-memory store log: what is written, what is refused, what a replay rebuilds. */
class SchemaRegistryTest {

    private static final String V1 = record("{\"name\":\"a\",\"type\":\"int\"}");
    private static final String V2_OPTIONAL_B = record(
            "{\"name\":\"a\",\"type\":\"int\"}", "{\"name\":\"b\",\"type\":[\"null\",\"string\"],\"default\":null}");
    private static final String V2_REQUIRED_B =
            record("{\"name\":\"a\",\"type\":\"int\"}", "{\"name\":\"b\",\"type\":\"string\"}");

    private final RegistryState state = new RegistryState(CompatibilityMode.BACKWARD);
    private final MemoryStoreLog log = new MemoryStoreLog(state);
    private final SchemaRegistry registry = new SchemaRegistry(state, log);

    private static String record(String... fields) {
        return "{\"type\":\"record\",\"name\":\"R\",\"fields\":[" + String.join(",", fields) + "]}";
    }

    private static ErrorCode codeOf(Runnable call) {
        try {
            call.run();
        } catch (RegistryException e) {
            return e.errorCode();
        }
        throw new AssertionError("expected a RegistryException");
    }

    @Test
    void registeringIsIdempotentAndOneSchemaKeepsOneIdAcrossSubjects() {
        int id = registry.register("a-value", V1, null);
        assertThat(registry.register("a-value", V1.replace("\"int\"", " \"int\" "), "AVRO"))
                .as("the same schema in another spelling")
                .isEqualTo(id);
        assertThat(log.entries()).hasSize(1);
        assertThat(registry.register("b-value", V1, null)).isEqualTo(id);
        assertThat(registry.versions("b-value", false)).containsExactly(1);
        assertThat(registry.register("a-value", V2_OPTIONAL_B, null)).isEqualTo(id + 1);
        assertThat(registry.version("a-value", "latest", false).version()).isEqualTo(2);
        assertThat(registry.usesOf(id))
                .extracting(SchemaVersion::subject)
                .containsExactlyInAnyOrder("a-value", "b-value");
    }

    @Test
    void anIncompatibleSchemaIsRefusedAndNothingIsWritten() {
        registry.register("a-value", V1, null);
        assertThatThrownBy(() -> registry.register("a-value", V2_REQUIRED_B, null))
                .isInstanceOfSatisfying(
                        RegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INCOMPATIBLE_SCHEMA))
                .hasMessageContaining("b");
        assertThat(log.entries()).hasSize(1);
        assertThat(registry.testCompatibility("a-value", "latest", V2_REQUIRED_B, null, true)
                        .compatible())
                .isFalse();

        registry.setConfig("a-value", "NONE");
        assertThat(registry.register("a-value", V2_REQUIRED_B, null)).isPositive();
        assertThat(registry.subjectConfig("a-value", false)).isEqualTo(CompatibilityMode.NONE);
        assertThat(registry.deleteConfig("a-value")).isEqualTo(CompatibilityMode.NONE);
        assertThat(registry.subjectConfig("a-value", true)).isEqualTo(CompatibilityMode.BACKWARD);
        assertThat(codeOf(() -> registry.deleteConfig("a-value"))).isEqualTo(ErrorCode.SUBJECT_CONFIG_NOT_FOUND);
        assertThat(codeOf(() -> registry.setConfig(null, "SIDEWAYS"))).isEqualTo(ErrorCode.INVALID_COMPATIBILITY_LEVEL);
    }

    @Test
    void deletesAreSoftFirstThenPermanent() {
        registry.register("a-value", V1, null);
        registry.register("a-value", V2_OPTIONAL_B, null);
        assertThat(codeOf(() -> registry.deleteSubject("a-value", true))).isEqualTo(ErrorCode.SUBJECT_NOT_SOFT_DELETED);
        assertThat(registry.deleteVersion("a-value", "2", false)).isEqualTo(2);
        assertThat(codeOf(() -> registry.deleteVersion("a-value", "2", false)))
                .isEqualTo(ErrorCode.VERSION_SOFT_DELETED);
        assertThat(registry.versions("a-value", false)).containsExactly(1);
        assertThat(registry.deleteSubject("a-value", false)).containsExactly(1);
        assertThat(codeOf(() -> registry.deleteSubject("a-value", false))).isEqualTo(ErrorCode.SUBJECT_SOFT_DELETED);
        assertThat(registry.subjects(false)).isEmpty();
        assertThat(registry.subjects(true)).containsExactly("a-value");
        assertThat(registry.deleteSubject("a-value", true)).containsExactly(1, 2);
        assertThat(registry.subjects(true)).isEmpty();
        assertThat(codeOf(() -> registry.versions("a-value", true))).isEqualTo(ErrorCode.SUBJECT_NOT_FOUND);
    }

    @Test
    void badRequestsNameWhatWasWrong() {
        registry.register("a-value", V1, null);
        assertThat(codeOf(() -> registry.version("a-value", "0", false))).isEqualTo(ErrorCode.INVALID_VERSION);
        assertThat(codeOf(() -> registry.version("a-value", "one", false))).isEqualTo(ErrorCode.INVALID_VERSION);
        assertThat(codeOf(() -> registry.version("a-value", "7", false))).isEqualTo(ErrorCode.VERSION_NOT_FOUND);
        assertThat(codeOf(() -> registry.register("a-value", "{\"type\":", null)))
                .isEqualTo(ErrorCode.INVALID_SCHEMA);
        assertThat(codeOf(() -> registry.register("a-value", V1, "PROTOBUF")))
                .isEqualTo(ErrorCode.UNSUPPORTED_SCHEMA_TYPE);
        assertThat(codeOf(() -> registry.schemaById(99))).isEqualTo(ErrorCode.SCHEMA_ID_NOT_FOUND);
        assertThat(log.entries()).hasSize(1);
    }

    @Test
    void aReplayOfTheLogRebuildsTheSameRegistry() {
        registry.register("a-value", V1, null);
        registry.register("a-value", V2_OPTIONAL_B, null);
        registry.register("b-value", V2_OPTIONAL_B, null);
        registry.setConfig(null, "FULL");
        registry.deleteVersion("b-value", "1", false);

        SchemaRegistry rebuilt = new SchemaRegistry(
                log.replay(new RegistryState(CompatibilityMode.BACKWARD)), new MemoryStoreLog(state));
        for (boolean deleted : List.of(false, true)) {
            assertThat(rebuilt.subjects(deleted)).isEqualTo(registry.subjects(deleted));
        }
        assertThat(rebuilt.version("a-value", "2", false)).isEqualTo(registry.version("a-value", "2", false));
        assertThat(rebuilt.version("b-value", "1", true).deleted()).isTrue();
        assertThat(rebuilt.globalConfig()).isEqualTo(CompatibilityMode.FULL);
        assertThat(rebuilt.schemaById(2)).isEqualTo(registry.schemaById(2));
    }
}
