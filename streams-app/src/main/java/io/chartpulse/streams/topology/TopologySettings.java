package io.chartpulse.streams.topology;

import io.chartpulse.schemas.Topic;
import io.chartpulse.streams.session.Visitors;
import java.time.Duration;

/**
 * What the topology is built from: topic names and the time rules. {@link #defaults()} gives the documented
 * defaults; tests and the service override what they need.
 *
 * @param erasureTopic  the erasure requests, read as a global table: events of an erased visitor are dropped
 * @param dedupHorizon  how long an event_id is remembered for deduplication
 * @param dedupMaxIds   how many of a visitor's most recent event ids are remembered
 * @param maxClockSkew  how far created_at and sent_at may lie from received_at
 * @param sessionGap    inactivity that ends a session
 * @param sessionGrace  how long after gap a session waits for late events before it is emitted
 * @param sessionCheck  how often (wall clock) idle partitions look for sessions and metric windows to close
 * @param metricsGrace  how long after a one-minute window ends it waits for late events before it is emitted
 * @param metricsRetention how long emitted windows stay queryable in the store
 * @param sessionMaxDuration the longest a session may last before it is closed (and flagged) regardless of activity
 */
public record TopologySettings(
        String rawTopic,
        String enrichedTopic,
        String invalidTopic,
        String catalogTopic,
        String sessionsTopic,
        String metricsTopic,
        String erasureTopic,
        Duration dedupHorizon,
        int dedupMaxIds,
        Duration maxClockSkew,
        Duration sessionGap,
        Duration sessionGrace,
        Duration sessionCheck,
        Duration metricsGrace,
        Duration metricsRetention,
        Duration sessionMaxDuration) {

    public static TopologySettings defaults() {
        return new TopologySettings(
                Topic.RAW_EVENTS.topicName(),
                Topic.ENRICHED_EVENTS.topicName(),
                Topic.INVALID_EVENTS.topicName(),
                Topic.CATALOG.topicName(),
                Topic.SESSIONS.topicName(),
                Topic.CHART_METRICS_MINUTE.topicName(),
                Topic.ERASURE_REQUESTS.topicName(),
                Duration.ofHours(24),
                Visitors.DEFAULT_MAX_IDS,
                Duration.ofHours(24),
                Duration.ofMinutes(30),
                Duration.ofMinutes(5),
                Duration.ofSeconds(10),
                Duration.ofMinutes(1),
                Duration.ofHours(6),
                Visitors.DEFAULT_MAX_DURATION);
    }

    public TopologySettings withTopics(
            String raw, String enriched, String invalid, String catalog, String sessions, String metrics) {
        return new TopologySettings(
                raw,
                enriched,
                invalid,
                catalog,
                sessions,
                metrics,
                erasureTopic,
                dedupHorizon,
                dedupMaxIds,
                maxClockSkew,
                sessionGap,
                sessionGrace,
                sessionCheck,
                metricsGrace,
                metricsRetention,
                sessionMaxDuration);
    }

    public TopologySettings withDedupHorizon(Duration horizon) {
        return withDedup(horizon, dedupMaxIds);
    }

    public TopologySettings withDedup(Duration horizon, int maxIds) {
        return new TopologySettings(
                rawTopic,
                enrichedTopic,
                invalidTopic,
                catalogTopic,
                sessionsTopic,
                metricsTopic,
                erasureTopic,
                horizon,
                maxIds,
                maxClockSkew,
                sessionGap,
                sessionGrace,
                sessionCheck,
                metricsGrace,
                metricsRetention,
                sessionMaxDuration);
    }

    public TopologySettings withSessions(Duration gap, Duration grace, Duration check) {
        return new TopologySettings(
                rawTopic,
                enrichedTopic,
                invalidTopic,
                catalogTopic,
                sessionsTopic,
                metricsTopic,
                erasureTopic,
                dedupHorizon,
                dedupMaxIds,
                maxClockSkew,
                gap,
                grace,
                check,
                metricsGrace,
                metricsRetention,
                sessionMaxDuration);
    }

    public TopologySettings withSessionMaxDuration(Duration max) {
        return new TopologySettings(
                rawTopic,
                enrichedTopic,
                invalidTopic,
                catalogTopic,
                sessionsTopic,
                metricsTopic,
                erasureTopic,
                dedupHorizon,
                dedupMaxIds,
                maxClockSkew,
                sessionGap,
                sessionGrace,
                sessionCheck,
                metricsGrace,
                metricsRetention,
                max);
    }

    /** These settings reading erasure requests from {@code topic}. */
    public TopologySettings withMetricsRetention(Duration retention) {
        return new TopologySettings(
                rawTopic,
                enrichedTopic,
                invalidTopic,
                catalogTopic,
                sessionsTopic,
                metricsTopic,
                erasureTopic,
                dedupHorizon,
                dedupMaxIds,
                maxClockSkew,
                sessionGap,
                sessionGrace,
                sessionCheck,
                metricsGrace,
                retention,
                sessionMaxDuration);
    }

    public TopologySettings withErasureTopic(String topic) {
        return new TopologySettings(
                rawTopic,
                enrichedTopic,
                invalidTopic,
                catalogTopic,
                sessionsTopic,
                metricsTopic,
                topic,
                dedupHorizon,
                dedupMaxIds,
                maxClockSkew,
                sessionGap,
                sessionGrace,
                sessionCheck,
                metricsGrace,
                metricsRetention,
                sessionMaxDuration);
    }
}
