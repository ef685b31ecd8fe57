package io.chartpulse.schemas;

import io.chartpulse.avro.CatalogEntry;
import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.ChartMetric;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.ErasureAudit;
import io.chartpulse.avro.ErasureRequest;
import io.chartpulse.avro.RejectedEvent;
import io.chartpulse.avro.Session;
import io.chartpulse.schemas.evolution.CompatibilityMode;
import org.apache.avro.Schema;

/**
 * The top-level records of ChartPulse: each with its current schema, the topic whose values it describes and the
 * compatibility mode its evolution is held to (see docs/ARCHITECTURE.md).
 */
public enum ChartPulseSchema {
    CHART_EVENT(ChartEvent.getClassSchema(), Topic.RAW_EVENTS.topicName(), CompatibilityMode.FULL_TRANSITIVE),
    ENRICHED_EVENT(
            EnrichedEvent.getClassSchema(), Topic.ENRICHED_EVENTS.topicName(), CompatibilityMode.BACKWARD_TRANSITIVE),
    REJECTED_EVENT(
            RejectedEvent.getClassSchema(), Topic.INVALID_EVENTS.topicName(), CompatibilityMode.BACKWARD_TRANSITIVE),
    SESSION(Session.getClassSchema(), Topic.SESSIONS.topicName(), CompatibilityMode.BACKWARD_TRANSITIVE),
    CHART_METRIC(
            ChartMetric.getClassSchema(),
            Topic.CHART_METRICS_MINUTE.topicName(),
            CompatibilityMode.BACKWARD_TRANSITIVE),
    CATALOG_ENTRY(CatalogEntry.getClassSchema(), Topic.CATALOG.topicName(), CompatibilityMode.BACKWARD_TRANSITIVE),
    ERASURE_REQUEST(
            ErasureRequest.getClassSchema(), Topic.ERASURE_REQUESTS.topicName(), CompatibilityMode.BACKWARD_TRANSITIVE),
    ERASURE_AUDIT(
            ErasureAudit.getClassSchema(), Topic.ERASURE_AUDIT.topicName(), CompatibilityMode.BACKWARD_TRANSITIVE);

    private final Schema schema;
    private final String topic;
    private final CompatibilityMode compatibility;

    ChartPulseSchema(Schema schema, String topic, CompatibilityMode compatibility) {
        this.schema = schema;
        this.topic = topic;
        this.compatibility = compatibility;
    }

    /** The current schema, as compiled into the generated class. */
    public Schema schema() {
        return schema;
    }

    /** Simple record name, e.g. {@code ChartEvent}; also the folder name of its history. */
    public String recordName() {
        return schema.getName();
    }

    /** The topic whose values use this schema. */
    public String topic() {
        return topic;
    }

    /** The registry subject of the topic's values under TopicNameStrategy. */
    public String valueSubject() {
        return topic + "-value";
    }

    /** The compatibility mode new versions are held to. */
    public CompatibilityMode compatibility() {
        return compatibility;
    }
}
