package io.chartpulse.streams.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.Context;
import io.chartpulse.schemas.SampleRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The prefetch's wiring into the consumer configuration, and that it never holds a stream thread up. */
class AgentPrefetchTest {

    private static final String MAIN = "main.consumer.interceptor.classes";
    private static final String TOPIC = "raw";
    private static Agents agents;

    @BeforeAll
    static void analyzer() {
        agents = new Agents(100);
    }

    // Values are the agent strings themselves; "!" cannot be decoded; a latch can hold the prefetch thread.
    private static final class Decoder implements Deserializer<ChartEvent> {
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean hold;

        @Override
        public ChartEvent deserialize(String topic, byte[] data) {
            if (hold) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String ua = new String(data, java.nio.charset.StandardCharsets.UTF_8);
            if (ua.equals("!")) {
                throw new IllegalArgumentException("not an event");
            }
            return ChartEvent.newBuilder(SampleRecords.chartEvent())
                    .setContext(Context.newBuilder(SampleRecords.context())
                            .setUserAgent(ua)
                            .build())
                    .build();
        }
    }

    private static ConsumerRecords<byte[], byte[]> poll(String topic, String... agents) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < agents.length; i++) {
            records.add(new ConsumerRecord<>(topic, 0, i, null, agents[i].getBytes()));
        }
        return new ConsumerRecords<>(Map.of(new TopicPartition(topic, 0), records), Map.of());
    }

    @Test
    void installAddsTheInterceptorAfterAnyConfiguredAndPassesTheInstance() {
        AgentPrefetch prefetch = new AgentPrefetch(agents, TOPIC, new Decoder(), "test");
        Properties bare = new Properties();
        prefetch.install(bare);
        assertThat(bare.get(MAIN)).isEqualTo(AgentPrefetch.Interceptor.class.getName());
        assertThat(bare.get("main.consumer." + AgentPrefetch.INSTANCE_CONFIG)).isSameAs(prefetch);

        Properties forEveryConsumer = new Properties();
        forEveryConsumer.put("consumer.interceptor.classes", "com.example.Audit");
        prefetch.install(forEveryConsumer);
        assertThat(forEveryConsumer.get(MAIN))
                .isEqualTo("com.example.Audit," + AgentPrefetch.Interceptor.class.getName());

        Properties mainOnly = new Properties();
        mainOnly.put(MAIN, "com.example.A, com.example.B");
        mainOnly.put("interceptor.classes", "com.example.Ignored");
        prefetch.install(mainOnly);
        assertThat(mainOnly.get(MAIN))
                .isEqualTo("com.example.A,com.example.B," + AgentPrefetch.Interceptor.class.getName());
        prefetch.close();
    }

    @Test
    void theInterceptorHandsRawRecordsOverAndChangesNothing() throws Exception {
        AgentPrefetch prefetch = new AgentPrefetch(agents, TOPIC, new Decoder(), "test");
        try (AgentPrefetch.Interceptor interceptor = new AgentPrefetch.Interceptor()) {
            interceptor.configure(Map.of(AgentPrefetch.INSTANCE_CONFIG, prefetch));
            ConsumerRecords<byte[], byte[]> polled = poll(TOPIC, "Wget/1.21", "Wget/1.21", "curl/8.4.0", "!");
            assertThat(interceptor.onConsume(polled)).isSameAs(polled);
            interceptor.onConsume(poll("catalog", "curl/7.0"));
            Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> prefetch.records() == 4);
            assertThat(prefetch.parsed()).as("two new strings, one seen twice").isEqualTo(2);
            assertThat(prefetch.undecodable()).isEqualTo(1);
            assertThat(agents.learn("Wget/1.21")).as("already known").isFalse();
        }
        prefetch.close();

        try (AgentPrefetch.Interceptor without = new AgentPrefetch.Interceptor()) {
            without.configure(Map.of());
            ConsumerRecords<byte[], byte[]> polled = poll(TOPIC, "Wget/1.0");
            assertThat(without.onConsume(polled)).isSameAs(polled);
        }
    }

    @Test
    void aPollIsPassedOverRatherThanWaitedForWhenThePrefetchIsBehind() {
        Decoder held = new Decoder();
        held.hold = true;
        AgentPrefetch prefetch = new AgentPrefetch(agents, TOPIC, held, "test");
        // One poll taken and held, QUEUED_POLLS waiting: the next is passed over at once.
        for (int i = 0; i <= AgentPrefetch.QUEUED_POLLS; i++) {
            prefetch.offer(poll(TOPIC, "Agent/" + i));
        }
        long started = System.nanoTime();
        prefetch.offer(poll(TOPIC, "Late/1", "Late/2"));
        assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(1));
        assertThat(prefetch.passedOver()).isEqualTo(2);
        held.release.countDown();
        Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() -> prefetch.records() == AgentPrefetch.QUEUED_POLLS + 1);
        prefetch.close();
    }
}
