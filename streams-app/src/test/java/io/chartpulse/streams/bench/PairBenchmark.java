package io.chartpulse.streams.bench;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.serde.avro.SpecificAvroSerde;
import io.chartpulse.streams.topology.TopologySettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Any design's floor ({@link StructureOnly#floor}) against the pass-through, in many back-to-back pairs: the question
 * {@link StreamsBenchmark}'s three rounds of six topologies cannot settle on a noisy machine — is the floor's rate
 * below half the pass-through's? Each pair runs the two on the same backlog one right after the other, the order
 * alternating from pair to pair (so neither always gets the warmer JIT or the quieter minute), after one warm-up pair
 * that is reported but not counted; there is no latency phase. The ratio is taken within each pair, and the report
 * gives each pair's, their median with a distribution-free 95 % interval for it (order statistics: no assumption
 * about the machine's noise), and how many pairs reached 0.5. Not a test: speed never fails the build.
 *
 * <p>{@code FloorBenchmark [events] [stream threads] [pairs]} (defaults 300 000, 2, 20).
 */
public final class FloorBenchmark {

    /** The ratio the issue asks of the full topology. */
    static final double TARGET = 0.5;

    /** A pass-through and the floor on the same backlog, back to back; {@code floorFirst} says which ran first. */
    public record Pair(StreamsBenchmark.Run passThrough, StreamsBenchmark.Run floor, boolean floorFirst) {
        /** The floor's rate over the pass-through's. */
        public double ratio() {
            return floor.eventsPerSecond() / passThrough.eventsPerSecond();
        }

        /** The pass-through's application CPU per event over the floor's. */
        public double cpuRatio() {
            return passThrough.cpuMsPer1000() / floor.cpuMsPer1000();
        }

        /** The pass-through's whole-process CPU per event over the floor's: the currency once the machine is the bound. */
        public double processCpuRatio() {
            return passThrough.processCpuMsPer1000() / floor.processCpuMsPer1000();
        }
    }

    /** The pairs of a run, the warm-up first and not counted. */
    public record Result(long events, int threads, Pair warmUp, List<Pair> pairs) {

        public double ratio() {
            return StreamsBenchmark.median(values(Pair::ratio));
        }

        /** How many pairs' ratio reached {@link #TARGET}. */
        public long atOrAboveTarget() {
            return pairs.stream().filter(p -> p.ratio() >= TARGET).count();
        }

        double[] values(ToDoubleFunction<Pair> of) {
            return pairs.stream().mapToDouble(of).toArray();
        }

        public String report() {
            StringBuilder report = new StringBuilder(String.format(
                    "floor benchmark (%d cores, Java %s): %,d events, %d stream thread(s), %d pair(s) of pass-through"
                            + " and any design's floor, back to back, the order alternating, after one warm-up pair"
                            + " (not counted)%n"
                            + "pair  first          pass-through      floor      ratio  app-CPU ratio  process-CPU ratio"
                            + "  cores busy (pass-through / floor)%n",
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"),
                    events,
                    threads,
                    pairs.size()));
            report.append(line("warm", warmUp));
            for (int i = 0; i < pairs.size(); i++) {
                report.append(line(Integer.toString(i + 1), pairs.get(i)));
            }
            return report.append(String.format(
                            "median ratio %.2f, %s; pairs at or above %.1f: %d of %d%n"
                                    + "median app-CPU ratio %.2f, %s; median process-CPU ratio %.2f, %s%n",
                            ratio(),
                            interval(values(Pair::ratio)),
                            TARGET,
                            atOrAboveTarget(),
                            pairs.size(),
                            StreamsBenchmark.median(values(Pair::cpuRatio)),
                            interval(values(Pair::cpuRatio)),
                            StreamsBenchmark.median(values(Pair::processCpuRatio)),
                            interval(values(Pair::processCpuRatio))))
                    .toString();
        }

        private static String line(String name, Pair pair) {
            return String.format(
                    "%-5s %-12s %,10.0f /s %,10.0f /s  %5.2f  %13.2f  %17.2f  %4.2f / %4.2f%n",
                    name,
                    pair.floorFirst() ? "floor" : "pass-through",
                    pair.passThrough().eventsPerSecond(),
                    pair.floor().eventsPerSecond(),
                    pair.ratio(),
                    pair.cpuRatio(),
                    pair.processCpuRatio(),
                    pair.passThrough().coresBusy(),
                    pair.floor().coresBusy());
        }
    }

