package io.chartpulse.embedded.kafka.junit;

import io.chartpulse.embedded.kafka.EmbeddedKafka;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fresh topics on the shared broker: each call creates a topic no other test uses, named after the topic it
 * stands for ({@code chart.events.raw.v1} becomes {@code chart.events.raw.v1-7}), so tests never see each other's
 * records.
 */
public final class TestTopics {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final EmbeddedKafka kafka;

    TestTopics(EmbeddedKafka kafka) {
        this.kafka = kafka;
    }

    /** Creates a fresh one-partition topic and returns its name. */
    public String create(String base) {
        return create(base, 1, Map.of());
    }

    /** Creates a fresh topic with {@code partitions} partitions and returns its name. */
    public String create(String base, int partitions) {
        return create(base, partitions, Map.of());
    }

    /** Creates a fresh topic with the given configs and returns its name. */
    public String create(String base, int partitions, Map<String, String> configs) {
        String name = unique(base);
        kafka.createTopic(name, partitions, configs);
        return name;
    }

    /** A topic name no other test uses, without creating it. */
    public String unique(String base) {
        return base + "-" + SEQUENCE.incrementAndGet();
    }
}
