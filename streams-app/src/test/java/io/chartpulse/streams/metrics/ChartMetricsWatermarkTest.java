package io.chartpulse.streams.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.avro.ChartMetric;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** Lateness judged by a watermark per upstream partition, kept with the state across restarts. */
class ChartMetricsWatermarkTest {

    private static final long T0 = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;

    private final MockProcessorContext<String, ChartMetric> context = new MockProcessorContext<>();
    private final AtomicInteger late = new AtomicInteger();
    private KeyValueStore<String, MetricAggregate> store;

    private ChartMetrics start() {
        if (store == null) {
            context.setCurrentSystemTimeMs(T0 + 11 * MINUTE);
            store = ChartMetricsFinalTest.stores(context);
        }
        ChartMetrics processor = new ChartMetrics(
                Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofSeconds(10), late::incrementAndGet, m -> {});
        processor.init(context);
        return processor;
    }

    private static Record<String, MetricInput> input(long t, int partition) {
        return new Record<>("chart-1", new MetricInput(MetricInput.Kind.IMPRESSION, t, "v" + t, partition), t);
    }

    @Test
    void aPartitionTenMinutesBehindTheOtherIsNotLateItHoldsItsWindowsBack() {
        ChartMetrics processor = start();
        processor.process(input(T0 + 10 * MINUTE, 0));
        // Partition 1 catches up: ten minutes behind partition 0.
        processor.process(input(T0 + 5_000, 1));
        processor.process(input(T0 + 10_000, 1));
        assertThat(late).as("a lagging partition's events are not late").hasValue(0);
        assertThat(context.forwarded()).as("its window waits for it").isEmpty();

        processor.process(input(T0 + 3 * MINUTE, 1));
        assertThat(context.forwarded()).hasSize(1);
        ChartMetric first = context.forwarded().get(0).record().value();
        assertThat(first.getWindowStart().toEpochMilli()).isEqualTo(T0);
        assertThat(first.getImpressions()).isEqualTo(2);

        // Once both partitions are past a window, an event for it is late, whichever partition sends it.
        processor.process(input(T0 + 20_000, 0));
        processor.process(input(T0 + 30_000, 1));
        assertThat(late).hasValue(2);
    }

    @Test
    void aRestartKeepsTheWatermarksSoTheSameInputIsJudgedTheSame() {
        ChartMetrics processor = start();
        processor.process(input(T0 + 10 * MINUTE, 0));
        processor.close();

        ChartMetrics restarted = start();
        // Ten minutes behind its own partition's watermark, for a window nobody wrote: late, before and after.
        restarted.process(input(T0, 0));
        assertThat(late).hasValue(1);
        assertThat(store.get(ChartMetrics.storeKey("chart-1", T0))).isNull();
    }

    @Test
    void theTimeTheAppWasDownIsNotQuietTimeSoACrashsBacklogIsNotLate() {
        ChartMetrics processor = start();
        processor.process(input(T0 + 50_000, 0));
        processor.process(input(T0 + 50_000, 1));
        processor.close();

        // A crash: five minutes later by the wall clock the app is back, and both partitions' backlogs wait for it.
        context.setCurrentSystemTimeMs(T0 + 16 * MINUTE);
        ChartMetrics restarted = start();
        punctuate(T0 + 16 * MINUTE + 10_000);
        assertThat(context.forwarded())
                .as("the downtime did not advance the watermarks: window T0 is still open")
                .isEmpty();
        restarted.process(input(T0 + 55_000, 0));
        restarted.process(input(T0 + 58_000, 1));
        assertThat(late).as("the backlog's events are counted in their window").hasValue(0);
        restarted.process(input(T0 + 3 * MINUTE, 0));
        restarted.process(input(T0 + 3 * MINUTE, 1));
        assertThat(context.forwarded())
                .extracting(f -> f.record().value().getImpressions())
                .containsExactly(4L);
    }

    @Test
    void aPartitionQuietSinceBeforeARestartHoldsWindowsBackOnlyUntilItIsQuietAsLongAfterIt() {
        ChartMetrics processor = start();
        processor.process(input(T0 + 10_000, 0));
        processor.process(input(T0 + 10_000, 1));
        processor.close();

        // Twenty minutes later by the wall clock; partition 1 stays quiet after the restart.
        context.setCurrentSystemTimeMs(T0 + 31 * MINUTE);
        ChartMetrics restarted = start();
        restarted.process(input(T0 + 20 * MINUTE, 0));
        assertThat(context.forwarded())
                .as("partition 1 may still have a backlog")
                .isEmpty();

        // Quiet for the window's rest plus grace (1 min 50 s) since the restart: the window closes.
        punctuate(T0 + 31 * MINUTE + 110_000);
        assertThat(context.forwarded())
                .extracting(f -> f.record().value().getWindowStart().toEpochMilli())
                .containsExactly(T0);
    }

    private void punctuate(long wall) {
        context.setCurrentSystemTimeMs(wall);
        context.scheduledPunctuators()
                .get(context.scheduledPunctuators().size() - 1)
                .getPunctuator()
                .punctuate(wall);
    }
}
