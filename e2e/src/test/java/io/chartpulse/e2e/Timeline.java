package io.chartpulse.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * The pipeline's state once a second while the fault run goes on: how many events the collector had taken, the
 * lag of each consumer that carries them onwards (committed offsets against the partitions' last stable offsets):
 * the streams app, the S3 archive, the MongoDB events sink and the lake's events sink; and how many inputs the
 * streams app had counted late for the per-minute metrics so far. A second in which Kafka did not answer (a broker
 * restart) has no lag figures.
 */
final class Timeline implements AutoCloseable {

    /** The consumer groups followed, by the name the report gives them. */
    static final Map<String, String> GROUPS = groups();

    /**
     * One second: when (ms since the traffic started), events the collector had taken, lag per group (or none), and
     * the late metric inputs counted so far by every streams process of the run (their counters added up, each
     * process's as last read before it ended).
     */
    record Sample(long atMillis, long accepted, Map<String, Long> lag, long lateMetrics) {}

    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private static Map<String, String> groups() {
        Map<String, String> groups = new LinkedHashMap<>();
        groups.put("streams", "chartpulse-streams");
        groups.put("archive", "connect-s3-raw-events");
        groups.put("mongo", "connect-mongo-enriched-events");
        groups.put("lake", "connect-iceberg-enriched-events");
        return groups;
    }

    private Timeline(Pipeline pipeline, long startNanos, LongSupplier accepted) {
        thread = new Thread(() -> sample(pipeline, startNanos, accepted), "fault-run-timeline");
        thread.setDaemon(true);
        thread.start();
    }

    static Timeline start(Pipeline pipeline, long startNanos, LongSupplier accepted) {
        return new Timeline(pipeline, startNanos, accepted);
    }

    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    private void sample(Pipeline pipeline, long startNanos, LongSupplier accepted) {
        LateCounter late = new LateCounter(pipeline.streamsUrl() + "/metrics");
        try (Admin admin = pipeline.admin()) {
            while (running) {
                long at = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
                Map<String, Long> lag = new LinkedHashMap<>();
                try {
                    for (Map.Entry<String, String> group : GROUPS.entrySet()) {
                        lag.put(group.getKey(), lag(admin, group.getValue()));
                    }
                } catch (Exception e) {
                    lag = Map.of(); // Kafka did not answer this second
                }
                synchronized (this) {
                    samples.add(new Sample(at, accepted.getAsLong(), lag, late.read()));
                }
                Thread.sleep(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long lag(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(3, TimeUnit.SECONDS);
        if (committed.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, ListOffsetsResultInfo> end = admin.listOffsets(
                        committed.keySet().stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())),
                        new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all()
                .get(3, TimeUnit.SECONDS);
        long lag = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> c : committed.entrySet()) {
            if (c.getValue() != null && end.containsKey(c.getKey())) {
                lag += Math.max(0, end.get(c.getKey()).offset() - c.getValue().offset());
            }
        }
        return lag;
    }

    /** The late metric inputs counted in {@code [fromMillis, toMillis)} (by the samples there). */
    long lateMetrics(long fromMillis, long toMillis) {
        long before = 0;
        long last = 0;
        for (Sample s : samples()) {
            if (s.atMillis() < fromMillis) {
                before = s.lateMetrics();
            }
            if (s.atMillis() < toMillis) {
                last = s.lateMetrics();
            }
        }
        return last - before;
    }

    /**
     * The streams app's {@code chartpulse_streams_late_total{for="metrics"}}, added up over the processes the run
     * starts: a reading lower than the one before is a new process counting from zero.
     */
    static final class LateCounter {

        static final String LINE = "chartpulse_streams_late_total{for=\"metrics\"} ";

        private final HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        private final URI uri;
        private long ended;
        private long current;

        LateCounter(String url) {
            this.uri = URI.create(url);
        }

        /** The total so far; the last total when the app does not answer. */
        long read() {
            try {
                HttpResponse<String> page = http.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofMillis(800))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                page.body().lines().filter(l -> l.startsWith(LINE)).findFirst().ifPresent(line -> {
                    long value = (long)
                            Double.parseDouble(line.substring(LINE.length()).trim());
                    if (value < current) {
                        ended += current;
                    }
                    current = value;
                });
            } catch (IOException e) {
                // not answering (killed, restarting): the count stands
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ended + current;
        }
    }

    /** The largest lag of {@code group} in {@code [fromMillis, toMillis)}, or -1 when no sample there has one. */
    long peak(String group, long fromMillis, long toMillis) {
        return samples().stream()
                .filter(s -> s.atMillis() >= fromMillis
                        && s.atMillis() < toMillis
                        && s.lag().containsKey(group))
                .mapToLong(s -> s.lag().get(group))
                .max()
                .orElse(-1);
    }

    /**
     * When every group was back to normal after a fault that ended at {@code endMillis}: the first sample from then on
     * whose lags are all at most what each had at its worst in the {@code window} before the fault began (the
     * lake's and the archive's lag rise and fall with their commits), and never under one second of traffic. -1 when
     * that never happened while the timeline ran.
     */
    long recoveredAt(long faultStartMillis, long endMillis, Duration window, int rate) {
        Map<String, Long> normal = new LinkedHashMap<>();
        for (String group : GROUPS.keySet()) {
            normal.put(group, Math.max(rate, peak(group, faultStartMillis - window.toMillis(), faultStartMillis)));
        }
        return samples().stream()
                .filter(s -> s.atMillis() >= endMillis && s.lag().size() == GROUPS.size())
                .filter(s -> GROUPS.keySet().stream().allMatch(g -> s.lag().get(g) <= normal.get(g)))
                .mapToLong(Sample::atMillis)
                .findFirst()
                .orElse(-1);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
    }
}
