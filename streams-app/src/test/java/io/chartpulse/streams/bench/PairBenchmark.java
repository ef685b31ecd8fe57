package io.chartpulse.streams.bench;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.serde.avro.SpecificAvroSerde;
import io.chartpulse.streams.enrich.AgentPrefetch;
import io.chartpulse.streams.topology.TopologySettings;
import io.chartpulse.streams.topology.WriteBehindStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Two topologies on the same backlog, back to back, in many pairs — for the questions {@link StreamsBenchmark}'s three
 * rounds of six topologies cannot settle on a noisy machine. {@link Comparison#FLOOR}: is any design's floor
 * ({@link StructureOnly#floor}) below half the pass-through's rate? {@link Comparison#PREFETCH}: what does the agent
 * prefetch ({@link AgentPrefetch}) bring the full topology? {@link Comparison#WRITE_BEHIND}: and the write-behind
 * cache of its busiest stores ({@link WriteBehindStore})? Each pair runs the baseline and the candidate one right
 * after the other, the order alternating from pair to pair (so neither always gets the warmer JIT or the quieter
 * minute), after one warm-up pair that is reported but not counted; there is no latency phase. The ratio (candidate
 * over baseline) is taken within each pair, and the report gives each pair's, their median with a distribution-free
 * 95 % interval for it (order statistics: no assumption about the machine's noise), and how many pairs reached 0.5.
 * Not a test: speed never fails the build.
 *
 * <p>{@code PairBenchmark [events] [stream threads] [pairs] [floor | prefetch | write_behind]} (defaults 300 000, 2, 20, floor).
 * With {@code -Dbenchmark.warmAgents=true} the floor starts with every agent string of the backlog already parsed
 * (before its clock starts): the floor of a design that parses agents on a thread of its own, which can only pay while
 * the stream threads leave a core idle — with one stream thread, not with two.
 */
public final class PairBenchmark {

    /** What a run compares. */
    public enum Comparison {
        /** The pass-through against any design's floor. */
        FLOOR("pass-through", "any design's floor", 0.5),
        /** The full topology without the agent prefetch against the same with it. */
        PREFETCH("full, no prefetch", "full, prefetch", 1.0),
        /**
         * The full topology with its visitor and chart-metric stores in Kafka Streams' record cache against the same
         * behind the write-behind cache ({@code state.write.behind}, the app's default); both with the prefetch.
         */
        WRITE_BEHIND("full, record cache", "full, write-behind", 1.0);

        final String baseline;
        final String candidate;
        /** The ratio the report counts pairs against: the target for the floor; faster for the prefetch. */
        final double target;

        Comparison(String baseline, String candidate, double target) {
            this.baseline = baseline;
            this.candidate = candidate;
            this.target = target;
        }
    }

    /** The baseline and the candidate on the same backlog, back to back; {@code candidateFirst} says which ran first. */
    public record Pair(StreamsBenchmark.Run baseline, StreamsBenchmark.Run candidate, boolean candidateFirst) {
        /** The candidate's rate over the baseline's. */
        public double ratio() {
            return candidate.eventsPerSecond() / baseline.eventsPerSecond();
        }

        /** The baseline's application CPU per event over the candidate's. */
        public double cpuRatio() {
            return baseline.cpuMsPer1000() / candidate.cpuMsPer1000();
        }

        /** The baseline's whole-process CPU per event over the candidate's: the currency once the machine is the bound. */
        public double processCpuRatio() {
            return baseline.processCpuMsPer1000() / candidate.processCpuMsPer1000();
        }
    }

    /** The pairs of a run, the warm-up first and not counted. */
    public record Result(Comparison comparison, long events, int threads, Pair warmUp, List<Pair> pairs) {

        public double ratio() {
            return StreamsBenchmark.median(values(Pair::ratio));
        }

        /** How many pairs' ratio reached the comparison's target. */
        public long atOrAboveTarget() {
            return pairs.stream().filter(p -> p.ratio() >= comparison.target).count();
        }

        double[] values(ToDoubleFunction<Pair> of) {
            return pairs.stream().mapToDouble(of).toArray();
        }

        public String report() {
            StringBuilder report = new StringBuilder(String.format(
                    "pair benchmark (%d cores, Java %s): %,d events, %d stream thread(s), %d pair(s) of %s and %s,"
                            + " back to back, the order alternating, after one warm-up pair (not counted)%s%n"
                            + "pair  first        %17s %19s  ratio  app-CPU ratio  process-CPU ratio  cores busy%n",
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"),
                    events,
                    threads,
                    pairs.size(),
                    comparison.baseline,
                    comparison.candidate,
                    StreamsBenchmark.WARM_AGENTS && comparison == Comparison.FLOOR
                            ? "; the floor's agents parsed before its start (benchmark.warmAgents)"
                            : "",
                    comparison.baseline,
                    comparison.candidate));
            report.append(line("warm", warmUp));
            for (int i = 0; i < pairs.size(); i++) {
                report.append(line(Integer.toString(i + 1), pairs.get(i)));
            }
            if (pairs.isEmpty()) {
                return report.append("no pairs counted\n").toString();
            }
            return report.append(String.format(
                            "median ratio %.2f, %s; pairs at or above %.1f: %d of %d%n"
                                    + "median app-CPU ratio %.2f, %s; median process-CPU ratio %.2f, %s%n",
                            ratio(),
                            interval(values(Pair::ratio)),
                            comparison.target,
                            atOrAboveTarget(),
                            pairs.size(),
                            StreamsBenchmark.median(values(Pair::cpuRatio)),
                            interval(values(Pair::cpuRatio)),
                            StreamsBenchmark.median(values(Pair::processCpuRatio)),
                            interval(values(Pair::processCpuRatio))))
                    .toString();
        }

        private String line(String name, Pair pair) {
            return String.format(
                    "%-5s %-12s %,15.0f /s %,17.0f /s  %5.2f  %13.2f  %17.2f  %4.2f / %4.2f%n",
                    name,
                    pair.candidateFirst() ? "candidate" : "baseline",
                    pair.baseline().eventsPerSecond(),
                    pair.candidate().eventsPerSecond(),
                    pair.ratio(),
                    pair.cpuRatio(),
                    pair.processCpuRatio(),
                    pair.baseline().coresBusy(),
                    pair.candidate().coresBusy());
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

    private PairBenchmark() {}

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int pairs = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Comparison comparison =
                args.length > 3 ? Comparison.valueOf(args[3].toUpperCase(Locale.ROOT)) : Comparison.FLOOR;
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().start();
                EmbeddedRegistry registry = EmbeddedRegistry.start(kafka, 0, "_schemas")) {
            System.out.print(
                    run(kafka, registry, comparison, events, threads, pairs).report());
        }
        System.exit(0);
    }

    /** Whether the candidate runs first in pair {@code pair} (0 is the warm-up): in every other pair, the warm-up's too. */
    static boolean candidateFirst(int pair) {
        return pair % 2 == 0;
    }

    public static Result run(
            EmbeddedKafka kafka, EmbeddedRegistry registry, Comparison comparison, int events, int threads, int pairs)
            throws Exception {
        String suffix = Long.toString(System.nanoTime(), 36);
        TopologySettings settings = StreamsBenchmark.prepare(kafka, registry, events, suffix);
        SpecificAvroSerde<ChartEvent> serde = new SpecificAvroSerde<>(ChartEvent.class);
        serde.configure(registry.serdeConfig(), false);
        SpecificAvroSerde<EnrichedEvent> enrichedSerde = new SpecificAvroSerde<>(EnrichedEvent.class);
        enrichedSerde.configure(registry.serdeConfig(), false);
        Pair warmUp = null;
        List<Pair> done = new ArrayList<>();
        for (int pair = 0; pair <= pairs; pair++) {
            boolean candidateFirst = candidateFirst(pair);
            StreamsBenchmark.Run baseline = null;
            StreamsBenchmark.Run candidate = null;
            for (boolean isCandidate : candidateFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                String appId = "pair-" + (isCandidate ? "candidate-" : "baseline-") + suffix + "-" + pair;
                StreamsBenchmark.Run run;
                if (comparison != Comparison.FLOOR) {
                    boolean prefetching = comparison != Comparison.PREFETCH || isCandidate;
                    boolean writeBehind = comparison != Comparison.WRITE_BEHIND || isCandidate;
                    StreamsBenchmark.Built full = StreamsBenchmark.steps(
                            settings.withWriteBehind(writeBehind), registry, events, true, true, appId, prefetching);
                    run = time(
                            kafka,
                            registry,
                            full.topology(),
                            full.prefetch(),
                            appId,
                            settings,
                            settings.enrichedTopic(),
                            threads);
                } else if (isCandidate) {
                    StreamsBuilder builder = new StreamsBuilder();
                    String output = "bench.floor." + suffix;
                    StructureOnly.floor(builder, settings, serde, enrichedSerde, output, agents(events));
                    run = time(kafka, registry, builder.build(), null, appId, settings, output, threads);
                } else {
                    StreamsBuilder builder = new StreamsBuilder();
                    String output = "bench.copy." + suffix;
                    builder.stream(settings.rawTopic(), Consumed.with(Serdes.String(), serde))
                            .to(output, Produced.with(Serdes.String(), serde));
                    run = time(kafka, registry, builder.build(), null, appId, settings, output, threads);
                }
                if (isCandidate) {
                    candidate = run;
                } else {
                    baseline = run;
                }
            }
            if (pair == 0) {
                warmUp = new Pair(baseline, candidate, candidateFirst);
            } else {
                done.add(new Pair(baseline, candidate, candidateFirst));
            }
        }
        return new Result(comparison, events, threads, warmUp, done);
    }

    // The floor's agent lookup: empty, or holding every agent string of the backlog with benchmark.warmAgents.
    private static CheapestAgents agents(int events) {
        CheapestAgents agents = new CheapestAgents();
        if (StreamsBenchmark.WARM_AGENTS) {
            Traffic traffic = new Traffic(42);
            for (int i = 0; i < events; i++) {
                agents.of(traffic.next(Instant.EPOCH).getContext().getUserAgent());
            }
        }
        return agents;
    }

    private static StreamsBenchmark.Run time(
            EmbeddedKafka kafka,
            EmbeddedRegistry registry,
            Topology topology,
            AgentPrefetch prefetch,
            String appId,
            TopologySettings settings,
            String output,
            int threads)
            throws Exception {
        return StreamsBenchmark.timed(
                kafka, registry, topology, prefetch, appId, settings.rawTopic(), output, 0, threads);
    }
}
