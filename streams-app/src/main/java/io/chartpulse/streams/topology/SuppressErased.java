package io.chartpulse.streams.topology;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.streams.privacy.ErasedVisitors;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Drops the valid events of a visitor whose erasure was requested, counted (reason {@code erased}), before they are
 * deduplicated, enriched or sessionized: from the moment the request is in the global table nothing new of that
 * visitor reaches the enriched topic, MongoDB or the lake. Never to the invalid topic (that would keep them).
 */
final class SuppressErased implements FixedKeyProcessor<String, ChartEvent, ChartEvent> {

    private final TopologyCounters counters;
    private FixedKeyProcessorContext<String, ChartEvent> context;
    private ErasedVisitors erased;

    SuppressErased(TopologyCounters counters) {
        this.counters = counters;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, ChartEvent> context) {
        this.context = context;
        this.erased = ErasedVisitors.open(context);
    }

    @Override
    public void process(FixedKeyRecord<String, ChartEvent> record) {
        ChartEvent e = record.value();
        if (erased.erased(e.getAnonymousId(), e.getUserId())) {
            counters.erased();
            return;
        }
        context.forward(record);
    }
}
