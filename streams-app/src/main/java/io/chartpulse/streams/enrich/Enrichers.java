package io.chartpulse.streams.enrich;

import java.util.List;

/** The standard enrichment chain, in its documented order. */
public final class Enrichers {

    private Enrichers() {}

    /**
     * derived time → user agent → bot flag (needs the user agent) → referrer and campaign. The catalog join runs
     * after these, in the topology (it needs the catalog table).
     */
    public static List<Enricher> standard() {
        return standard(new Agents(Agents.DEFAULT_SIZE));
    }

    /** The standard chain with the agent cache given (shared by the user-agent and bot steps). */
    public static List<Enricher> standard(Agents agents) {
        // One agent cache for both: each agent string is parsed and matched against the bot list once.
        return List.of(
                new DerivedTimeEnricher(),
                new UserAgentEnricher(agents),
                new BotEnricher(agents),
                new ReferrerEnricher());
    }
}
