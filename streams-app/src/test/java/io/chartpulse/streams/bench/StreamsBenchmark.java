package io.chartpulse.streams.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EventType;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.kafka.DataDirs;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.schemas.SampleRecords;
import io.chartpulse.serde.avro.KafkaAvroSerializer;
import io.chartpulse.serde.avro.SpecificAvroSerde;
import io.chartpulse.streams.enrich.Enrichers;
import io.chartpulse.streams.topology.ChartPulseTopology;
import io.chartpulse.streams.topology.TopologyCounters;
import io.chartpulse.streams.topology.TopologySettings;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The streams benchmark: a backlog of realistic mixed events (page views, impressions, clicks, filter changes;
 * 50 000 visitors, 200 charts) goes through (1) a pass-through topology with the same serdes and guarantee and
 * (2) the full ChartPulse topology, on the same broker in one run. Throughput is events consumed per second until
 * the application's committed offsets reach the end of the input. Not a test: speed never fails the build.
 *
 * <p>{@code StreamsBenchmark [events]} (default 1 000 000).
 */
public final class StreamsBenchmark {

    private static final EventType[] MIX = {EventType.PAGE_VIEW, EventType.CHART_IMPRESSION, EventType.PRODUCT_IMPRESSION,
        EventType.PRODUCT_IMPRESSION, EventType.PRODUCT_IMPRESSION, EventType.PRODUCT_IMPRESSION, EventType.PRODUCT_CLICK,
        EventType.OUTBOUND_CLICK, EventType.FILTER_CHANGE, EventType.SCROLL_DEPTH};

    /** Events per second of each topology. */
    public record Result(long events, double passThrough, double full) {
        public String report() {
            return String.format("streams benchmark (%d cores, Java %s): %,d events%n  pass-through  %,10.0f events/s%n"
                    + "  full topology %,10.0f events/s%n  ratio         %.2f%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"), events, passThrough, full, full / passThrough);
        }
    }

    private StreamsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().start();
             EmbeddedRegistry registry = EmbeddedRegistry.start(kafka, 0, "_schemas")) {
            System.out.print(run(kafka, registry, events).report());
        }
        System.exit(0);
    }

    public static Result run(EmbeddedKafka kafka, EmbeddedRegistry registry, int events) throws Exception {
        String suffix = Long.toString(System.nanoTime(), 36);
        TopologySettings settings = TopologySettings.defaults().withTopics("bench.raw." + suffix, "bench.enriched." + suffix,
                "bench.invalid." + suffix, "bench.catalog." + suffix, "bench.sessions." + suffix, "bench.metrics." + suffix);
        for (String topic : List.of(settings.rawTopic(), settings.enrichedTopic(), "bench.copy." + suffix)) {
            kafka.createTopic(topic, 2);
        }
        for (String topic : List.of(settings.invalidTopic(), settings.catalogTopic(), settings.sessionsTopic(),
                settings.metricsTopic())) {
            kafka.createTopic(topic, 1);
        }
        produce(kafka, registry, settings.rawTopic(), events);

        StreamsBuilder copy = new StreamsBuilder();
        SpecificAvroSerde<ChartEvent> serde = new SpecificAvroSerde<>(ChartEvent.class);
        serde.configure(registry.serdeConfig(), false);
        copy.stream(settings.rawTopic(), Consumed.with(Serdes.String(), serde))
                .to("bench.copy." + suffix, Produced.with(Serdes.String(), serde));
        double passThrough = measure(kafka, copy.build(), "bench-copy-" + suffix, settings.rawTopic(), events);

        StreamsBuilder full = new StreamsBuilder();
        ChartPulseTopology.build(full, settings, Enrichers.standard(), registry.serdeConfig(), new TopologyCounters());
        double fullRate = measure(kafka, full.build(), "bench-full-" + suffix, settings.rawTopic(), events);
        return new Result(events, passThrough, fullRate);
    }

    private static void produce(EmbeddedKafka kafka, EmbeddedRegistry registry, String topic, int events) {
        KafkaAvroSerializer values = new KafkaAvroSerializer();
        values.configure(registry.serdeConfig(), false);
        Random random = new Random(42);
        ChartEvent sample = SampleRecords.chartEvent();
        long start = Instant.now().minus(Duration.ofHours(1)).toEpochMilli();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < events; i++) {
                Instant t = Instant.ofEpochMilli(start + i * 3L);
                String visitor = "visitor-" + random.nextInt(50_000);
                ChartEvent e = ChartEvent.newBuilder(sample).setEventId(UUID.randomUUID()).setEventType(MIX[i % MIX.length])
                        .setAnonymousId(visitor).setCreatedAt(t).setSentAt(t).setReceivedAt(t).build();
                e.getChart().setChartId("chart-" + random.nextInt(200));
                e.getProduct().setProductId("p-" + random.nextInt(40));
                producer.send(new ProducerRecord<>(topic, null, t.toEpochMilli(), visitor, values.serialize(topic, e)));
            }
        }
    }

    // Starts the application on a backlog and times it until its committed offsets reach the end of the input.
    private static double measure(EmbeddedKafka kafka, Topology topology, String appId, String input, int events)
            throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, DataDirs.temporary("bench-state").toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put("consumer.auto.offset.reset", "earliest");
        Map<TopicPartition, Long> end = kafka.admin().listOffsets(Map.of(new TopicPartition(input, 0), OffsetSpec.latest(),
                new TopicPartition(input, 1), OffsetSpec.latest())).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        try (KafkaStreams streams = new KafkaStreams(topology, props)) {
            long started = System.nanoTime();
            streams.start();
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = kafka.admin().listConsumerGroupOffsets(appId)
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                boolean done = end.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                        && committed.get(e.getKey()).offset() >= e.getValue());
                if (done) {
                    return events / ((System.nanoTime() - started) / 1e9);
                }
                if (streams.state() == KafkaStreams.State.ERROR) {
                    throw new IllegalStateException("the benchmark application failed");
                }
                Thread.sleep(200);
            }
        }
    }
}
