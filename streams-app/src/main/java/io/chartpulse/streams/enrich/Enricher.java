package io.chartpulse.streams.enrich;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;

/**
 * One enrichment step: reads the raw event (and what earlier steps set) and sets fields of the enriched event.
 * Steps run in a fixed order (see {@link Enrichers#standard()}); users add or replace steps through the topology's
 * settings. Implementations are stateless or thread-safe: one instance serves every stream thread.
 */
@FunctionalInterface
public interface Enricher {
    void enrich(ChartEvent event, EnrichedEvent.Builder enriched);
}
