package io.chartpulse.registry;

import static io.chartpulse.registry.Schemas.B_WITH_DEFAULT;
import static io.chartpulse.registry.Schemas.INT_A;
import static io.chartpulse.registry.Schemas.INT_A_DEFAULT;
import static io.chartpulse.registry.Schemas.OPTIONAL_B;
import static io.chartpulse.registry.Schemas.REQUIRED_B;
import static io.chartpulse.registry.Schemas.REQUIRED_C;
import static io.chartpulse.registry.Schemas.field;
import static io.chartpulse.registry.Schemas.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.junit.KafkaExtension;
import io.chartpulse.embedded.kafka.junit.TestTopics;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One accepted and one rejected registration per compatibility mode, set per subject. */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompatibilityModesIT {

    private static final AtomicInteger SUBJECTS = new AtomicInteger();

    private RegistryServer server;
    private RegistryClient client;

    @BeforeAll
    void start(EmbeddedKafka kafka, TestTopics topics) {
        server = RegistryFixture.start(kafka, topics.unique("_schemas"));
        client = new RegistryClient(server.url());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /**
     * mode, the history registered first (under NONE), a candidate the mode accepts, one it rejects.
     * Transitive cases pick a rejected candidate that is fine against the latest version only.
     */
    static Stream<Arguments> modes() {
        return Stream.of(
                Arguments.of("NONE", List.of(record(INT_A)), record(field("a", "\"string\"")), null),
                Arguments.of("BACKWARD", List.of(record(INT_A)), record(INT_A, OPTIONAL_B), record(INT_A, REQUIRED_C)),
                Arguments.of(
                        "BACKWARD_TRANSITIVE",
                        List.of(record(INT_A), record(INT_A, B_WITH_DEFAULT)),
                        record(INT_A, B_WITH_DEFAULT, OPTIONAL_C),
                        record(INT_A, REQUIRED_B)),
                Arguments.of("FORWARD", List.of(record(INT_A)), record(INT_A, REQUIRED_C), record(REQUIRED_C)),
                Arguments.of(
                        "FORWARD_TRANSITIVE",
                        List.of(record(INT_A), record(INT_A_DEFAULT, REQUIRED_B)),
                        record(INT_A, REQUIRED_B, REQUIRED_C),
                        record(REQUIRED_B)),
                Arguments.of("FULL", List.of(record(INT_A)), record(INT_A, OPTIONAL_B), record(INT_A, REQUIRED_C)),
                Arguments.of(
                        "FULL_TRANSITIVE",
                        List.of(record(INT_A), record(INT_A_DEFAULT, B_WITH_DEFAULT)),
                        record(INT_A_DEFAULT, B_WITH_DEFAULT, OPTIONAL_C),
                        record(B_WITH_DEFAULT)));
    }

    private static final String OPTIONAL_C = field("c", "[\"null\",\"string\"]", "null");

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void modeAcceptsAndRejects(String mode, List<String> history, String accepted, String rejected) {
        String s = "modes-" + SUBJECTS.incrementAndGet() + "-value";
        client.put("/config/" + s, new JsonObject().put("compatibility", "NONE"));
        history.forEach(schema -> client.registerOk(s, schema));
        client.put("/config/" + s, new JsonObject().put("compatibility", mode));

        if (rejected != null) {
            RegistryClient.Response refused = client.register(s, rejected);
            assertThat(refused.status()).as(mode + " must reject").isEqualTo(409);
            assertThat(client.post(
                                    "/compatibility/subjects/" + s + "/versions?verbose=true",
                                    new JsonObject().put("schema", rejected))
                            .json()
                            .getBoolean("is_compatible"))
                    .isFalse();
        }
        assertThat(client.register(s, accepted).status())
                .as(mode + " must accept")
                .isEqualTo(200);
    }

    static Stream<Arguments> transitiveModes() {
        return modes().filter(args -> args.get()[0].toString().endsWith("_TRANSITIVE"));
    }

    @ParameterizedTest(name = "{0} without _TRANSITIVE accepts what only older versions forbid")
    @MethodSource("transitiveModes")
    void nonTransitiveFormChecksOnlyTheLatestVersion(
            String mode, List<String> history, String accepted, String rejected) {
        String s = "modes-" + SUBJECTS.incrementAndGet() + "-value";
        client.put("/config/" + s, new JsonObject().put("compatibility", "NONE"));
        history.forEach(schema -> client.registerOk(s, schema));
        client.put("/config/" + s, new JsonObject().put("compatibility", mode.replace("_TRANSITIVE", "")));

        assertThat(client.register(s, rejected).status()).isEqualTo(200);
    }
}