    /**
     * The 1-based ranks {@code [k, n + 1 - k]} of the order statistics that bound the median of {@code n} samples with
     * at least 95 % confidence, whatever their distribution: the largest {@code k} with P(Binomial(n, ½) < k) ≤ 2.5 %.
     * Null when {@code n} is too small for any (fewer than 6).
     */
    static int[] medianInterval(int n) {
        double below = 0;
        double term = Math.pow(0.5, n); // P(X = 0)
        int k = 0;
        for (int i = 0; i < n; i++) {
            below += term; // P(X <= i)
            if (below > 0.025) {
                break;
            }
            k = i + 1; // P(X < i + 1) <= 2.5 %
            term = term * (n - i) / (i + 1);
        }
        return k == 0 ? null : new int[] {k, n + 1 - k};
    }

    static String interval(double[] values) {
        int[] ranks = medianInterval(values.length);
        if (ranks == null) {
            return "too few pairs for a 95 % interval";
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return String.format(
                "95 %% interval %.2f-%.2f (order statistics %d and %d of %d)",
                sorted[ranks[0] - 1], sorted[ranks[1] - 1], ranks[0], ranks[1], values.length);
    }

    private FloorBenchmark() {}

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int pairs = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().start();
                EmbeddedRegistry registry = EmbeddedRegistry.start(kafka, 0, "_schemas")) {
            System.out.print(run(kafka, registry, events, threads, pairs).report());
        }
        System.exit(0);
    }

    public static Result run(EmbeddedKafka kafka, EmbeddedRegistry registry, int events, int threads, int pairs)
            throws Exception {
        String suffix = Long.toString(System.nanoTime(), 36);
        TopologySettings settings = TopologySettings.defaults()
                .withTopics(
                        "floor.raw." + suffix,
                        "floor.enriched." + suffix,
                        "floor.invalid." + suffix,
                        "floor.catalog." + suffix,
                        "floor.sessions." + suffix,
                        "floor.metrics." + suffix);
        String copied = "floor.copy." + suffix;
        String floored = "floor.floor." + suffix;
        for (String topic : List.of(settings.rawTopic(), copied, floored)) {
            kafka.createTopic(topic, 2);
        }
        StreamsBenchmark.produce(kafka, registry, settings.rawTopic(), events);

        SpecificAvroSerde<ChartEvent> serde = new SpecificAvroSerde<>(ChartEvent.class);
        serde.configure(registry.serdeConfig(), false);
        SpecificAvroSerde<EnrichedEvent> enrichedSerde = new SpecificAvroSerde<>(EnrichedEvent.class);
        enrichedSerde.configure(registry.serdeConfig(), false);
        Pair warmUp = null;
        List<Pair> done = new ArrayList<>();
        for (int pair = 0; pair <= pairs; pair++) {
            String id = suffix + "-" + pair;
            boolean floorFirst = pair % 2 == 0;
            StreamsBenchmark.Run passThrough = null;
            StreamsBenchmark.Run floor = null;
            for (boolean runFloor : floorFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                if (runFloor) {
                    StreamsBuilder builder = new StreamsBuilder();
                    StructureOnly.floor(builder, settings, serde, enrichedSerde, floored);
                    floor = time(kafka, registry, builder.build(), "floor-floor-" + id, settings, floored, threads);
                } else {
                    StreamsBuilder builder = new StreamsBuilder();
                    builder.stream(settings.rawTopic(), Consumed.with(Serdes.String(), serde))
                            .to(copied, Produced.with(Serdes.String(), serde));
                    passThrough = time(kafka, registry, builder.build(), "floor-copy-" + id, settings, copied, threads);
                }
            }
            if (pair == 0) {
                warmUp = new Pair(passThrough, floor, floorFirst);
            } else {
                done.add(new Pair(passThrough, floor, floorFirst));
            }
        }
        return new Result(events, threads, warmUp, done);
    }

    private static StreamsBenchmark.Run time(
            EmbeddedKafka kafka,
            EmbeddedRegistry registry,
            Topology topology,
            String appId,
            TopologySettings settings,
            String output,
            int threads)
            throws Exception {
        return StreamsBenchmark.timed(kafka, registry, topology, appId, settings.rawTopic(), output, 0, threads);
    }
}
