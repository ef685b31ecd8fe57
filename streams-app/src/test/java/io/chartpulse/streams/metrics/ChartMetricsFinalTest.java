package io.chartpulse.streams.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.avro.ChartMetric;
import io.chartpulse.streams.TestStores;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** A window emitted as final never changes afterwards, even when the idle wall clock emitted it early. */
class ChartMetricsFinalTest {

    private static final long T0 = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();

    @Test
    void anEventForAWindowTheIdleClockAlreadyEmittedIsLateAndChangesNothing() {
        MockProcessorContext<String, ChartMetric> context = new MockProcessorContext<>();
        long wall = T0 + 10_000;
        context.setCurrentSystemTimeMs(wall);
        KeyValueStore<String, MetricAggregate> store = ChartMetricsFinalTest.stores(context);
        AtomicInteger late = new AtomicInteger();
        ChartMetrics processor = new ChartMetrics(
                Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofSeconds(10), late::incrementAndGet, m -> {});
        processor.init(context);
        processor.process(
                new Record<>("chart-1", new MetricInput(MetricInput.Kind.IMPRESSION, T0 + 10_000, "v1"), T0 + 10_000));
        assertThat(context.forwarded()).isEmpty();

        // The partition goes quiet; three minutes of wall clock later the punctuator emits the window.
        context.scheduledPunctuators()
                .get(0)
                .getPunctuator()
                .punctuate(wall + Duration.ofMinutes(3).toMillis());
        assertThat(context.forwarded()).hasSize(1);
        assertThat(context.forwarded().get(0).record().value().getImpressions()).isEqualTo(1);

        // An event of that minute, within the grace by event time, comes after the window went out.
        processor.process(
                new Record<>("chart-1", new MetricInput(MetricInput.Kind.IMPRESSION, T0 + 20_000, "v2"), T0 + 20_000));
        processor.process(new Record<>(
                "chart-1", new MetricInput(MetricInput.Kind.PRODUCT_CLICK, T0 + 30_000, "v2"), T0 + 30_000));
        assertThat(late).hasValue(2);
        MetricAggregate stored = store.get(ChartMetrics.storeKey("chart-1", T0));
        assertThat(stored.impressions()).as("the final window is unchanged").isEqualTo(1);
        assertThat(stored.clicks()).isZero();
        assertThat(stored.uniqueVisitors()).isEqualTo(1);
        assertThat(stored.late()).as("the window's own late count").isEqualTo(2);
        context.scheduledPunctuators()
                .get(0)
                .getPunctuator()
                .punctuate(wall + Duration.ofMinutes(10).toMillis());
        assertThat(context.forwarded()).as("emitted once").hasSize(1);
    }

    /** The processor's stores in {@code context}: the windows (returned) and the watermarks. */
    static KeyValueStore<String, MetricAggregate> stores(MockProcessorContext<String, ChartMetric> context) {
        TestStores.add(context, ChartMetrics.WATERMARKS, Serdes.Integer(), Serdes.ByteArray());
        return TestStores.add(context, ChartMetrics.STORE, Serdes.String(), MetricAggregate.serde());
    }

    @Test
    void theLateCountSurvivesTheStoreFormatAndOldValuesReadWithNone() {
        MetricAggregate a = new MetricAggregate();
        a.add(new MetricInput(MetricInput.Kind.IMPRESSION, T0, "v1"));
        a.emitted = true;
        a.late = 7;
        MetricAggregate back = MetricAggregate.serde()
                .deserializer()
                .deserialize("t", MetricAggregate.serde().serializer().serialize("t", a));
        assertThat(back.late()).isEqualTo(7);
        assertThat(back.emitted()).isTrue();
        assertThat(back.impressions()).isEqualTo(1);
        assertThat(back.uniqueVisitors()).isEqualTo(1);

        a.late = 0;
        byte[] withoutLate = MetricAggregate.serde().serializer().serialize("t", a);
        assertThat(withoutLate[24])
                .as("the layout of values written before late counts existed")
                .isEqualTo((byte) 1);
        assertThat(MetricAggregate.serde()
                        .deserializer()
                        .deserialize("t", withoutLate)
                        .late())
                .isZero();
    }
}
