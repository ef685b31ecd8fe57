package io.chartpulse.streams.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.streams.TestStores;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** A task's inputs combined per chart and minute before the repartition, and flushed on time. */
class MetricPartialsTest {

    private static final long T0 = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;

    private final MockProcessorContext<String, MetricPartial> context = new MockProcessorContext<>();
    private KeyValueStore<String, MetricPartial> store;

    // The inputs of an "event" here: the input itself, keyed by the chart named in its visitor ("chart/visitor").
    private MetricPartials<MetricInput> start() {
        if (store == null) {
            store = TestStores.add(context, MetricPartials.STORE, Serdes.String(), MetricPartial.serde());
        }
        MetricPartials<MetricInput> processor = new MetricPartials<>(
                Duration.ofSeconds(1),
                (input, partition) -> List.of(KeyValue.pair(input.visitor().split("/")[0], input)));
        processor.init(context);
        return processor;
    }

    private void send(MetricPartials<MetricInput> processor, String chartAndVisitor, long t) {
        context.setRecordMetadata("raw", 2, 0);
        processor.process(new Record<>("k", new MetricInput(MetricInput.Kind.IMPRESSION, t, chartAndVisitor, 2), t));
    }

    private List<KeyValue<String, MetricPartial>> forwarded() {
        List<KeyValue<String, MetricPartial>> out = new ArrayList<>();
        context.forwarded()
                .forEach(f -> out.add(KeyValue.pair(f.record().key(), f.record().value())));
        context.resetForwards();
        return out;
    }

    private void punctuate() {
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(0);
    }

    @Test
    void inputsOfAChartsMinuteAreCombinedIntoOneRecordAndForwardedByTheWallClock() {
        MetricPartials<MetricInput> processor = start();
        send(processor, "c1/a", T0 + 1_000);
        forwarded(); // the first input opened the task's first minute: flushed at once
        send(processor, "c1/a", T0 + 2_000);
        send(processor, "c1/b", T0 + 3_000);
        send(processor, "c2/a", T0 + 4_000);
        assertThat(forwarded()).as("combined until a flush").isEmpty();
        assertThat(store.approximateNumEntries())
                .as("pending partials are in the logged store")
                .isEqualTo(2);

        punctuate();
        List<KeyValue<String, MetricPartial>> out = forwarded();
        assertThat(out).extracting(kv -> kv.key).containsExactlyInAnyOrder("c1", "c2");
        MetricPartial c1 =
                out.stream().filter(kv -> kv.key.equals("c1")).findFirst().orElseThrow().value;
        assertThat(c1.inputs()).isEqualTo(2);
        assertThat(c1.newest()).isEqualTo(T0 + 3_000);
        assertThat(c1.partition()).isEqualTo(2);
        assertThat(c1.aggregate().uniqueVisitors()).isEqualTo(2);
        assertThat(store.approximateNumEntries())
                .as("forwarded partials leave the store")
                .isZero();

        punctuate();
        assertThat(forwarded()).as("nothing pending, nothing sent").isEmpty();
    }

    @Test
    void enteringANewMinuteFlushesEverythingOldestWindowFirst() {
        MetricPartials<MetricInput> processor = start();
        send(processor, "c9/a", T0 + 59_000);
        forwarded();
        send(processor, "c2/a", T0 + 59_500);
        send(processor, "c1/a", T0 + MINUTE + 1_000); // a new minute: both go
        List<KeyValue<String, MetricPartial>> out = forwarded();
        assertThat(out).extracting(kv -> kv.key).containsExactly("c2", "c1");
        assertThat(out).extracting(kv -> kv.value.newest()).containsExactly(T0 + 59_500, T0 + MINUTE + 1_000);

        // A straggler of the earlier minute does not flush by itself: it waits for the clock or the next minute.
        send(processor, "c2/b", T0 + 30_000);
        assertThat(forwarded()).isEmpty();
        send(processor, "c3/b", T0 + 2 * MINUTE);
        assertThat(forwarded()).extracting(kv -> kv.key).containsExactly("c2", "c3");
    }

    @Test
    void aRestartedTaskForwardsWhatWasPendingInItsStore() {
        MetricPartials<MetricInput> processor = start();
        send(processor, "c1/a", T0);
        forwarded();
        send(processor, "c1/b", T0 + 1_000);
        send(processor, "c1/c", T0 + 2_000);
        processor.close();

        MetricPartials<MetricInput> restarted = start();
        context.scheduledPunctuators().clear();
        restarted.init(context);
        punctuate();
        List<KeyValue<String, MetricPartial>> out = forwarded();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).value.inputs()).isEqualTo(2);
        assertThat(out.get(0).value.aggregate().uniqueVisitors()).isEqualTo(2);
    }
}
