package io.chartpulse.schemas;

/**
 * ChartPulse's Kafka topics, named once. Services take these as the defaults of their topic settings; the
 * connector configurations in {@code connect-config/connectors} name the same topics (a test there checks they
 * agree). Dead-letter topics are {@link #deadLetter(String) per connector}.
 */
public enum Topic {
    /** Accepted events from the collector, keyed by anonymous_id (ChartEvent). */
    RAW_EVENTS("chart.events.raw.v1"),
    /** Enriched, deduplicated events (EnrichedEvent). */
    ENRICHED_EVENTS("chart.events.enriched.v1"),
    /** Refused events with the reason, from every stage (RejectedEvent). */
    INVALID_EVENTS("chart.events.invalid.v1"),
    /** Final sessions (Session). */
    SESSIONS("chart.sessions.v1"),
    /** Final per-minute chart and product metrics (ChartMetric). */
    CHART_METRICS_MINUTE("chart.metrics.minute.v1"),
    /** The catalog of charts and products, compacted (CatalogEntry). */
    CATALOG("chart.catalog.v1"),
    /** The Iceberg sinks' coordination topic (data-file lists and commit points). */
    LAKE_CONTROL("chart.lake.control.v1"),
    /** Erasure requests, one per identifier, compacted, never expiring: also the suppression list (ErasureRequest). */
    ERASURE_REQUESTS("chart.erasure.requests.v1"),
    /** What each erasure removed from each store, keyed request/store (ErasureAudit). */
    ERASURE_AUDIT("chart.erasure.audit.v1");

    /** Prefix of the connectors' dead-letter topics. */
    public static final String DEAD_LETTER_PREFIX = "chart.connect.dlq.";

    private final String topicName;

    Topic(String topicName) {
        this.topicName = topicName;
    }

    /** The topic's name in Kafka, e.g. {@code chart.events.raw.v1}. */
    public String topicName() {
        return topicName;
    }

    /** The dead-letter topic of connector {@code connector}, e.g. {@code chart.connect.dlq.mongo-sessions}. */
    public static String deadLetter(String connector) {
        return DEAD_LETTER_PREFIX + connector;
    }
}
