package io.chartpulse.streams.enrich;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.UserAgentInfo;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;

/**
 * Parses the user agent with YAUAA (results cached per agent string; only the fields used are computed) into browser, version, OS and
 * device and agent classes. "Unknown" and "??" values become null.
 */
public final class UserAgentEnricher implements Enricher {

    static final String[] FIELDS = {
        UserAgent.AGENT_NAME,
        UserAgent.AGENT_VERSION_MAJOR,
        UserAgent.OPERATING_SYSTEM_NAME,
        UserAgent.OPERATING_SYSTEM_VERSION,
        UserAgent.DEVICE_CLASS,
        UserAgent.AGENT_CLASS
    };

    private final UserAgentAnalyzer analyzer;
    private final LruCache<String, UserAgentInfo> parsed;

    public UserAgentEnricher(int cacheSize) {
        this.parsed = new LruCache<>(cacheSize);
        this.analyzer = UserAgentAnalyzer.newBuilder()
                .hideMatcherLoadStats()
                .withoutCache()
                .withFields(FIELDS)
                .immediateInitialization()
                .build();
    }

    @Override
    public void enrich(ChartEvent e, EnrichedEvent out) {
        String ua = e.getContext() == null ? null : e.getContext().getUserAgent();
        if (ua == null || ua.isBlank()) {
            return;
        }
        out.setUserAgent(parsed.get(ua, this::parse));
    }

    // The record is shared by every event with this agent: records downstream copy it, never change it.
    private UserAgentInfo parse(String ua) {
        UserAgent parsed = analyzer.parse(ua);
        return new UserAgentInfo(
                value(parsed, UserAgent.AGENT_NAME),
                value(parsed, UserAgent.AGENT_VERSION_MAJOR),
                value(parsed, UserAgent.OPERATING_SYSTEM_NAME),
                value(parsed, UserAgent.OPERATING_SYSTEM_VERSION),
                value(parsed, UserAgent.DEVICE_CLASS),
                value(parsed, UserAgent.AGENT_CLASS));
    }

    private static String value(UserAgent parsed, String field) {
        String v = parsed.getValue(field);
        return v == null || v.isEmpty() || v.startsWith("Unknown") || "??".equals(v) ? null : v;
    }
}
