package io.chartpulse.collector.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import io.chartpulse.collector.TrackerEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Drives the collector with wrk (Debian's {@code wrk}) and {@code bench/post-batches.lua}. */
final class Wrk {

    private Wrk() {}

    static boolean available() {
        try {
            return new ProcessBuilder("wrk", "--version")
                            .redirectErrorStream(true)
                            .start()
                            .waitFor()
                    >= 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * @param requestsPerSecond 0 for as fast as possible; otherwise paced by a per-connection delay, calibrated by a
     *                          short probe so that delay plus latency gives the asked rate
     */
    static Map<String, Object> run(
            Path workDir, String url, int seconds, int connections, int batch, double requestsPerSecond)
            throws IOException, InterruptedException {
        double delay = requestsPerSecond > 0 ? connections * 1000.0 / requestsPerSecond : 0;
        if (delay > 0) {
            Map<String, Object> probe =
                    run(workDir, url, Math.min(3, seconds), connections, batch, requestsPerSecond, delay);
            delay = Math.max(0, delay - ((Number) probe.get("p50_ms")).doubleValue());
        }
        return run(workDir, url, seconds, connections, batch, requestsPerSecond, delay);
    }

    private static Map<String, Object> run(
            Path workDir, String url, int seconds, int connections, int batch, double requestsPerSecond, double delayMs)
            throws IOException, InterruptedException {
        Path bodies = workDir.resolve("bench-bodies.txt");
        if (!Files.exists(bodies)) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                lines.add(TrackerEvents.batch(batch).toString());
            }
            Files.write(bodies, lines);
        }
        Path script = workDir.resolve("post-batches.lua");
        try (var in = Wrk.class.getResourceAsStream("/bench/post-batches.lua")) {
            Files.write(script, in.readAllBytes());
        }
        ProcessBuilder builder = new ProcessBuilder(
                "wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "-s", script.toString(), url + "/v1/events");
        builder.environment().put("CP_BODIES", bodies.toString());
        builder.environment().put("CP_DELAY_MS", String.valueOf(Math.round(delayMs)));
        Process process = builder.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("wrk failed:\n" + output);
        }
        String json = output.lines()
                .filter(l -> l.startsWith("{"))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("wrk printed no figures:\n" + output));
        Map<String, Object> figures =
                new LinkedHashMap<>(TrackerEvents.JSON.readValue(json, new TypeReference<Map<String, Object>>() {}));
        double elapsed = ((Number) figures.get("seconds")).doubleValue();
        long requests = ((Number) figures.get("requests")).longValue();
        long failed = ((Number) figures.get("errors")).longValue() + ((Number) figures.get("non_2xx")).longValue();
        figures.put("errors", failed);
        figures.put("events", requests * batch);
        figures.put("requests_per_second", requests / elapsed);
        figures.put("events_per_second", requests * (double) batch / elapsed);
        figures.put("target_requests_per_second", requestsPerSecond);
        figures.put("client", "wrk");
        return figures;
    }
}
