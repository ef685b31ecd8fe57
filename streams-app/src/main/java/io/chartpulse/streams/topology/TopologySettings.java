package io.chartpulse.streams.topology;

import io.chartpulse.schemas.Topic;
import io.chartpulse.streams.session.Visitors;
import java.time.Duration;
import java.util.function.Consumer;

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
 * @param writeBehind   whether the visitor and chart-metric stores keep their changes as objects until each commit
 *     ({@link WriteBehindStore}) rather than in Kafka Streams' record cache
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
        Duration sessionMaxDuration,
        boolean writeBehind) {

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
                Visitors.DEFAULT_MAX_DURATION,
                true);
    }

    public TopologySettings withTopics(
            String raw, String enriched, String invalid, String catalog, String sessions, String metrics) {
        return with(b -> {
            b.rawTopic = raw;
            b.enrichedTopic = enriched;
            b.invalidTopic = invalid;
            b.catalogTopic = catalog;
            b.sessionsTopic = sessions;
            b.metricsTopic = metrics;
        });
    }

    public TopologySettings withDedupHorizon(Duration horizon) {
        return withDedup(horizon, dedupMaxIds);
    }

    public TopologySettings withDedup(Duration horizon, int maxIds) {
        return with(b -> {
            b.dedupHorizon = horizon;
            b.dedupMaxIds = maxIds;
        });
    }

    public TopologySettings withSessions(Duration gap, Duration grace, Duration check) {
        return with(b -> {
            b.sessionGap = gap;
            b.sessionGrace = grace;
            b.sessionCheck = check;
        });
    }

    public TopologySettings withSessionMaxDuration(Duration max) {
        return with(b -> b.sessionMaxDuration = max);
    }

    public TopologySettings withMetricsRetention(Duration retention) {
        return with(b -> b.metricsRetention = retention);
    }

    public TopologySettings withErasureTopic(String topic) {
        return with(b -> b.erasureTopic = topic);
    }

    public TopologySettings withWriteBehind(boolean on) {
        return with(b -> b.writeBehind = on);
    }

    // These settings with what `change` sets on a copy of them: each wither names only what it changes.
    private TopologySettings with(Consumer<Copy> change) {
        Copy copy = new Copy(this);
        change.accept(copy);
        return copy.settings();
    }

    private static final class Copy {
        String rawTopic;
        String enrichedTopic;
        String invalidTopic;
        String catalogTopic;
        String sessionsTopic;
        String metricsTopic;
        String erasureTopic;
        Duration dedupHorizon;
        int dedupMaxIds;
        Duration maxClockSkew;
        Duration sessionGap;
        Duration sessionGrace;
        Duration sessionCheck;
        Duration metricsGrace;
        Duration metricsRetention;
        Duration sessionMaxDuration;
        boolean writeBehind;

        Copy(TopologySettings s) {
            rawTopic = s.rawTopic;
            enrichedTopic = s.enrichedTopic;
            invalidTopic = s.invalidTopic;
            catalogTopic = s.catalogTopic;
            sessionsTopic = s.sessionsTopic;
            metricsTopic = s.metricsTopic;
            erasureTopic = s.erasureTopic;
            dedupHorizon = s.dedupHorizon;
            dedupMaxIds = s.dedupMaxIds;
            maxClockSkew = s.maxClockSkew;
            sessionGap = s.sessionGap;
            sessionGrace = s.sessionGrace;
            sessionCheck = s.sessionCheck;
            metricsGrace = s.metricsGrace;
            metricsRetention = s.metricsRetention;
            sessionMaxDuration = s.sessionMaxDuration;
            writeBehind = s.writeBehind;
        }

        TopologySettings settings() {
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
                    sessionMaxDuration,
                    writeBehind);
        }
    }
}
