package io.chartpulse.registry.store;

import io.chartpulse.registry.core.ErrorCode;
import io.chartpulse.registry.core.RegistryState;
import io.chartpulse.registry.core.StoreLog;
import io.chartpulse.registry.core.StoreRecords;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store on a single-partition compacted Kafka topic.
 *
 * <p>One reader thread consumes the topic from the beginning ({@code read_committed}) and applies every record to
 * the {@link RegistryState}; start-up returns once it has caught up, so a restart or a second instance serves the
 * same ids. Writes go through a transactional producer whose {@code transactional.id} is derived from the topic:
 * when an eligible instance starts, its {@code initTransactions} fences every earlier writer, and it announces
 * itself with a LEADER record. A fenced or ineligible instance refuses to write and reports the leader's URL, which
 * the HTTP layer forwards writes to. Each write waits until the reader has applied its offset (read-your-writes).
 */
public final class KafkaStoreLog implements StoreLog {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaStoreLog.class);

    private final String topic;
    private final TopicPartition partition;
    private final RegistryState state;
    private final Duration timeout;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread reader;
    private final Object progress = new Object();
    private final String advertisedUrl;
    private KafkaProducer<byte[], byte[]> producer;
    private volatile boolean leader;
    private volatile long leaderSince = Long.MAX_VALUE;
    private volatile long position;
    private volatile boolean running = true;
    private volatile RuntimeException readerFailure;

    private KafkaStoreLog(
            String topic, RegistryState state, Map<String, Object> kafka, Duration timeout, String advertisedUrl) {
        this.topic = topic;
        this.partition = new TopicPartition(topic, 0);
        this.state = state;
        this.timeout = timeout;
        this.advertisedUrl = advertisedUrl;
        Map<String, Object> consumerConfig = new HashMap<>(kafka);
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.reader = new Thread(this::readLoop, "registry-store-reader");
        this.reader.setDaemon(true);
    }

    /**
     * Creates the topic if missing, reads it to the end and, when {@code leaderEligible}, takes over writing.
     *
     * @param kafka         client configs ({@code bootstrap.servers} and any security settings)
     * @param replication   replication factor for a new topic; -1 leaves it to the broker's default
     * @param advertisedUrl this instance's URL, announced to others when it leads
     */
    public static KafkaStoreLog start(
            String topic,
            RegistryState state,
            Map<String, Object> kafka,
            short replication,
            Duration timeout,
            boolean leaderEligible,
            String advertisedUrl) {
        ensureTopic(topic, kafka, replication, timeout);
        KafkaStoreLog log = new KafkaStoreLog(topic, state, kafka, timeout, advertisedUrl);
        try {
            log.catchUp();
            if (leaderEligible) {
                log.becomeLeader(kafka);
            }
            return log;
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
    }

    private static void ensureTopic(String topic, Map<String, Object> kafka, short replication, Duration timeout) {
        try (Admin admin = Admin.create(kafka)) {
            NewTopic newTopic = new NewTopic(
                            topic, Optional.of(1), replication < 0 ? Optional.empty() : Optional.of(replication))
                    .configs(Map.of("cleanup.policy", "compact"));
            admin.createTopics(List.of(newTopic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Created registry store topic {}", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "Cannot create registry store topic " + topic + ": "
                                + e.getCause().getMessage(),
                        e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + timeout + " while creating " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted creating " + topic, e);
        }
    }

    private void catchUp() {
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
        reader.start();
        awaitPosition(end);
        LOG.info("Registry store {} read to offset {}: {} schemas", topic, end, state.schemaCount());
    }

    private void becomeLeader(Map<String, Object> kafka) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "chartpulse-registry-" + topic);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
        leader = true;
        leaderSince = append(StoreRecords.leaderKey(), StoreRecords.leaderValue(advertisedUrl));
        LOG.info("This registry instance ({}) is the writer of {}", advertisedUrl, topic);
    }

    @Override
    public synchronized long append(byte[] key, byte[] value) {
        if (!leader) {
            throw ErrorCode.NOT_LEADER.exception(leaderUrl().orElse("no leader announced"));
        }
        if (readerFailure != null) {
            throw ErrorCode.STORE_ERROR.exception("store reader stopped: " + readerFailure.getMessage());
        }
        long offset;
        try {
            producer.beginTransaction();
            RecordMetadata metadata = producer.send(new ProducerRecord<>(topic, 0, key, value))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            producer.commitTransaction();
            offset = metadata.offset();
        } catch (ProducerFencedException e) {
            leader = false;
            LOG.warn("Another registry instance took over writing {}; this one now forwards writes", topic);
            throw ErrorCode.NOT_LEADER.exception("fenced by a newer instance");
        } catch (TimeoutException e) {
            abortQuietly();
            throw ErrorCode.OPERATION_TIMEOUT.exception("Kafka did not acknowledge the write within " + timeout);
        } catch (ExecutionException | KafkaException e) {
            abortQuietly();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cause instanceof ProducerFencedException) {
                leader = false;
                throw ErrorCode.NOT_LEADER.exception("fenced by a newer instance");
            }
            throw ErrorCode.STORE_ERROR.exception(cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ErrorCode.STORE_ERROR.exception("interrupted");
        }
        awaitPosition(offset + 1);
        return offset;
    }

    private void abortQuietly() {
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            LOG.debug("Abort after a failed write failed too", e);
        }
    }

    @Override
    public boolean isLeader() {
        return leader;
    }

    @Override
    public Optional<String> leaderUrl() {
        return state.leaderUrl();
    }

    private void awaitPosition(long target) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (position < target) {
                if (readerFailure != null) {
                    throw ErrorCode.STORE_ERROR.exception("store reader stopped: " + readerFailure.getMessage());
                }
                long waitMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (waitMs <= 0) {
                    throw ErrorCode.OPERATION_TIMEOUT.exception(
                            "store reader did not reach offset " + target + " of " + topic + " within " + timeout);
                }
                try {
                    progress.wait(waitMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw ErrorCode.STORE_ERROR.exception("interrupted");
                }
            }
        }
    }

    private void readLoop() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String keyType = StoreRecords.apply(state, record.key(), record.value());
                    if ("LEADER".equals(keyType)
                            && record.offset() > leaderSince
                            && leader
                            && state.leaderUrl()
                                    .filter(url -> !url.equals(advertisedUrl))
                                    .isPresent()) {
                        leader = false;
                        LOG.warn(
                                "Registry instance {} announced itself as writer; this one now forwards writes",
                                state.leaderUrl().orElse("?"));
                    }
                }
                long now = consumer.position(partition);
                synchronized (progress) {
                    position = now;
                    progress.notifyAll();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            readerFailure = e;
            LOG.error("Registry store reader failed", e);
            synchronized (progress) {
                progress.notifyAll();
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        running = false;
        if (reader.isAlive()) {
            consumer.wakeup();
            try {
                reader.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close(Duration.ofSeconds(5));
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
