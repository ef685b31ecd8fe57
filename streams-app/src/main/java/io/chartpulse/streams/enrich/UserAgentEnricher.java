package io.chartpulse.streams.enrich;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;

/**
 * Parses the user agent with YAUAA (results cached per agent string in {@link Agents}; only the fields used are
 * computed) into browser, version, OS and device and agent classes. "Unknown" and "??" values become null.
 */
public final class UserAgentEnricher implements Enricher {

    private final Agents agents;

    /** With a cache of its own of {@code cacheSize} agents. */
    public UserAgentEnricher(int cacheSize) {
        this(new Agents(cacheSize));
    }

    public UserAgentEnricher(Agents agents) {
        this.agents = agents;
    }

    @Override
    public void enrich(ChartEvent e, EnrichedEvent out) {
        String ua = e.getContext() == null ? null : e.getContext().getUserAgent();
        if (ua == null || ua.isBlank()) {
            return;
        }
        out.setUserAgent(agents.of(ua).info());
    }
}
