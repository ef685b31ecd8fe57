package io.chartpulse.embedded.junit;

import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.junit.KafkaExtension;
import io.chartpulse.embedded.kafka.junit.TestTopics;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving integration tests the embedded ChartPulse stack of this test JVM: the shared Kafka
 * broker (the same one {@link KafkaExtension} gives), {@link TestTopics}, and one {@link EmbeddedRegistry} on the
 * {@code _schemas} topic, each started on first use and stopped when the run ends.
 */
public final class StackExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(StackExtension.class);
    private final KafkaExtension kafka = new KafkaExtension();

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedRegistry.class
                || kafka.supportsParameter(parameter, context);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() == EmbeddedRegistry.class) {
            return sharedRegistry(context);
        }
        return kafka.resolveParameter(parameter, context);
    }

    /** The registry shared by every test of this JVM. */
    public static EmbeddedRegistry sharedRegistry(ExtensionContext context) {
        EmbeddedKafka broker = KafkaExtension.sharedKafka(context);
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        EmbeddedRegistry.class,
                        k -> EmbeddedRegistry.start(broker, 0, "_schemas"),
                        EmbeddedRegistry.class);
    }
}
