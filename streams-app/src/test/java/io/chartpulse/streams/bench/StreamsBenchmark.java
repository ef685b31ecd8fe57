package io.chartpulse.streams.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.kafka.DataDirs;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.serde.avro.KafkaAvroSerializer;
import io.chartpulse.serde.avro.SpecificAvroSerde;
import io.chartpulse.streams.enrich.Enrichers;
import io.chartpulse.streams.topology.ChartPulseTopology;
import io.chartpulse.streams.topology.TopologyCounters;
import io.chartpulse.streams.topology.TopologySettings;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
 * The streams benchmark: a backlog of realistic mixed events ({@link Traffic}: page views, impressions, clicks, filter
 * changes; 50 000 visitors with a skewed mix of a few hundred user agents, bots among them; 200 charts) goes through (1) a pass-through topology with the same serdes and guarantee and
 * (2) the full ChartPulse topology, on the same broker in one run. Throughput is events consumed per second until
 * the application's committed offsets reach the end of the input; latency is measured after, at a steady rate (see
 * {@link #measure}). Between the two, {@link StructureOnly}: the stores, changelogs and repartition the issue's
 * topology cannot do without, with none of its work, to show how much of the gap is structure. Not a test: speed
 * never fails the build.
 *
 * <p>{@code StreamsBenchmark [events] [stream threads]} (defaults 1 000 000 and 1; both topologies get the same).
 */
public final class StreamsBenchmark {

    /** Events per second and end-to-end latencies of one topology. */
    public record Run(double eventsPerSecond, long[] latenciesMs) {
        String line(String name) {
            return String.format("  %-14s %,10.0f events/s   latency p50 %4d ms  p95 %4d ms  p99 %4d ms  (%d events)%n", name,
                    eventsPerSecond, percentile(latenciesMs, 0.50), percentile(latenciesMs, 0.95),
                    percentile(latenciesMs, 0.99), latenciesMs.length);
        }
    }

    /** The three topologies of one benchmark run. */
    public record Result(long events, int threads, Run passThrough, Run structure, Run full) {
        public double ratio() {
            return full.eventsPerSecond() / passThrough.eventsPerSecond();
        }

        public String report() {
            return String.format("streams benchmark (%d cores, Java %s): %,d events, %d stream thread(s)%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), events, threads)
                    + passThrough.line("pass-through") + structure.line("structure only") + full.line("full topology")
                    + String.format("  ratio          %.2f (structure only / pass-through %.2f)%n", ratio(),
                    structure.eventsPerSecond() / passThrough.eventsPerSecond());
        }
    }

    private StreamsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().start();
             EmbeddedRegistry registry = EmbeddedRegistry.start(kafka, 0, "_schemas")) {
            System.out.print(run(kafka, registry, events, threads).report());
        }
        System.exit(0);
    }

    public static Result run(EmbeddedKafka kafka, EmbeddedRegistry registry, int events, int threads) throws Exception {
        String suffix = Long.toString(System.nanoTime(), 36);
        TopologySettings settings = TopologySettings.defaults().withTopics("bench.raw." + suffix, "bench.enriched." + suffix,
                "bench.invalid." + suffix, "bench.catalog." + suffix, "bench.sessions." + suffix, "bench.metrics." + suffix);
        for (String topic : List.of(settings.rawTopic(), settings.enrichedTopic(), "bench.copy." + suffix,
                "bench.structure." + suffix)) {
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
        Run passThrough = measure(kafka, registry, copy.build(), "bench-copy-" + suffix, settings.rawTopic(),
                "bench.copy." + suffix, events, threads);

        StreamsBuilder structure = new StreamsBuilder();
        StructureOnly.build(structure, settings, serde, "bench.structure." + suffix);
        Run structureRun = measure(kafka, registry, structure.build(), "bench-structure-" + suffix, settings.rawTopic(),
                "bench.structure." + suffix, events, threads);

        StreamsBuilder full = new StreamsBuilder();
        ChartPulseTopology.build(full, settings, Enrichers.standard(), registry.serdeConfig(), new TopologyCounters());
        Run fullRun = measure(kafka, registry, full.build(), "bench-full-" + suffix, settings.rawTopic(),
                settings.enrichedTopic(), events, threads);
        return new Result(events, threads, passThrough, structureRun, fullRun);
    }

    private static void produce(EmbeddedKafka kafka, EmbeddedRegistry registry, String topic, int events) {
        KafkaAvroSerializer values = new KafkaAvroSerializer();
        values.configure(registry.serdeConfig(), false);
        Traffic traffic = new Traffic(42);
        long start = Instant.now().minus(Duration.ofHours(1)).toEpochMilli();
        try (KafkaProducer<String, byte[]> producer = producer(kafka, 20)) {
            for (int i = 0; i < events; i++) {
                Instant t = Instant.ofEpochMilli(start + i * 3L);
                int visitor = traffic.visitor();
                producer.send(new ProducerRecord<>(topic, null, t.toEpochMilli(), "visitor-" + visitor,
                        values.serialize(topic, traffic.event(i, visitor, t))));
            }
        }
    }

    private static KafkaProducer<String, byte[]> producer(EmbeddedKafka kafka, int lingerMs) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, lingerMs, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * With the application caught up, sends {@code count} fresh events at {@code perSecond} and measures, for each,
     * the time from its send to its arrival in {@code output} for a read_committed consumer (the record keeps the
     * input's timestamp, which is the send time). Returns the latencies in milliseconds, sorted.
     */
    private static long[] latencies(EmbeddedKafka kafka, EmbeddedRegistry registry, String input, String output,
                                    int count, int perSecond) throws InterruptedException {
        KafkaAvroSerializer values = new KafkaAvroSerializer();
        values.configure(registry.serdeConfig(), false);
        Traffic traffic = new Traffic(7);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> producer = producer(kafka, 0)) {
            List<TopicPartition> partitions = consumer.partitionsFor(output).stream()
                    .map(p -> new TopicPartition(output, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            long phaseStart = System.currentTimeMillis();
            List<Long> seen = new ArrayList<>();
            long next = System.nanoTime();
            int sent = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(count / perSecond + 60);
            while (seen.size() < count && System.nanoTime() < deadline) {
                while (sent < count && System.nanoTime() >= next) {
                    Instant now = Instant.now();
                    int visitor = traffic.visitor();
                    producer.send(new ProducerRecord<>(input, null, now.toEpochMilli(), "visitor-" + visitor,
                            values.serialize(input, traffic.event(sent, visitor, now))));
                    sent++;
                    next += TimeUnit.SECONDS.toNanos(1) / perSecond;
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(5))) {
                    if (r.timestamp() >= phaseStart) {
                        seen.add(System.currentTimeMillis() - r.timestamp());
                    }
                }
            }
            return seen.stream().mapToLong(Long::longValue).sorted().toArray();
        }
    }

    static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    // Starts the application on a backlog and times it until its committed offsets reach the end of the input; then,
    // caught up, measures end-to-end latency at a steady 1 000 events/s (at most 10 s, a tenth of the backlog).
    private static Run measure(EmbeddedKafka kafka, EmbeddedRegistry registry, Topology topology, String appId,
                               String input, String output, int events, int threads) throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, DataDirs.temporary("bench-state").toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
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
                    double rate = events / ((System.nanoTime() - started) / 1e9);
                    return new Run(rate, latencies(kafka, registry, input, output, Math.min(10_000, events / 10), 1_000));
                }
                if (streams.state() == KafkaStreams.State.ERROR) {
                    throw new IllegalStateException("the benchmark application failed");
                }
                Thread.sleep(200);
            }
        }
    }
}
