package io.chartpulse.collector.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import io.chartpulse.collector.CollectorConfig;
import io.chartpulse.collector.CollectorFixture;
import io.chartpulse.collector.CollectorServer;
import io.chartpulse.collector.TrackerEvents;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The collector benchmark: on one broker, side by side in one run,
 * <ol>
 *   <li>baseline: a bare Kafka producer (its own JVM) sending the same ChartEvent Avro records as fast as it can;</li>
 *   <li>peak: a load client (its own JVM) posting realistic batches to the collector over keep-alive connections;</li>
 *   <li>half load: the same client paced at half the peak request rate, for latency.</li>
 * </ol>
 * Prints the figures and the ratio collector / baseline. Not a test: speed never fails the build.
 *
 * <p>{@code CollectorBenchmark [seconds] [connections] [batch]} (defaults 20, 64, 20).
 */
public final class CollectorBenchmark {

    /** What one run measured. */
    public record Result(Map<String, Object> baseline, Map<String, Object> peak, Map<String, Object> halfLoad) {
        public double ratio() {
            return number(peak, "events_per_second") / number(baseline, "events_per_second");
        }

        public String report() {
            return String.format(
                    """
                    collector benchmark (%d cores, Java %s, load from %s)
                      baseline  bare producer     %,10.0f events/s
                      collector peak            %,10.0f events/s  %,8.0f req/s  p50 %6.1f ms  p99 %6.1f ms  errors %s
                      collector at half peak    %,10.0f events/s  %,8.0f req/s  p50 %6.1f ms  p99 %6.1f ms  errors %s
                      ratio collector/baseline  %.2f
                    """,
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"),
                    peak.getOrDefault("client", "a JVM load client"),
                    number(baseline, "events_per_second"),
                    number(peak, "events_per_second"),
                    number(peak, "requests_per_second"),
                    number(peak, "p50_ms"),
                    number(peak, "p99_ms"),
                    peak.get("errors"),
                    number(halfLoad, "events_per_second"),
                    number(halfLoad, "requests_per_second"),
                    number(halfLoad, "p50_ms"),
                    number(halfLoad, "p99_ms"),
                    halfLoad.get("errors"),
                    ratio());
        }
    }

    private CollectorBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().start();
                EmbeddedRegistry registry = EmbeddedRegistry.start(kafka, 0, "_schemas")) {
            Result result = run(kafka, registry, seconds, connections, batch, Path.of("target"), true);
            System.out.print(result.report());
        }
        System.exit(0);
    }

    /** Runs the three phases on {@code kafka}; child logs go to {@code workDir}. */
    public static Result run(
            EmbeddedKafka kafka, EmbeddedRegistry registry, int seconds, int connections, int batch, Path workDir)
            throws Exception {
        return run(kafka, registry, seconds, connections, batch, workDir, false);
    }

    /**
     * @param useWrk drive HTTP load with wrk (lighter than a JVM client, so the collector, not the client, is
     *               measured) when it is installed; otherwise with {@link LoadClient}
     */
    public static Result run(
            EmbeddedKafka kafka,
            EmbeddedRegistry registry,
            int seconds,
            int connections,
            int batch,
            Path workDir,
            boolean useWrk)
            throws Exception {
        String suffix = Long.toString(System.nanoTime(), 36);
        String baselineTopic = "bench.baseline." + suffix;
        String raw = "bench.raw." + suffix;
        String invalid = "bench.invalid." + suffix;
        kafka.createTopic(baselineTopic, 3);
        kafka.createTopic(raw, 3);
        kafka.createTopic(invalid, 1);
        Files.createDirectories(workDir);

        Map<String, Object> baseline = child(
                workDir,
                "producer",
                kafka.bootstrapServers(),
                registry.url(),
                baselineTopic,
                String.valueOf(seconds),
                String.valueOf(batch));
        Map<String, String> config = CollectorFixture.config(kafka.bootstrapServers(), registry.url(), raw, invalid);
        config.put(CollectorConfig.RATE_LIMIT_CONFIG, "0");
        try (CollectorServer collector =
                CollectorServer.start(new CollectorConfig(config)).awaitPrepared(Duration.ofSeconds(30))) {
            String url = "http://127.0.0.1:" + collector.port();
            boolean wrk = useWrk && Wrk.available();
            Map<String, Object> peak = wrk
                    ? Wrk.run(workDir, url, seconds, connections, batch, 0)
                    : child(
                            workDir,
                            "http",
                            url,
                            String.valueOf(seconds),
                            String.valueOf(connections),
                            String.valueOf(batch));
            double half = number(peak, "requests_per_second") / 2;
            Map<String, Object> halfLoad = wrk
                    ? Wrk.run(workDir, url, seconds, connections, batch, half)
                    : child(
                            workDir,
                            "http",
                            url,
                            String.valueOf(seconds),
                            String.valueOf(connections),
                            String.valueOf(batch),
                            String.valueOf(half));
            return new Result(baseline, peak, halfLoad);
        }
    }

    private static Map<String, Object> child(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                LoadClient.class.getName()));
        command.addAll(List.of(args));
        Path log = workDir.resolve("bench-" + args[0] + ".log");
        Process process =
                new ProcessBuilder(command).redirectError(log.toFile()).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            List<String> lines = Files.readAllLines(log);
            throw new IllegalStateException("load client " + args[0] + " failed:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size())));
        }
        String last = output.strip().lines().reduce((a, b) -> b).orElse("{}");
        return new LinkedHashMap<>(TrackerEvents.JSON.readValue(last, new TypeReference<Map<String, Object>>() {}));
    }

    static double number(Map<String, Object> figures, String key) {
        return ((Number) figures.get(key)).doubleValue();
    }
}
