package io.chartpulse.streams.bench;

import io.chartpulse.streams.enrich.Agents;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;
import ua_parser.Parser;

/**
 * What the user-agent tail of the streams benchmark's traffic costs per event, with nothing else on the thread: the
 * agent strings of {@code events} events of {@link Traffic} go through a fresh {@link Agents} (the app's cache and
 * YAUAA parse) per round, on one thread, JIT warmed by the rounds before; then the same strings again through the
 * warm cache (hits only). The difference, divided by the strings parsed, is what one parse of a new string costs.
 * For comparison every distinct string is also parsed by YAUAA asked for one field only (the least any use of YAUAA
 * can ask) and by uap-java, the other common Java agent parser (regular expressions from ua-parser's
 * {@code regexes.yaml}; it gives browser, OS and device families, not YAUAA's device and agent classes).
 *
 * <pre>
 * java -cp &lt;test classpath&gt; io.chartpulse.streams.bench.AgentTailBenchmark [events [rounds]]
 * </pre>
 */
public final class AgentTailBenchmark {

    private AgentTailBenchmark() {}

    public static void main(String[] args) {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Result r = run(events, rounds);
        System.out.println(r);
    }

    /** The medians over the rounds (the JIT is warmed before the first). */
    record Result(
            int events,
            int distinct,
            double parsedShare,
            double missUsPerEvent,
            double hitUsPerEvent,
            double usPerParse,
            double oneFieldUsPerParse,
            double uapUsPerParse) {
        @Override
        public String toString() {
            return String.format(
                    "agent tail: %d events, %d distinct strings (%.2f %% of events parse a new one); through Agents"
                            + " %.2f µs per event cold cache, %.3f µs warm (hits only); %.0f µs per new string"
                            + " (YAUAA, the app's fields), %.0f µs (YAUAA, one field), %.0f µs (uap-java)",
                    events,
                    distinct,
                    100 * parsedShare,
                    missUsPerEvent,
                    hitUsPerEvent,
                    usPerParse,
                    oneFieldUsPerParse,
                    uapUsPerParse);
        }
    }

    static Result run(int events, int rounds) {
        List<String> agents = agentsOf(events, 17L);
        int distinct = new HashSet<>(agents).size();
        UserAgentAnalyzer oneField = UserAgentAnalyzer.newBuilder()
                .hideMatcherLoadStats()
                .withoutCache()
                .withFields(UserAgent.AGENT_NAME)
                .immediateInitialization()
                .build();
        Parser uap = new Parser();
        // The JIT is the process's: warmed once, on strings of other visitors (another seed), so the measured cache
        // starts empty as the app's does.
        Agents warmer = new Agents(Agents.DEFAULT_SIZE);
        for (String ua : agentsOf(Math.min(events, 50_000), 99L)) {
            warmer.of(ua);
        }
        double[] cold = new double[rounds];
        double[] warm = new double[rounds];
        double[] one = new double[rounds];
        double[] regexes = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            Agents measured = new Agents(Agents.DEFAULT_SIZE);
            cold[round] = cpuNanos(agents, measured::of) / 1_000.0 / events;
            warm[round] = cpuNanos(agents, measured::of) / 1_000.0 / events;
            List<String> unique = new ArrayList<>(new HashSet<>(agents));
            one[round] = cpuNanos(unique, oneField::parse) / 1_000.0 / unique.size();
            regexes[round] = cpuNanos(unique, uap::parse) / 1_000.0 / unique.size();
            System.out.printf(
                    "round %d: %.2f µs/event cold cache, %.3f warm; per parse: one field %.0f µs, uap-java %.0f µs%n",
                    round + 1, cold[round], warm[round], one[round], regexes[round]);
        }
        double coldMedian = median(cold, rounds);
        double warmMedian = median(warm, rounds);
        return new Result(
                events,
                distinct,
                distinct / (double) events,
                coldMedian,
                warmMedian,
                (coldMedian - warmMedian) * events / distinct,
                median(one, rounds),
                median(regexes, rounds));
    }

    private static List<String> agentsOf(int events, long seed) {
        Traffic traffic = new Traffic(seed);
        Instant t = Instant.parse("2026-12-01T00:00:00Z");
        List<String> agents = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            agents.add(traffic.next(t).getContext().getUserAgent());
        }
        return agents;
    }

    private static long cpuNanos(List<String> agents, Function<String, ?> step) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        Set<Object> sink = new HashSet<>();
        for (String ua : agents) {
            Object v = step.apply(ua);
            if (v == null) {
                sink.add(ua);
            }
        }
        long spent = threads.getCurrentThreadCpuTime() - start;
        if (!sink.isEmpty()) {
            throw new IllegalStateException(sink.size() + " agents had no answer");
        }
        return spent;
    }

    private static double median(double[] values, int rounds) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
