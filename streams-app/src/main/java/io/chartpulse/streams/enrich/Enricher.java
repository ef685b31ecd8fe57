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
    /**
     * @param enriched the record being built: the raw event's fields are copied in, and earlier steps' results set
     *                 (a plain mutable Avro record, not its builder, whose per-field default copies are slow)
     */
    void enrich(ChartEvent event, EnrichedEvent enriched);
}
