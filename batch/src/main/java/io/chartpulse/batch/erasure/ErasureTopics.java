package io.chartpulse.batch.erasure;

import io.chartpulse.avro.ErasureAudit;
import io.chartpulse.avro.ErasureRequest;
import io.chartpulse.batch.KafkaState;
import io.chartpulse.schemas.ErasureKeys;
import io.chartpulse.schemas.Topic;
import io.chartpulse.serde.avro.SpecificAvroDeserializer;
import io.chartpulse.serde.avro.SpecificAvroSerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The erasure topics: requests (compacted, one record per identifier, {@code anonymous_id:<id>} or
 * {@code user_id:<id>}, each carrying the whole request) and the audit (compacted, {@code <request id>/<store>}).
 * Every write waits for the brokers' acknowledgement, so a request id that was printed is a request that is kept.
 */
public final class ErasureTopics implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final KafkaState kafka;
    private final KafkaProducer<String, byte[]> producer;
    private final SpecificAvroSerializer<ErasureRequest> requestWriter = new SpecificAvroSerializer<>();
    private final SpecificAvroSerializer<ErasureAudit> auditWriter = new SpecificAvroSerializer<>();
    private final SpecificAvroDeserializer<ErasureRequest> requestReader =
            new SpecificAvroDeserializer<>(ErasureRequest.class);
    private final SpecificAvroDeserializer<ErasureAudit> auditReader =
            new SpecificAvroDeserializer<>(ErasureAudit.class);

    /**
     * @param clientConfig bootstrap servers and any security settings
     * @param serdeConfig the registry settings
     */
    public ErasureTopics(Map<String, Object> clientConfig, Map<String, ?> serdeConfig) {
        this.kafka = new KafkaState(clientConfig, serdeConfig, Topic.INVALID_EVENTS.topicName());
        Properties p = new Properties();
        p.putAll(clientConfig);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() - 1000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, TIMEOUT.toMillis());
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        requestWriter.configure(serdeConfig, false);
        auditWriter.configure(serdeConfig, false);
        requestReader.configure(serdeConfig, false);
        auditReader.configure(serdeConfig, false);
    }

    /** The Kafka reads the erasure job also needs (end offsets, topic retention). */
    public KafkaState kafka() {
        return kafka;
    }

    /** The keys a request is written under: one per identifier. */
    public static List<String> keys(ErasureRequest request) {
        List<String> keys = new ArrayList<>();
        request.getAnonymousIds().forEach(id -> keys.add(ErasureKeys.anonymousId(id)));
        request.getUserIds().forEach(id -> keys.add(ErasureKeys.userId(id)));
        return keys;
    }

    /** Writes the request under each of its identifiers and waits until the brokers have all of them. */
    public void request(ErasureRequest request) {
        String topic = Topic.ERASURE_REQUESTS.topicName();
        byte[] value = requestWriter.serialize(topic, request);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (String key : keys(request)) {
            sent.add(producer.send(new ProducerRecord<>(topic, key, value)));
        }
        sent.forEach(ErasureTopics::await);
    }

    /** Every request, by request id (a request under several identifiers once). */
    public Map<String, ErasureRequest> requests() {
        String topic = Topic.ERASURE_REQUESTS.topicName();
        Map<String, ErasureRequest> out = new TreeMap<>();
        kafka.latestByKey(topic).values().forEach(bytes -> {
            ErasureRequest r = requestReader.deserialize(topic, bytes);
            out.put(r.getRequestId(), r);
        });
        return out;
    }

    /** The audit records of one request, by store name. */
    public Map<String, ErasureAudit> audit(String requestId) {
        String topic = Topic.ERASURE_AUDIT.topicName();
        Map<String, ErasureAudit> out = new TreeMap<>();
        kafka.latestByKey(topic).forEach((key, bytes) -> {
            if (key.startsWith(requestId + "/")) {
                ErasureAudit a = auditReader.deserialize(topic, bytes);
                out.put(a.getStore().name(), a);
            }
        });
        return out;
    }

    /** Writes one store's audit record (key {@code <request id>/<store>}) and waits for it. */
    public void audit(ErasureAudit audit) {
        String topic = Topic.ERASURE_AUDIT.topicName();
        await(producer.send(new ProducerRecord<>(
                topic, audit.getRequestId() + "/" + audit.getStore(), auditWriter.serialize(topic, audit))));
    }

    private static void await(Future<RecordMetadata> sent) {
        try {
            sent.get(TIMEOUT.toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted writing to Kafka", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not take the write: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        kafka.close();
    }
}
