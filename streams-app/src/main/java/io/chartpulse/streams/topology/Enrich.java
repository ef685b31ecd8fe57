package io.chartpulse.streams.topology;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.streams.enrich.Enricher;
import io.chartpulse.streams.enrich.Enrichers;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/** Step 4: copies the raw event into an EnrichedEvent and runs the enrichers in order. */
final class Enrich implements FixedKeyProcessor<String, ChartEvent, EnrichedEvent> {

    private final List<Enricher> enrichers;
    private final TopologyCounters counters;
    private FixedKeyProcessorContext<String, EnrichedEvent> context;

    Enrich(List<Enricher> enrichers, TopologyCounters counters) {
        this.enrichers = enrichers;
        this.counters = counters;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, EnrichedEvent> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, ChartEvent> record) {
        ChartEvent e = record.value();
        // processed_at: the wall clock when this step ran (cached per poll by Kafka Streams): when, not which stream
        // time.
        EnrichedEvent out = Enrichers.copyOf(e, Instant.ofEpochMilli(context.currentSystemTimeMs()));
        long started = System.nanoTime();
        for (Enricher enricher : enrichers) {
            enricher.enrich(e, out);
        }
        counters.enriched(System.nanoTime() - started, e.getReceivedAt().toEpochMilli());
        if (out.getIsBot()) {
            counters.bot();
        }
        context.forward(record.withValue(out));
    }
}
