package io.chartpulse.batch;

import io.chartpulse.avro.RejectedEvent;
import io.chartpulse.avro.RejectionStage;
import io.chartpulse.schemas.RejectionCode;
import io.chartpulse.serde.avro.SpecificAvroDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the batch half asks Kafka: how far a consumer group (a sink, the streams app) has committed, what the record
 * at an offset was stamped with, and how many rejections of an interval the invalid topic holds. Reads only, with
 * {@code read_committed} (aborted transactions are not records), never joining a group.
 */
public final class KafkaState implements AutoCloseable, Reconcile.InvalidCounter {

    /** How far a group has got on one partition. */
    public record Progress(TopicPartition partition, long committed, long end, Instant nextTimestamp) {
        /** Whether the group has committed everything the partition holds. */
        public boolean caughtUp() {
            return committed >= end;
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, ?> serdeConfig;
    private final String invalidTopic;

    /**
     * @param clientConfig bootstrap servers and any security settings
     * @param serdeConfig  the registry settings, for reading the invalid topic (may be empty when not counted)
     */
    public KafkaState(Map<String, Object> clientConfig, Map<String, ?> serdeConfig, String invalidTopic) {
        Properties admin = new Properties();
        admin.putAll(clientConfig);
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        this.admin = Admin.create(admin);
        Properties consumer = new Properties();
        consumer.putAll(clientConfig);
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(consumer);
        this.serdeConfig = serdeConfig;
        this.invalidTopic = invalidTopic;
    }

    /** The group's progress on every partition of {@code topic}. */
    public List<Progress> progress(String group, String topic) {
        List<TopicPartition> partitions = partitions(topic);
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted reading the offsets of " + group, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot read the committed offsets of group " + group + ": " + e, e);
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
        Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions, TIMEOUT);
        List<Progress> out = new ArrayList<>();
        for (TopicPartition p : partitions) {
            OffsetAndMetadata c = committed.get(p);
            long at = c == null ? begins.get(p) : c.offset();
            long end = ends.get(p);
            out.add(new Progress(p, at, end, at >= end ? null : timestampAt(p, at, end)));
        }
        return out;
    }

    /** The end offset of every partition of {@code topic}, by partition number. */
    public Map<Integer, Long> endOffsets(String topic) {
        Map<Integer, Long> out = new TreeMap<>();
        consumer.endOffsets(partitions(topic), TIMEOUT).forEach((p, end) -> out.put(p.partition(), end));
        return out;
    }

    /** The topic's {@code retention.ms} (-1: kept for ever), {@code cleanup.policy} and {@code segment.ms}. */
    public String[] retention(String topic) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            Config config = admin.describeConfigs(List.of(resource))
                    .all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(resource);
            return new String[] {
                config.get(TopicConfig.RETENTION_MS_CONFIG).value(),
                config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value(),
                config.get(TopicConfig.SEGMENT_MS_CONFIG).value()
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted reading the config of " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot read the config of topic " + topic + ": " + e, e);
        }
    }

    // The timestamp of the first record at or after offset (transaction markers hold offsets and are skipped).
    private Instant timestampAt(TopicPartition p, long offset, long end) {
        consumer.assign(List.of(p));
        consumer.seek(p, offset);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && consumer.position(p) < end) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                return Instant.ofEpochMilli(r.timestamp());
            }
        }
        return null;
    }

    @Override
    public long streamsRejections(Interval interval) {
        // A rejection carries the raw record's timestamp (stamped by the collector as it received the event); read
        // from a margin before the interval to one after it and count by the rejection's own received_at.
        Duration margin = Duration.ofMinutes(10);
        List<TopicPartition> partitions = partitions(invalidTopic);
        consumer.assign(partitions);
        Map<TopicPartition, Long> at = new HashMap<>();
        for (TopicPartition p : partitions) {
            at.put(p, interval.start().minus(margin).toEpochMilli());
        }
        Map<TopicPartition, OffsetAndTimestamp> from = consumer.offsetsForTimes(at, TIMEOUT);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
        for (TopicPartition p : partitions) {
            OffsetAndTimestamp o = from.get(p);
            consumer.seek(p, o == null ? ends.get(p) : o.offset());
        }
        long stopAt = interval.end().plus(margin).toEpochMilli();
        long count = 0;
        try (SpecificAvroDeserializer<RejectedEvent> values = new SpecificAvroDeserializer<>(RejectedEvent.class)) {
            values.configure(serdeConfig, false);
            List<TopicPartition> open = new ArrayList<>(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (!open.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Reading " + invalidTopic + " took over 10 minutes");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.timestamp() >= stopAt || r.value() == null) {
                        continue;
                    }
                    RejectedEvent rejected = values.deserialize(r.topic(), r.value());
                    if (rejected.getStage() == RejectionStage.STREAMS
                            && !RejectionCode.UNDECODABLE.value().equals(rejected.getCode())
                            && interval.contains(rejected.getReceivedAt())) {
                        count++;
                    }
                }
                open.removeIf(p -> consumer.position(p) >= ends.get(p));
            }
        }
        return count;
    }

    /**
     * The latest value of every key of a compacted topic (a tombstone removes its key), read from the beginning to
     * the end offsets as of now: for instance the catalog the streams app joins.
     */
    public Map<String, byte[]> latestByKey(String topic) {
        List<TopicPartition> partitions = partitions(topic);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
        Map<String, byte[]> latest = new HashMap<>();
        List<TopicPartition> open = new ArrayList<>(partitions);
        open.removeIf(p -> consumer.position(p) >= ends.get(p));
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (!open.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Reading " + topic + " took over 10 minutes");
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                if (key == null) {
                    continue;
                }
                if (r.value() == null) {
                    latest.remove(key);
                } else {
                    latest.put(key, r.value());
                }
            }
            open.removeIf(p -> consumer.position(p) >= ends.get(p));
        }
        return latest;
    }

    private List<TopicPartition> partitions(String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("The topic " + topic + " does not exist");
        }
        List<TopicPartition> out = new ArrayList<>();
        for (PartitionInfo i : infos) {
            out.add(new TopicPartition(topic, i.partition()));
        }
        return out;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
