package io.chartpulse.streams.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.Context;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.junit.StackExtension;
import io.chartpulse.embedded.kafka.DataDirs;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.junit.TestTopics;
import io.chartpulse.schemas.SampleRecords;
import io.chartpulse.serde.avro.KafkaAvroSerializer;
import io.chartpulse.serde.avro.SpecificAvroDeserializer;
import io.chartpulse.serde.avro.SpecificAvroSerde;
import io.chartpulse.streams.topology.ChartPulseTopology;
import io.chartpulse.streams.topology.TopologyCounters;
import io.chartpulse.streams.topology.TopologySettings;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent prefetch on a real broker and registry, wired as the streams app wires it: the main consumers' interceptor
 * hands it every raw record, it parses agent strings ahead of the stream thread, and the enriched output is exactly
 * what the same topology writes without it.
 */
@ExtendWith(StackExtension.class)
class AgentPrefetchIT {

    private static final int EVENTS = 400;

    @Test
    void prefetchedAgentsGiveTheSameEnrichedEvents(EmbeddedKafka kafka, EmbeddedRegistry registry, TestTopics topics)
            throws Exception {
        String raw = topics.create("prefetch-raw", 2);
        String catalog = topics.create("prefetch-catalog");
        String erasure = topics.create("prefetch-erasure");
        Instant now = Instant.now();
        KafkaAvroSerializer values = new KafkaAvroSerializer();
        values.configure(registry.serdeConfig(), false);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < EVENTS; i++) {
                // Nearly every string new, as in-app browsers' are; one in ten a bot.
                String agent = i % 10 == 9
                        ? "Mozilla/5.0 (compatible; ExampleCrawler/" + i + ".0)"
                        : "Mozilla/5.0 (Linux; Android 13; SM-A" + (100 + i) + " Build/TP1A.220624.0" + i
                                + "; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099." + i
                                + " Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/444.0.0." + i + ";]";
                ChartEvent e = ChartEvent.newBuilder(SampleRecords.chartEvent())
                        .setEventId(UUID.randomUUID())
                        .setAnonymousId("visitor-" + i)
                        .setContext(Context.newBuilder(SampleRecords.context())
                                .setUserAgent(agent)
                                .build())
                        .setCreatedAt(now)
                        .setSentAt(now)
                        .setReceivedAt(now)
                        .build();
                producer.send(new ProducerRecord<>(raw, e.getAnonymousId(), values.serialize(raw, e)));
            }
        }

        Map<String, String> without = enriched(kafka, registry, topics, raw, catalog, erasure, false);
        Map<String, String> with = enriched(kafka, registry, topics, raw, catalog, erasure, true);
        assertThat(without).hasSize(EVENTS);
        assertThat(with).isEqualTo(without);
    }

    // Runs the enrichment step on the raw topic until every event is out, with or without the prefetch; returns each
    // event's user-agent fields and bot flag by event id.
    private static Map<String, String> enriched(
            EmbeddedKafka kafka,
            EmbeddedRegistry registry,
            TestTopics topics,
            String raw,
            String catalog,
            String erasure,
            boolean prefetching)
            throws Exception {
        String enriched = topics.create("prefetch-enriched");
        TopologySettings settings = TopologySettings.defaults()
                .withTopics(
                        raw,
                        enriched,
                        topics.create("prefetch-invalid"),
                        catalog,
                        topics.unique("prefetch-sessions"),
                        topics.unique("prefetch-metrics"))
                .withErasureTopic(erasure);
        Agents agents = new Agents(Agents.DEFAULT_SIZE);
        StreamsBuilder builder = new StreamsBuilder();
        ChartPulseTopology.enrich(
                builder, settings, Enrichers.standard(agents), registry.serdeConfig(), new TopologyCounters());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, topics.unique("prefetch-app"));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(
                StreamsConfig.STATE_DIR_CONFIG,
                DataDirs.temporary("prefetch-state").toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put("consumer.auto.offset.reset", "earliest");
        SpecificAvroSerde<ChartEvent> rawSerde = new SpecificAvroSerde<>(ChartEvent.class);
        rawSerde.configure(registry.serdeConfig(), false);
        AgentPrefetch prefetch = new AgentPrefetch(
                agents, raw, rawSerde.deserializer(), props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG));
        if (prefetching) {
            prefetch.install(props);
        }
        Map<String, String> agentsById = new HashMap<>();
        SpecificAvroDeserializer<EnrichedEvent> read = new SpecificAvroDeserializer<>(EnrichedEvent.class);
        read.configure(registry.serdeConfig(), false);
        try (prefetch;
                KafkaStreams streams = new KafkaStreams(builder.build(), props);
                KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed",
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest",
                                ConsumerConfig.GROUP_ID_CONFIG,
                                topics.unique("prefetch-reader")),
                        new StringDeserializer(),
                        new ByteArrayDeserializer())) {
            streams.start();
            consumer.subscribe(List.of(enriched));
            Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    EnrichedEvent e = read.deserialize(enriched, r.value());
                    agentsById.put(e.getEventId().toString(), e.getUserAgent() + " bot=" + e.getIsBot());
                }
                return agentsById.size() >= EVENTS;
            });
            if (prefetching) {
                // Every raw record reached the prefetch (handed over, or passed over when it was behind); it decoded
                // each one it took, and parsed strings before the stream thread needed them.
                Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> prefetch.records() + prefetch.passedOver() >= EVENTS);
                assertThat(prefetch.undecodable()).isZero();
                assertThat(prefetch.parsed()).isPositive();
            } else {
                assertThat(prefetch.records()).isZero();
            }
        }
        return agentsById;
    }
}
