package io.chartpulse.streams.enrich;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.UserAgentInfo;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;

/**
 * Parses the user agent with YAUAA (cached; only the fields used are computed) into browser, version, OS and
 * device and agent classes. "Unknown" and "??" values become null.
 */
public final class UserAgentEnricher implements Enricher {

    static final String[] FIELDS = {UserAgent.AGENT_NAME, UserAgent.AGENT_VERSION_MAJOR, UserAgent.OPERATING_SYSTEM_NAME,
        UserAgent.OPERATING_SYSTEM_VERSION, UserAgent.DEVICE_CLASS, UserAgent.AGENT_CLASS};

    private final UserAgentAnalyzer analyzer;

    public UserAgentEnricher(int cacheSize) {
        this.analyzer = UserAgentAnalyzer.newBuilder().hideMatcherLoadStats().withCache(cacheSize)
                .withFields(FIELDS).immediateInitialization().build();
    }

    @Override
    public void enrich(ChartEvent e, EnrichedEvent.Builder out) {
        String ua = e.getContext() == null ? null : e.getContext().getUserAgent();
        if (ua == null || ua.isBlank()) {
            return;
        }
        UserAgent parsed = analyzer.parse(ua);
        out.setUserAgent(UserAgentInfo.newBuilder()
                .setBrowser(value(parsed, UserAgent.AGENT_NAME))
                .setBrowserVersion(value(parsed, UserAgent.AGENT_VERSION_MAJOR))
                .setOs(value(parsed, UserAgent.OPERATING_SYSTEM_NAME))
                .setOsVersion(value(parsed, UserAgent.OPERATING_SYSTEM_VERSION))
                .setDeviceClass(value(parsed, UserAgent.DEVICE_CLASS))
                .setAgentClass(value(parsed, UserAgent.AGENT_CLASS)).build());
    }

    private static String value(UserAgent parsed, String field) {
        String v = parsed.getValue(field);
        return v == null || v.isEmpty() || v.startsWith("Unknown") || "??".equals(v) ? null : v;
    }
}
