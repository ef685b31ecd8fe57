package io.chartpulse.collector.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.chartpulse.avro.ChartEvent;
import io.chartpulse.collector.TrackerEvents;
import io.chartpulse.collector.mapping.ServerFields;
import io.chartpulse.collector.mapping.Transcode;
import io.chartpulse.serde.avro.SpecificAvroSerializer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The load side of the collector benchmark, run as its own JVM so it does not share the collector's heap or JIT.
 * Prints one JSON line with its figures.
 *
 * <pre>
 * http     &lt;url&gt; &lt;seconds&gt; &lt;connections&gt; &lt;batch&gt; [requestsPerSecond]   POST batches over keep-alive connections
 * producer &lt;bootstrap&gt; &lt;registry&gt; &lt;topic&gt; &lt;seconds&gt; &lt;batch&gt;            a bare producer sending the same ChartEvents
 * </pre>
 */
public final class LoadClient {

    private static final int DISTINCT_BATCHES = 500;

    private LoadClient() {}

    public static void main(String[] args) throws Exception {
        Map<String, Object> result = switch (args[0]) {
            case "http" ->
                http(
                        args[1],
                        Integer.parseInt(args[2]),
                        Integer.parseInt(args[3]),
                        Integer.parseInt(args[4]),
                        args.length > 5 ? Double.parseDouble(args[5]) : 0);
            case "producer" ->
                producer(args[1], args[2], args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]));
            default -> throw new IllegalArgumentException("mode must be http or producer, not " + args[0]);
        };
        System.out.println(TrackerEvents.JSON.writeValueAsString(result));
        System.exit(0);
    }

    static Map<String, Object> http(String url, int seconds, int connections, int batch, double requestsPerSecond)
            throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < DISTINCT_BATCHES; i++) {
            bodies.add(TrackerEvents.batch(batch).toString());
        }
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create(url + "/v1/events");
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(seconds).toNanos();
        double interval = requestsPerSecond > 0 ? connections * 1e9 / requestsPerSecond : 0;
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        List<Future<long[]>> results = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int offset = c;
            results.add(pool.submit(() -> {
                long[] latencies = new long[1 << 16];
                int n = 0;
                long next = System.nanoTime() + (long) (interval * offset / connections);
                for (int k = offset; System.nanoTime() < deadline; k += connections) {
                    if (interval > 0) {
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        next += (long) interval;
                    }
                    HttpRequest request = HttpRequest.newBuilder(uri)
                            .header("Content-Type", "text/plain;charset=UTF-8")
                            .POST(HttpRequest.BodyPublishers.ofString(bodies.get(k % bodies.size())))
                            .build();
                    long sent = System.nanoTime();
                    HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() != 200) {
                        errors.incrementAndGet();
                        continue;
                    }
                    if (n == latencies.length) {
                        latencies = Arrays.copyOf(latencies, n * 2);
                    }
                    latencies[n++] = System.nanoTime() - sent;
                }
                return Arrays.copyOf(latencies, n);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : results) {
            all.add(f.get());
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        Map<String, Object> out = new HashMap<>();
        out.put("mode", "http");
        out.put("seconds", elapsed);
        out.put("requests", merged.length);
        out.put("errors", errors.get());
        out.put("events", (long) merged.length * batch);
        out.put("requests_per_second", merged.length / elapsed);
        out.put("events_per_second", merged.length * (double) batch / elapsed);
        out.put("p50_ms", percentile(merged, 0.50));
        out.put("p99_ms", percentile(merged, 0.99));
        out.put("target_requests_per_second", requestsPerSecond);
        return out;
    }

    static Map<String, Object> producer(String bootstrap, String registry, String topic, int seconds, int batch)
            throws Exception {
        // The very records the collector would write: tracker JSON mapped the same way, as generated classes.
        List<ChartEvent> events = new ArrayList<>();
        for (int i = 0; i < DISTINCT_BATCHES; i++) {
            ArrayNode json = TrackerEvents.batch(batch);
            for (JsonNode node : json) {
                events.add(Transcode.toEvent(
                        node, new ServerFields(System.currentTimeMillis(), "127.0.0.0", null, "bench")));
            }
        }
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        SpecificAvroSerializer<ChartEvent> values = new SpecificAvroSerializer<>();
        values.configure(Map.of("schema.registry.url", registry), false);
        AtomicLong acked = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(seconds).toNanos();
        try (KafkaProducer<String, ChartEvent> producer = new KafkaProducer<>(config, new StringSerializer(), values)) {
            for (int i = 0; System.nanoTime() < deadline; i++) {
                ChartEvent event = events.get(i % events.size());
                producer.send(new ProducerRecord<>(topic, event.getAnonymousId(), event), (m, e) -> {
                    if (e == null) {
                        acked.incrementAndGet();
                    } else {
                        errors.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Map<String, Object> out = new HashMap<>();
        out.put("mode", "producer");
        out.put("seconds", elapsed);
        out.put("events", acked.get());
        out.put("errors", errors.get());
        out.put("events_per_second", acked.get() / elapsed);
        return out;
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
