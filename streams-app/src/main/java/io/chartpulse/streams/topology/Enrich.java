package io.chartpulse.streams.topology;

import java.time.Instant;
import java.util.List;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.streams.enrich.Enricher;
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
        EnrichedEvent.Builder out = EnrichedEvent.newBuilder()
                .setEventId(e.getEventId()).setEventType(e.getEventType()).setEventName(e.getEventName())
                .setProperties(e.getProperties()).setCreatedAt(e.getCreatedAt()).setSentAt(e.getSentAt())
                .setReceivedAt(e.getReceivedAt()).setDerivedAt(e.getReceivedAt()).setAnonymousId(e.getAnonymousId())
                .setUserId(e.getUserId()).setSessionId(e.getSessionId()).setSessionIndex(e.getSessionIndex())
                .setPageViewId(e.getPageViewId()).setPage(e.getPage()).setChart(e.getChart()).setProduct(e.getProduct())
                .setInteraction(e.getInteraction()).setContext(e.getContext()).setConsent(e.getConsent()).setSdk(e.getSdk())
                .setSampleRate(e.getSampleRate())
                .setCountry(e.getContext() == null ? null : e.getContext().getCountry())
                .setDedupFingerprint(e.getEventId().toString())
                .setProcessedAt(Instant.ofEpochMilli(record.timestamp()));
        long started = System.nanoTime();
        for (Enricher enricher : enrichers) {
            enricher.enrich(e, out);
        }
        counters.enriched(System.nanoTime() - started);
        EnrichedEvent enriched = out.build();
        if (enriched.getIsBot()) {
            counters.bot();
        }
        context.forward(record.withValue(enriched));
    }
}
