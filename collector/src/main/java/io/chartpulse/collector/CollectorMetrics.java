package io.chartpulse.collector;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The collector's Prometheus metrics: requests by status, events accepted and rejected by code, produce latency
 * (histogram), batch sizes, requests in flight; plus the producer's own metrics.
 */
public final class CollectorMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<Integer, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final Counter accepted;
    private final Counter erased;
    private final Timer produceLatency;
    private final DistributionSummary batchSize;
    private final AtomicInteger inFlight = new AtomicInteger();

    public CollectorMetrics() {
        erased = Counter.builder("chartpulse.collector.events.dropped")
                .description("Events of visitors whose erasure was requested: answered as taken, never written")
                .tag("reason", "erased")
                .register(registry);
        accepted = Counter.builder("chartpulse.collector.events.accepted")
                .description("Events written to the raw topic")
                .register(registry);
        produceLatency = Timer.builder("chartpulse.collector.produce.latency")
                .description("From request body read to Kafka acknowledging every record of the batch")
                .publishPercentileHistogram()
                .register(registry);
        batchSize = DistributionSummary.builder("chartpulse.collector.batch.size")
                .description("Events per batch")
                .publishPercentileHistogram()
                .minimumExpectedValue(1.0)
                .maximumExpectedValue(1000.0)
                .register(registry);
        Gauge.builder("chartpulse.collector.in.flight", inFlight, AtomicInteger::get)
                .description("Requests waiting for Kafka")
                .register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public AtomicInteger inFlight() {
        return inFlight;
    }

    public void request(int status) {
        requests.computeIfAbsent(
                        status,
                        s -> Counter.builder("chartpulse.collector.requests")
                                .description("HTTP requests by status")
                                .tag("status", String.valueOf(s))
                                .register(registry))
                .increment();
    }

    public void accepted(int events) {
        accepted.increment(events);
    }

    /** Events of visitors whose erasure was requested: answered as taken, never written. */
    public void erased(int events) {
        if (events > 0) {
            erased.increment(events);
        }
    }

    public void rejected(String code) {
        rejected.computeIfAbsent(
                        code,
                        c -> Counter.builder("chartpulse.collector.events.rejected")
                                .description("Events written to the invalid topic, by code")
                                .tag("code", c)
                                .register(registry))
                .increment();
    }

    public void batch(int events, long produceNanos) {
        batchSize.record(events);
        produceLatency.record(produceNanos, TimeUnit.NANOSECONDS);
    }
}
