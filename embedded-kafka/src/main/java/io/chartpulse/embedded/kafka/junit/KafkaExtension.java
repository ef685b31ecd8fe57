package io.chartpulse.embedded.kafka.junit;

import io.chartpulse.embedded.kafka.EmbeddedKafka;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving integration tests the one embedded Kafka broker of this test JVM (started on first use,
 * stopped when the test run ends) and {@link TestTopics} for fresh topics per test. Inject either as a parameter of
 * a test, a lifecycle method or a constructor:
 *
 * <pre>{@code
 * @ExtendWith(KafkaExtension.class)
 * class CollectorIT {
 *     @Test
 *     void acceptsEvents(EmbeddedKafka kafka, TestTopics topics) {
 *         String raw = topics.create("chart.events.raw.v1", 3);
 *         ...
 * }</pre>
 */
public final class KafkaExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == EmbeddedKafka.class || type == TestTopics.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        EmbeddedKafka kafka = sharedKafka(context);
        return parameter.getParameter().getType() == EmbeddedKafka.class ? kafka : new TestTopics(kafka);
    }

    /** The broker shared by every test of this JVM; the root store closes it when the run ends. */
    public static EmbeddedKafka sharedKafka(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        EmbeddedKafka.class, k -> EmbeddedKafka.builder().start(), EmbeddedKafka.class);
    }
}
