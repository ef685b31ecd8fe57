package io.chartpulse.streams.bench;

import io.chartpulse.avro.CatalogEntry;
import io.chartpulse.avro.CatalogEntryType;
import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.kafka.DataDirs;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.serde.avro.KafkaAvroSerializer;
import io.chartpulse.serde.avro.SpecificAvroSerde;
import io.chartpulse.streams.enrich.AgentPrefetch;
import io.chartpulse.streams.enrich.Agents;
import io.chartpulse.streams.enrich.Enrichers;
import io.chartpulse.streams.service.StreamsAppConfig;
import io.chartpulse.streams.topology.ChartPulseTopology;
import io.chartpulse.streams.topology.TopologyCounters;
import io.chartpulse.streams.topology.TopologySettings;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
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
 * changes; 50 000 visitors with a skewed mix of a few hundred user agents, bots among them; 200 charts) goes through
 * a pass-through topology with the same serdes and guarantee, {@link StructureOnly} (what the topology cannot do
 * without and none of its work: a floor of this design), {@link StructureOnly#floor} (what every design does: decode,
 * state per visitor, each new user-agent string parsed once at the least cost measured, an enriched record written
 * per event; no chart metrics), then the ChartPulse
 * topology step by step (enrichment only; enrichment and sessions; the full topology), one after the other on the
 * same broker in one run, so the cost of each step shows.
 * Throughput is events consumed per second until the application's committed offsets reach the end of the input;
 * latency is measured after, at a steady rate (see {@link #measure}). Not a test: speed never fails the build.
 *
 * <p>{@code StreamsBenchmark [events] [stream threads] [rounds] [commit interval ms | -] [producer batch bytes]
 * [record cache bytes]} (defaults 1 000 000, 1, 3, Kafka Streams' own interval, the streams app's batch size and
 * Kafka Streams' own record cache, which the app keeps; every topology gets the same).
 * Rounds repeat the six topologies on the same backlog; the figures reported are the medians, as the
 * same topology's rate varies by tens of percent from run to run on a shared machine.
 */
public final class StreamsBenchmark {

    /**
     * The event time a backlog spans, whatever its size, and the metrics retention the benchmark runs with (the
     * default is 6 h): the run passes the retention, so deleting old windows is part of what is measured.
     */
    static final Duration EVENT_TIME = Duration.ofMinutes(75);

    /**
     * {@code -Dbenchmark.warmAgents=true}: the ChartPulse topologies start with every agent string of the backlog
     * already parsed, so their stream threads never parse one — an experiment, the upper bound of any design that
     * parses agents off the stream thread. Off by default, and said in the report when on.
     */
    static final boolean WARM_AGENTS = Boolean.getBoolean("benchmark.warmAgents");

    static final Duration METRICS_RETENTION = Duration.ofMinutes(30);

    /**
     * {@code -Dbenchmark.prefetch=false}: the ChartPulse topologies run without the agent prefetch the streams app uses
     * by default ({@link AgentPrefetch}, {@code agent.prefetch}), to measure what it brings. Said in the report.
     */
    static final boolean PREFETCH = !"false".equals(System.getProperty("benchmark.prefetch"));

    /** The commit interval every topology runs with; null for Kafka Streams' default (100 ms under exactly-once). */
    private static Long commitIntervalMs;

    /** The producers' batch size (bytes) every topology runs with: the streams app's unless told. */
    private static int batchSizeBytes = StreamsAppConfig.BATCH_SIZE_BYTES;

    /** The record cache (bytes) every topology runs with: Kafka Streams' default (the app's too) unless told. */
    private static Long cacheBytes;

    /**
     * Events per second, the application's CPU time per 1 000 events (its threads only: stream, producer, consumer
     * and global threads; not the broker's, which shares the JVM), the whole process's CPU time per 1 000 events
     * (broker, JIT and GC included) and how many of the machine's cores it kept busy on average, the records its
     * producers wrote per input event (outputs, changelogs, repartition records), and end-to-end latencies of one
     * topology.
     */
    public record Run(
            double eventsPerSecond,
            double cpuMsPer1000,
            double processCpuMsPer1000,
            double coresBusy,
            double writtenPerInput,
            long[] latenciesMs) {
        String line(String name) {
            return String.format(
                    "  %-14s %,10.0f events/s  %5.1f CPU-ms/1000 (process %5.1f, %4.2f cores busy)  %5.2f"
                            + " written/input   latency p50 %4d ms  p95 %4d ms  p99 %4d ms  (%d events)%n",
                    name,
                    eventsPerSecond,
                    cpuMsPer1000,
                    processCpuMsPer1000,
                    coresBusy,
                    writtenPerInput,
                    percentile(latenciesMs, 0.50),
                    percentile(latenciesMs, 0.95),
                    percentile(latenciesMs, 0.99),
                    latenciesMs.length);
        }
    }

    /**
     * One round: the pass-through, {@link StructureOnly} (the stores, changelogs and repartition the topology cannot do
     * without, none of its work), then the ChartPulse topology step by step — enrichment only
     * ({@link ChartPulseTopology#enrich}), enrichment and sessions, and the full topology — on the same backlog.
     */
    public record Round(Run passThrough, Run structure, Run floor, Run enrichment, Run sessions, Run full) {
        public double ratio() {
            return full.eventsPerSecond() / passThrough.eventsPerSecond();
        }

        /** The pass-through's CPU per event over the full topology's: the ratio free of the machine's noise. */
        public double cpuRatio() {
            return passThrough.cpuMsPer1000() / full.cpuMsPer1000();
        }

        public List<Run> runs() {
            return List.of(passThrough, structure, floor, enrichment, sessions, full);
        }
    }

    /** The rounds of a benchmark run; its figures are the medians over the rounds. */
    public record Result(long events, int threads, List<Round> rounds) {
        /** The median over the rounds of the full topology's rate over the pass-through's in the same round. */
        public double ratio() {
            return median(rounds.stream().mapToDouble(Round::ratio).toArray());
        }

        /**
         * The median over the rounds of any design's floor ({@link StructureOnly#floor}) over the pass-through's in the
         * same round: no design of the topology can reach a higher ratio.
         */
        public double floorRatio() {
            return median(rounds.stream()
                    .mapToDouble(
                            r -> r.floor().eventsPerSecond() / r.passThrough().eventsPerSecond())
                    .toArray());
        }

        /** The median over the rounds of the pass-through's CPU per event over the full topology's. */
        public double cpuRatio() {
            return median(rounds.stream().mapToDouble(Round::cpuRatio).toArray());
        }

        /**
         * The median rate of the {@code step}-th topology of the rounds (0 pass-through, 1 structure only, 2 any
         * design's floor, 3 enrichment, 4 + sessions, 5 full).
         */
        public double eventsPerSecond(int step) {
            return median(rounds.stream()
                    .mapToDouble(r -> r.runs().get(step).eventsPerSecond())
                    .toArray());
        }

        /** The median CPU milliseconds per 1 000 events of the {@code step}-th topology of the rounds. */
        public double cpuMsPer1000(int step) {
            return median(rounds.stream()
                    .mapToDouble(r -> r.runs().get(step).cpuMsPer1000())
                    .toArray());
        }

        public String report() {
            StringBuilder report = new StringBuilder(String.format(
                    "streams benchmark (%d cores, Java %s): %,d events, %d stream thread(s), %d round(s), commit"
                            + " interval %s, producer batch size %s, record cache %s%s%s%n",
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"),
                    events,
                    threads,
                    rounds.size(),
                    commitIntervalMs == null ? "Kafka Streams' default" : commitIntervalMs + " ms",
                    batchSizeBytes + " bytes",
                    cacheBytes == null ? "Kafka Streams' default" : cacheBytes + " bytes",
                    WARM_AGENTS ? "; agents parsed before the start (benchmark.warmAgents)" : "",
                    PREFETCH ? "" : "; without the agent prefetch (benchmark.prefetch=false)"));
            for (int i = 0; i < rounds.size(); i++) {
                Round round = rounds.get(i);
                report.append(String.format("round %d%n", i + 1))
                        .append(round.passThrough.line("pass-through"))
                        .append(round.structure.line("structure only"))
                        .append(round.floor.line("any design"))
                        .append(round.enrichment.line("enrichment"))
                        .append(round.sessions.line("+ sessions"))
                        .append(round.full.line("full topology"))
                        .append(String.format(
                                "  ratio          %.2f (of the pass-through: structure only %.2f, any design's floor"
                                        + " %.2f, enrichment %.2f, + sessions %.2f)%n",
                                round.ratio(),
                                round.structure.eventsPerSecond() / round.passThrough.eventsPerSecond(),
                                round.floor.eventsPerSecond() / round.passThrough.eventsPerSecond(),
                                round.enrichment.eventsPerSecond() / round.passThrough.eventsPerSecond(),
                                round.sessions.eventsPerSecond() / round.passThrough.eventsPerSecond()));
            }
            return report.append(String.format(
                            "median: pass-through %,.0f, structure only %,.0f, any design's floor %,.0f,"
                                    + " enrichment %,.0f, + sessions %,.0f, full topology %,.0f events/s; ratio"
                                    + " %.2f (any design's floor %.2f)%n"
                                    + "median CPU-ms per 1000 events: pass-through %.1f, structure only %.1f,"
                                    + " any design's floor %.1f, enrichment %.1f, + sessions %.1f, full topology %.1f;"
                                    + " CPU ratio %.2f%n",
                            eventsPerSecond(0),
                            eventsPerSecond(1),
                            eventsPerSecond(2),
                            eventsPerSecond(3),
                            eventsPerSecond(4),
                            eventsPerSecond(5),
                            ratio(),
                            floorRatio(),
                            cpuMsPer1000(0),
                            cpuMsPer1000(1),
                            cpuMsPer1000(2),
                            cpuMsPer1000(3),
                            cpuMsPer1000(4),
                            cpuMsPer1000(5),
                            cpuRatio()))
                    .toString();
        }
    }

    private StreamsBenchmark() {}

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        commitIntervalMs = args.length > 3 && !args[3].equals("-") ? Long.valueOf(args[3]) : null;
        batchSizeBytes = args.length > 4 ? Integer.parseInt(args[4]) : StreamsAppConfig.BATCH_SIZE_BYTES;
        cacheBytes = args.length > 5 ? Long.valueOf(args[5]) : null;
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().start();
                EmbeddedRegistry registry = EmbeddedRegistry.start(kafka, 0, "_schemas")) {
            System.out.print(run(kafka, registry, events, threads, rounds).report());
        }
        System.exit(0);
    }

    public static Result run(EmbeddedKafka kafka, EmbeddedRegistry registry, int events, int threads, int rounds)
            throws Exception {
        String suffix = Long.toString(System.nanoTime(), 36);
        TopologySettings settings = prepare(kafka, registry, events, suffix);

        SpecificAvroSerde<ChartEvent> serde = new SpecificAvroSerde<>(ChartEvent.class);
        serde.configure(registry.serdeConfig(), false);
        SpecificAvroSerde<EnrichedEvent> enrichedSerde = new SpecificAvroSerde<>(EnrichedEvent.class);
        enrichedSerde.configure(registry.serdeConfig(), false);
        List<Round> done = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            String id = suffix + "-" + round;
            StreamsBuilder copy = new StreamsBuilder();
            copy.stream(settings.rawTopic(), Consumed.with(Serdes.String(), serde))
                    .to("bench.copy." + suffix, Produced.with(Serdes.String(), serde));
            Run passThrough = measure(
                    kafka,
                    registry,
                    new Built(copy.build(), null),
                    "bench-copy-" + id,
                    settings.rawTopic(),
                    "bench.copy." + suffix,
                    events,
                    threads);
            StreamsBuilder structure = new StreamsBuilder();
            StructureOnly.build(structure, settings, serde, "bench.structure." + suffix);
            Run structureOnly = measure(
                    kafka,
                    registry,
                    new Built(structure.build(), null),
                    "bench-structure-" + id,
                    settings.rawTopic(),
                    "bench.structure." + suffix,
                    events,
                    threads);
            StreamsBuilder floor = new StreamsBuilder();
            StructureOnly.floor(floor, settings, serde, enrichedSerde, "bench.floor." + suffix);
            Run anyDesign = measure(
                    kafka,
                    registry,
                    new Built(floor.build(), null),
                    "bench-floor-" + id,
                    settings.rawTopic(),
                    "bench.floor." + suffix,
                    events,
                    threads);
            Run enrichment = measure(
                    kafka,
                    registry,
                    steps(settings, registry, events, false, false, "bench-enrich-" + id, PREFETCH),
                    "bench-enrich-" + id,
                    settings.rawTopic(),
                    settings.enrichedTopic(),
                    events,
                    threads);
            Run sessions = measure(
                    kafka,
                    registry,
                    steps(settings, registry, events, true, false, "bench-sessions-" + id, PREFETCH),
                    "bench-sessions-" + id,
                    settings.rawTopic(),
                    settings.enrichedTopic(),
                    events,
                    threads);
            Run full = measure(
                    kafka,
                    registry,
                    steps(settings, registry, events, true, true, "bench-full-" + id, PREFETCH),
                    "bench-full-" + id,
                    settings.rawTopic(),
                    settings.enrichedTopic(),
                    events,
                    threads);
            done.add(new Round(passThrough, structureOnly, anyDesign, enrichment, sessions, full));
        }
        return new Result(events, threads, done);
    }

    /**
     * Creates the benchmark's topics (named with {@code suffix}: the ChartPulse topology's, and {@code bench.copy.},
     * {@code bench.structure.} and {@code bench.floor.} for the other topologies' outputs), fills the catalog and writes
     * the backlog of {@code events}; returns the topology's settings.
     */
    static TopologySettings prepare(EmbeddedKafka kafka, EmbeddedRegistry registry, int events, String suffix) {
        TopologySettings settings = TopologySettings.defaults()
                .withTopics(
                        "bench.raw." + suffix,
                        "bench.enriched." + suffix,
                        "bench.invalid." + suffix,
                        "bench.catalog." + suffix,
                        "bench.sessions." + suffix,
                        "bench.metrics." + suffix)
                .withErasureTopic("bench.erasure." + suffix)
                .withMetricsRetention(METRICS_RETENTION);
        for (String topic : List.of(
                settings.rawTopic(),
                settings.enrichedTopic(),
                "bench.copy." + suffix,
                "bench.structure." + suffix,
                "bench.floor." + suffix)) {
            kafka.createTopic(topic, 2);
        }
        for (String topic : List.of(
                settings.invalidTopic(),
                settings.catalogTopic(),
                settings.sessionsTopic(),
                settings.metricsTopic(),
                settings.erasureTopic())) {
            kafka.createTopic(topic, 1);
        }
        produceCatalog(kafka, registry, settings.catalogTopic());
        produce(kafka, registry, settings.rawTopic(), events);
        return settings;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    // The ChartPulse topology up to enrichment, with sessions and metrics when asked (with both it is exactly what
    // ChartPulseTopology.build makes), and the agent prefetch its application runs with when asked.
    static Built steps(
            TopologySettings settings,
            EmbeddedRegistry registry,
            int events,
            boolean sessions,
            boolean metrics,
            String appId,
            boolean prefetching) {
        StreamsBuilder builder = new StreamsBuilder();
        TopologyCounters counters = new TopologyCounters();
        Agents agents = new Agents(Agents.DEFAULT_SIZE);
        if (WARM_AGENTS) {
            // Every agent string of the backlog parsed before the application starts: what the topology costs if
            // its stream threads never parse one (the parsing done elsewhere, as a design that parsed new strings on a
            // thread of its own would at best).
            Traffic traffic = new Traffic(42);
            Instant t = Instant.EPOCH;
            for (int i = 0; i < events; i++) {
                agents.of(traffic.next(t).getContext().getUserAgent());
            }
        }
        var enriched = ChartPulseTopology.enrich(
                builder, settings, Enrichers.standard(agents), registry.serdeConfig(), counters);
        if (sessions) {
            ChartPulseTopology.sessionize(builder, enriched, settings, registry.serdeConfig(), counters);
        }
        if (metrics) {
            ChartPulseTopology.chartMetrics(builder, enriched.events(), settings, registry.serdeConfig(), counters);
        }
        AgentPrefetch prefetch = null;
        if (prefetching) {
            // As the streams app does by default (agent.prefetch).
            SpecificAvroSerde<ChartEvent> raw = new SpecificAvroSerde<>(ChartEvent.class);
            raw.configure(registry.serdeConfig(), false);
            prefetch = new AgentPrefetch(agents, settings.rawTopic(), raw.deserializer(), appId);
        }
        return new Built(builder.build(), prefetch);
    }

    /** A ChartPulse topology and the agent prefetch its application runs with (null without). */
    record Built(Topology topology, AgentPrefetch prefetch) {}

    private static void produceCatalog(EmbeddedKafka kafka, EmbeddedRegistry registry, String topic) {
        KafkaAvroSerializer values = new KafkaAvroSerializer();
        values.configure(registry.serdeConfig(), false);
        try (KafkaProducer<String, byte[]> producer = producer(kafka, 20)) {
            for (CatalogEntry entry : new Traffic(42).catalog()) {
                String key = (entry.getEntryType() == CatalogEntryType.CHART ? "chart:" : "product:") + entry.getId();
                producer.send(new ProducerRecord<>(topic, key, values.serialize(topic, entry)));
            }
        }
    }

    // The backlog spans EVENT_TIME of event time, whatever its size: long enough to pass the metrics retention.
    static void produce(EmbeddedKafka kafka, EmbeddedRegistry registry, String topic, int events) {
        KafkaAvroSerializer values = new KafkaAvroSerializer();
        values.configure(registry.serdeConfig(), false);
        Traffic traffic = new Traffic(42);
        long start =
                Instant.now().minus(EVENT_TIME).minus(Duration.ofMinutes(10)).toEpochMilli();
        double step = (double) EVENT_TIME.toMillis() / events;
        try (KafkaProducer<String, byte[]> producer = producer(kafka, 20)) {
            for (int i = 0; i < events; i++) {
                Instant t = Instant.ofEpochMilli(start + (long) (i * step));
                ChartEvent e = traffic.next(t);
                producer.send(new ProducerRecord<>(
                        topic, null, t.toEpochMilli(), e.getAnonymousId(), values.serialize(topic, e)));
            }
        }
    }

    private static KafkaProducer<String, byte[]> producer(EmbeddedKafka kafka, int lingerMs) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.LINGER_MS_CONFIG,
                        lingerMs,
                        ProducerConfig.COMPRESSION_TYPE_CONFIG,
                        "lz4",
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        256 * 1024),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    /**
     * With the application caught up, sends {@code count} fresh events at {@code perSecond} and measures, for each,
     * the time from its send to its arrival in {@code output} for a read_committed consumer (the record keeps the
     * input's timestamp, which is the send time). Returns the latencies in milliseconds, sorted.
     */
    private static long[] latencies(
            EmbeddedKafka kafka, EmbeddedRegistry registry, String input, String output, int count, int perSecond)
            throws InterruptedException {
        KafkaAvroSerializer values = new KafkaAvroSerializer();
        values.configure(registry.serdeConfig(), false);
        // No retries here: every event sent must come out, and the topologies drop copies.
        Traffic traffic = new Traffic(7, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed"),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
                KafkaProducer<String, byte[]> producer = producer(kafka, 0)) {
            List<TopicPartition> partitions = consumer.partitionsFor(output).stream()
                    .map(p -> new TopicPartition(output, p.partition()))
                    .toList();
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
                    ChartEvent e = traffic.next(now);
                    producer.send(new ProducerRecord<>(
                            input, null, now.toEpochMilli(), e.getAnonymousId(), values.serialize(input, e)));
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

    // CPU time of the application's threads: every thread Kafka Streams and its clients start carries the
    // application id in its name (stream, global, cleanup, producer network and consumer heartbeat threads).
    private static double cpuMillis(String appId) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long nanos = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains(appId)) {
                nanos += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return nanos / 1e6;
    }

    // CPU time of the whole JVM: the application, the broker, the registry, JIT compilers and the collector.
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    // Records the application's producers sent: outputs, changelogs and repartition records.
    private static double recordsWritten(KafkaStreams streams) {
        return streams.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("producer-metrics")
                        && e.getKey().name().equals("record-send-total"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    // Starts the application on a backlog and times it until its committed offsets reach the end of the input; then,
    // caught up, measures end-to-end latency at a steady 1 000 events/s (at most 10 s, a tenth of the backlog).
    private static Run measure(
            EmbeddedKafka kafka,
            EmbeddedRegistry registry,
            Built built,
            String appId,
            String input,
            String output,
            int events,
            int threads)
            throws Exception {
        return timed(
                kafka,
                registry,
                built.topology(),
                built.prefetch(),
                appId,
                input,
                output,
                Math.min(10_000, events / 10),
                threads);
    }

    /**
     * Starts the application on the backlog in {@code input} and times it until its committed offsets reach the end of
     * the input; then, caught up, sends {@code latencyEvents} fresh events at 1 000 per second and measures the
     * end-to-end latency of each (none when 0). With {@code prefetch}, its main consumers run the agent prefetch, as
     * the streams app's do.
     */
    static Run timed(
            EmbeddedKafka kafka,
            EmbeddedRegistry registry,
            Topology topology,
            AgentPrefetch prefetch,
            String appId,
            String input,
            String output,
            int latencyEvents,
            int threads)
            throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(
                StreamsConfig.STATE_DIR_CONFIG,
                DataDirs.temporary("bench-state").toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        if (commitIntervalMs != null) {
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        }
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), batchSizeBytes);
        if (cacheBytes != null) {
            props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, cacheBytes);
        }
        props.put("consumer.auto.offset.reset", "earliest");
        if (prefetch != null) {
            prefetch.install(props);
        }
        Map<TopicPartition, Long> end = kafka
                .admin()
                .listOffsets(Map.of(
                        new TopicPartition(input, 0),
                        OffsetSpec.latest(),
                        new TopicPartition(input, 1),
                        OffsetSpec.latest()))
                .all()
                .get(30, TimeUnit.SECONDS)
                .entrySet()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        try (AgentPrefetch closing = prefetch;
                KafkaStreams streams = new KafkaStreams(topology, props)) {
            long started = System.nanoTime();
            long processCpuAtStart = processCpuNanos();
            streams.start();
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = kafka.admin()
                        .listConsumerGroupOffsets(appId)
                        .partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS);
                boolean done = end.entrySet().stream()
                        .allMatch(e -> committed.get(e.getKey()) != null
                                && committed.get(e.getKey()).offset() >= e.getValue());
                if (done) {
                    // Every record of the input, not only the backlog: the latency phases of the topologies before
                    // this one added theirs, and a fresh application reads them all.
                    long consumed =
                            end.values().stream().mapToLong(Long::longValue).sum();
                    double seconds = (System.nanoTime() - started) / 1e9;
                    double processCpuMs = (processCpuNanos() - processCpuAtStart) / 1e6;
                    double rate = consumed / seconds;
                    double cpuMs = cpuMillis(appId);
                    double written = recordsWritten(streams);
                    if (prefetch != null) {
                        System.out.printf(
                                "%s: the agent prefetch looked at %,d records and parsed %,d agent strings; %,d passed"
                                        + " over%n",
                                appId, prefetch.records(), prefetch.parsed(), prefetch.passedOver());
                    }
                    return new Run(
                            rate,
                            cpuMs * 1000 / consumed,
                            processCpuMs * 1000 / consumed,
                            processCpuMs / 1000 / seconds,
                            written / consumed,
                            latencyEvents == 0
                                    ? new long[0]
                                    : latencies(kafka, registry, input, output, latencyEvents, 1_000));
                }
                if (streams.state() == KafkaStreams.State.ERROR) {
                    throw new IllegalStateException("the benchmark application failed");
                }
                Thread.sleep(200);
            }
        }
    }
}
