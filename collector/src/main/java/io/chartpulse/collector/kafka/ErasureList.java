package io.chartpulse.collector.kafka;

import io.chartpulse.schemas.ErasureKeys;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The visitors whose erasure was requested, as the collector knows them: the keys of the compacted erasure requests
 * topic ({@link ErasureKeys}), read from its beginning and followed by a thread of its own (no consumer group; a
 * tombstone removes a key). The collector drops those visitors' events instead of writing them, so that nothing
 * new of them reaches the raw topic or the archive. Until the topic can be read (it does not exist yet, Kafka is
 * down) the list is what it last was — empty at first — and events pass; the streams app drops them downstream, and
 * the erasure run removes what reached the archive.
 */
public final class ErasureList implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ErasureList.class);
    private static final Duration RETRY = Duration.ofSeconds(10);

    private final Set<String> keys = ConcurrentHashMap.newKeySet();
    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private boolean missingTold;

    private ErasureList(Map<String, Object> kafkaConfig, String topic) {
        Map<String, Object> config = new HashMap<>();
        // Only what a client of the cluster needs (address, security): the producer's own settings stay out.
        kafkaConfig.forEach((key, value) -> {
            if (key.equals("bootstrap.servers")
                    || key.startsWith("security.")
                    || key.startsWith("sasl.")
                    || key.startsWith("ssl.")
                    || key.equals("client.dns.lookup")) {
                config.put(key, value);
            }
        });
        config.put("client.id", "chartpulse-collector-erasures");
        config.put("isolation.level", "read_committed");
        config.put("enable.auto.commit", false);
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.thread = new Thread(this::follow, "chartpulse-erasure-list");
        thread.setDaemon(true);
    }

    /** Starts following {@code topic}. */
    public static ErasureList start(Map<String, Object> kafkaConfig, String topic) {
        ErasureList list = new ErasureList(kafkaConfig, topic);
        list.thread.start();
        return list;
    }

    /** Whether an erasure was requested for {@code anonymousId}, or for {@code userId} when there is one. */
    public boolean erased(String anonymousId, String userId) {
        return !keys.isEmpty()
                && ((anonymousId != null && keys.contains(ErasureKeys.anonymousId(anonymousId)))
                        || (userId != null && keys.contains(ErasureKeys.userId(userId))));
    }

    /** Whether the list has read the topic up to its end at least once. */
    public boolean caughtUp() {
        return caughtUp;
    }

    private void follow() {
        boolean assigned = false;
        Map<TopicPartition, Long> ends = Map.of();
        while (running) {
            try {
                if (!assigned) {
                    List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                    if (partitions == null || partitions.isEmpty()) {
                        if (!missingTold) {
                            missingTold = true;
                            LOG.warn(
                                    "The erasure requests topic {} does not exist; erased visitors' events pass the"
                                            + " collector until it does (the streams app still drops them)",
                                    topic);
                        }
                        pause();
                        continue;
                    }
                    List<TopicPartition> assignment = partitions.stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
                    consumer.assign(assignment);
                    consumer.seekToBeginning(assignment);
                    ends = consumer.endOffsets(assignment, Duration.ofSeconds(10));
                    assigned = true;
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                    if (r.key() == null) {
                        continue;
                    }
                    if (r.value() == null) {
                        keys.remove(r.key());
                    } else {
                        keys.add(r.key());
                    }
                }
                if (!caughtUp
                        && ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp = true;
                    LOG.info("Erasure requests read from {}: {} identifier(s)", topic, keys.size());
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn(
                        "Cannot read the erasure requests topic {} ({}); trying again in {} s",
                        topic,
                        e.toString(),
                        RETRY.toSeconds());
                pause();
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(2));
    }
}
