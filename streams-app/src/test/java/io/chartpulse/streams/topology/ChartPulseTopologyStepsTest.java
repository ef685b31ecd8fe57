package io.chartpulse.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.streams.enrich.Enricher;
import io.chartpulse.streams.metrics.ChartMetrics;
import io.chartpulse.streams.session.Visitors;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/** The topology's public steps: composed, they are the full topology; the first alone writes only its outputs. */
class ChartPulseTopologyStepsTest {

    // Building a topology configures the serdes but never calls the registry.
    private static final Map<String, Object> SERDE = Map.of("schema.registry.url", "http://127.0.0.1:9");
    private static final List<Enricher> NO_ENRICHERS = List.of();
    private static final TopologySettings SETTINGS = TopologySettings.defaults();

    @Test
    void theStepsComposedAreExactlyTheFullTopology() {
        StreamsBuilder full = new StreamsBuilder();
        ChartPulseTopology.build(full, SETTINGS, NO_ENRICHERS, SERDE, new TopologyCounters());

        StreamsBuilder steps = new StreamsBuilder();
        TopologyCounters counters = new TopologyCounters();
        ChartPulseTopology.Enriched enriched =
                ChartPulseTopology.enrich(steps, SETTINGS, NO_ENRICHERS, SERDE, counters);
        ChartPulseTopology.sessionize(steps, enriched, SETTINGS, SERDE, counters);
        ChartPulseTopology.chartMetrics(steps, enriched.events(), SETTINGS, SERDE, counters);

        assertThat(steps.build().describe().toString())
                .isEqualTo(full.build().describe().toString());
    }

    @Test
    void enrichmentAloneWritesTheEnrichedAndInvalidTopicsAndKeepsOnlyTheVisitorStore() {
        StreamsBuilder builder = new StreamsBuilder();
        ChartPulseTopology.enrich(builder, SETTINGS, NO_ENRICHERS, SERDE, new TopologyCounters());
        TopologyDescription description = builder.build().describe();

        Set<String> sinks = new HashSet<>();
        Set<String> stores = new HashSet<>();
        for (TopologyDescription.Subtopology sub : description.subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Sink sink) {
                    sinks.add(sink.topic());
                }
                if (node instanceof TopologyDescription.Processor processor) {
                    stores.addAll(processor.stores());
                }
            }
        }
        assertThat(sinks).containsExactlyInAnyOrder(SETTINGS.enrichedTopic(), SETTINGS.invalidTopic());
        assertThat(stores).contains(Visitors.STORE).doesNotContain(ChartMetrics.STORE);
        assertThat(description.globalStores()).hasSize(2); // the catalog and the erased visitors
    }
}
