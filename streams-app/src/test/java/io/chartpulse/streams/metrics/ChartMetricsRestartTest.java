package io.chartpulse.streams.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.avro.ChartMetric;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** A processor that starts on a store holding windows (after a restart or a rebalance) emits and expires them. */
class ChartMetricsRestartTest {

    private static final long T0 = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();

    @Test
    void windowsFoundInTheStoreAreEmittedOnceAndExpireAfterRetention() {
        MockProcessorContext<String, ChartMetric> context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(T0);
        KeyValueStore<String, MetricAggregate> store = ChartMetricsFinalTest.stores(context);
        MetricAggregate pending = new MetricAggregate();
        pending.add(new MetricInput(MetricInput.Kind.IMPRESSION, T0, "v1"));
        store.put(ChartMetrics.storeKey("chart-1", T0), pending);
        MetricAggregate emitted = new MetricAggregate();
        emitted.add(new MetricInput(MetricInput.Kind.IMPRESSION, T0, "v1"));
        emitted.emitted = true;
        store.put(ChartMetrics.storeKey("chart-2", T0), emitted);

        ChartMetrics processor =
                new ChartMetrics(Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofSeconds(10), () -> {}, m -> {});
        processor.init(context);
        long later = T0 + Duration.ofMinutes(3).toMillis();
        processor.process(new Record<>("chart-3", new MetricInput(MetricInput.Kind.PRODUCT_CLICK, later, "v2"), later));
        assertThat(context.forwarded())
                .extracting(f -> f.record().value().getChartId())
                .containsExactly("chart-1");
        assertThat(store.get(ChartMetrics.storeKey("chart-1", T0)).emitted()).isTrue();

        long afterRetention = T0 + Duration.ofMinutes(62).toMillis();
        processor.process(new Record<>(
                "chart-3", new MetricInput(MetricInput.Kind.PRODUCT_CLICK, afterRetention, "v2"), afterRetention));
        assertThat(store.get(ChartMetrics.storeKey("chart-1", T0))).isNull();
        assertThat(store.get(ChartMetrics.storeKey("chart-2", T0))).isNull();
        assertThat(store.get(ChartMetrics.storeKey("chart-3", later))).isNotNull();
        assertThat(context.forwarded())
                .as("each window once")
                .extracting(f -> f.record().value().getChartId())
                .containsExactly("chart-1", "chart-3");
    }
}
