package io.chartpulse.cli.dev;

import io.chartpulse.lake.LakeTable;
import io.chartpulse.schemas.Topic;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The topics of a development stack (one broker, replication 1): the pipeline's with their partition counts, the
 * lake's control topic and the connectors' dead-letter topics. Production sizes are in {@code connect-config/README.md}.
 */
public final class StackTopics {

    /** The pipeline's topics and their partitions. */
    static final Map<String, Integer> TOPICS = Map.of(
            Topic.RAW_EVENTS.topicName(),
            2,
            Topic.ENRICHED_EVENTS.topicName(),
            2,
            Topic.INVALID_EVENTS.topicName(),
            1,
            Topic.SESSIONS.topicName(),
            1,
            Topic.CHART_METRICS_MINUTE.topicName(),
            1,
            Topic.CATALOG.topicName(),
            1,
            Topic.ERASURE_REQUESTS.topicName(),
            1,
            Topic.ERASURE_AUDIT.topicName(),
            1);

    /** The compacted ones: the catalog and the erasure requests and audit. */
    static final Set<String> COMPACTED =
            Set.of(Topic.CATALOG.topicName(), Topic.ERASURE_REQUESTS.topicName(), Topic.ERASURE_AUDIT.topicName());

    /** The connectors' dead-letter topics, made up front (Connect would create them on the first failure). */
    static final List<String> DEAD_LETTER_TOPICS = List.of(
            Topic.deadLetter("s3-raw-events"),
            Topic.deadLetter("mongo-enriched-events"),
            Topic.deadLetter("mongo-sessions"),
            Topic.deadLetter("mongo-chart-metrics"),
            Topic.deadLetter("iceberg-enriched-events"),
            Topic.deadLetter("iceberg-sessions"),
            Topic.deadLetter("iceberg-chart-metrics"));

    private StackTopics() {}

    /** Creates every topic of the stack that does not exist yet (the {@link #COMPACTED} ones compacted). */
    public static void create(Admin admin) {
        Map<String, Integer> partitions = new HashMap<>(TOPICS);
        partitions.put(LakeTable.CONTROL_TOPIC, 1);
        DEAD_LETTER_TOPICS.forEach(topic -> partitions.put(topic, 1));
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = partitions.entrySet().stream()
                    .filter(t -> !existing.contains(t.getKey()))
                    .map(t -> new NewTopic(t.getKey(), t.getValue(), (short) 1)
                            .configs(COMPACTED.contains(t.getKey()) ? Map.of("cleanup.policy", "compact") : Map.of()))
                    .toList();
            admin.createTopics(missing).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "Cannot create the stack's topics: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
