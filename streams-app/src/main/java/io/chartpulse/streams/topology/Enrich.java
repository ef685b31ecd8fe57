package io.chartpulse.streams.topology;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.streams.enrich.Enricher;
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
        // Every field is set here (the enriched-only ones to their schema defaults): no builder, whose per-field
        // default copies cost more than the rest of this step.
        EnrichedEvent out = new EnrichedEvent();
        out.setEventId(e.getEventId());
        out.setEventType(e.getEventType());
        out.setEventName(e.getEventName());
        out.setProperties(e.getProperties());
        out.setCreatedAt(e.getCreatedAt());
        out.setSentAt(e.getSentAt());
        out.setReceivedAt(e.getReceivedAt());
        out.setDerivedAt(e.getReceivedAt());
        out.setClockSkewMs(0L);
        out.setAnonymousId(e.getAnonymousId());
        out.setUserId(e.getUserId());
        out.setSessionId(e.getSessionId());
        out.setSessionIndex(e.getSessionIndex());
        out.setServerSessionId(null);
        out.setPageViewId(e.getPageViewId());
        out.setPage(e.getPage());
        out.setChart(e.getChart());
        out.setProduct(e.getProduct());
        out.setInteraction(e.getInteraction());
        out.setContext(e.getContext());
        out.setConsent(e.getConsent());
        out.setSdk(e.getSdk());
        out.setSampleRate(e.getSampleRate());
        out.setVariant(e.getVariant());
        out.setIsBot(false);
        out.setCountry(e.getContext() == null ? null : e.getContext().getCountry());
        out.setDedupFingerprint(e.getEventId().toString());
        // The wall clock when this step ran (cached per poll by Kafka Streams): when, not which stream time.
        out.setProcessedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()));
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
