package io.chartpulse.streams.topology;

import java.time.Duration;

/**
 * What the topology is built from: topic names and the time rules. {@link #defaults()} gives the documented
 * defaults; tests and the service override what they need.
 *
 * @param dedupHorizon  how long an event_id is remembered for deduplication
 * @param maxClockSkew  how far created_at and sent_at may lie from received_at
 */
public record TopologySettings(String rawTopic, String enrichedTopic, String invalidTopic, String catalogTopic,
                               Duration dedupHorizon, Duration maxClockSkew) {

    public static TopologySettings defaults() {
        return new TopologySettings("chart.events.raw.v1", "chart.events.enriched.v1", "chart.events.invalid.v1",
                "chart.catalog.v1", Duration.ofHours(24), Duration.ofHours(24));
    }

    public TopologySettings withTopics(String raw, String enriched, String invalid, String catalog) {
        return new TopologySettings(raw, enriched, invalid, catalog, dedupHorizon, maxClockSkew);
    }

    public TopologySettings withDedupHorizon(Duration horizon) {
        return new TopologySettings(rawTopic, enrichedTopic, invalidTopic, catalogTopic, horizon, maxClockSkew);
    }
}
