package io.chartpulse.streams.enrich;

import io.chartpulse.avro.ChartEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Parses the user agents of raw events the stream threads have fetched but not yet processed, on a thread of its
 * own, so that a new agent string is usually already in {@link Agents} when its event reaches the enrichment. A YAUAA
 * parse costs half a millisecond or more, and a real agent tail brings a new string every hundred events or so: on
 * the stream thread that was a third of the full topology's time.
 *
 * <p>The main consumers' {@link Interceptor} hands each poll's raw-topic records over as they are fetched (Kafka
 * Streams buffers up to {@code buffered.records.per.partition} records per partition ahead of processing, so there is
 * a lead of up to a thousand or so records); a single thread decodes them and parses every agent string not yet known.
 * Nothing here changes what the topology outputs — the stream thread still looks each agent up, and parses it itself
 * if the prefetch has not got there first (or a string was evicted since): the parse is the same function either way.
 * It never blocks a stream thread: when the prefetch thread is behind (more than {@value #QUEUED_POLLS} polls
 * waiting), a poll is passed over and counted. Records it cannot decode are left to the stream thread, which decides
 * what they are. It pays when a stream thread is the bound and a core is left over (one stream thread on two cores);
 * when every core is busy it moves the work rather than removing it.
 */
public final class AgentPrefetch implements AutoCloseable {

    /** The key under which the main consumers' interceptor finds this instance. */
    public static final String INSTANCE_CONFIG = "chartpulse.agent.prefetch";

    /** Polls waiting for the prefetch thread beyond which a new one is passed over. */
    static final int QUEUED_POLLS = 16;

    private final Agents agents;
    private final String topic;
    private final Deserializer<ChartEvent> values;
    private final ThreadPoolExecutor thread;
    private final LongAdder records = new LongAdder();
    private final LongAdder parsed = new LongAdder();
    private final LongAdder passedOver = new LongAdder();
    private final LongAdder undecodable = new LongAdder();

    /**
     * Prefetches the agents of {@code topic}'s records into {@code agents}, decoding them with {@code values} (used on
     * the prefetch thread only), on a thread named {@code <applicationId>-agent-prefetch} (so that it is counted with
     * the application's threads, whose names all start with the application id).
     */
    public AgentPrefetch(Agents agents, String topic, Deserializer<ChartEvent> values, String applicationId) {
        this.agents = agents;
        this.topic = topic;
        this.values = values;
        this.thread = new ThreadPoolExecutor(
                1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUED_POLLS), runnable -> {
                    Thread t = new Thread(runnable, applicationId + "-agent-prefetch");
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * Adds the interceptor to the main consumers' {@code interceptor.classes} in {@code streamsProperties} (after any
     * already configured there, or for every consumer) and this instance under {@link #INSTANCE_CONFIG}.
     */
    public void install(Properties streamsProperties) {
        String key = StreamsConfig.mainConsumerPrefix(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG);
        Set<String> classes = new LinkedHashSet<>();
        for (String configured : List.of(
                key,
                StreamsConfig.consumerPrefix(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG),
                ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG)) {
            Object value = streamsProperties.get(configured);
            if (value != null) {
                for (String name : value.toString().split(",")) {
                    if (!name.isBlank()) {
                        classes.add(name.strip());
                    }
                }
                break;
            }
        }
        classes.add(Interceptor.class.getName());
        streamsProperties.put(key, String.join(",", classes));
        streamsProperties.put(StreamsConfig.mainConsumerPrefix(INSTANCE_CONFIG), this);
    }

    /** Hands the raw-topic records of a poll to the prefetch thread, or passes the poll over if it is behind. */
    void offer(ConsumerRecords<byte[], byte[]> polled) {
        List<ConsumerRecord<byte[], byte[]>> ours = new ArrayList<>();
        for (TopicPartition partition : polled.partitions()) {
            if (partition.topic().equals(topic)) {
                ours.addAll(polled.records(partition));
            }
        }
        if (ours.isEmpty()) {
            return;
        }
        try {
            thread.execute(() -> prefetch(ours));
        } catch (RejectedExecutionException behindOrClosed) {
            passedOver.add(ours.size());
        }
    }

    private void prefetch(List<ConsumerRecord<byte[], byte[]>> batch) {
        for (ConsumerRecord<byte[], byte[]> record : batch) {
            records.increment();
            if (record.value() == null) {
                continue;
            }
            String ua;
            try {
                ChartEvent e = values.deserialize(record.topic(), record.headers(), record.value());
                ua = e == null || e.getContext() == null ? null : e.getContext().getUserAgent();
            } catch (RuntimeException leftToTheStreamThread) {
                undecodable.increment();
                continue;
            }
            if (ua != null && !ua.isBlank() && agents.learn(ua)) {
                parsed.increment();
            }
        }
    }

    /** Raw records the prefetch thread has looked at. */
    public long records() {
        return records.sum();
    }

    /** Agent strings the prefetch thread parsed (the stream threads did not have to). */
    public long parsed() {
        return parsed.sum();
    }

    /** Records passed over because the prefetch thread was behind. */
    public long passedOver() {
        return passedOver.sum();
    }

    /** Records the prefetch thread could not decode (left to the stream threads). */
    public long undecodable() {
        return undecodable.sum();
    }

    @Override
    public void close() {
        thread.shutdownNow();
        values.close();
    }

    /**
     * The main consumers' interceptor: hands every poll to the {@link AgentPrefetch} configured under
     * {@link #INSTANCE_CONFIG}, and changes nothing (without one it does nothing at all).
     */
    public static final class Interceptor implements ConsumerInterceptor<byte[], byte[]> {

        private AgentPrefetch prefetch;

        @Override
        public void configure(Map<String, ?> configs) {
            prefetch = configs.get(INSTANCE_CONFIG) instanceof AgentPrefetch p ? p : null;
        }

        @Override
        public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> polled) {
            if (prefetch != null) {
                prefetch.offer(polled);
            }
            return polled;
        }

        @Override
        public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

        @Override
        public void close() {}
    }
}
