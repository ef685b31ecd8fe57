package io.chartpulse.streams.enrich;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;
import java.time.Instant;
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

    /**
     * The enriched event of {@code e} before any enricher ran: the raw fields copied, the enriched-only ones at their
     * schema defaults (derived time = received time, no bot), {@code processed_at} as given.
     */
    public static EnrichedEvent copyOf(ChartEvent e, Instant processedAt) {
        // Every field is set here (the enriched-only ones to their schema defaults): no builder, whose per-field
        // default copies cost more than the rest of this step.
        EnrichedEvent out = new EnrichedEvent();
        out.setEventId(e.getEventId());
        out.setEventType(e.getEventType());
        out.setEventName(e.getEventName());
        out.setProperties(e.getProperties());
        out.setCreatedAt(e.getCreatedAt());
        out.setSentAt(e.getSentAt());
        out.setReceivedAt(e.getReceivedAt());
        out.setDerivedAt(e.getReceivedAt());
        out.setClockSkewMs(0L);
        out.setAnonymousId(e.getAnonymousId());
        out.setUserId(e.getUserId());
        out.setSessionId(e.getSessionId());
        out.setSessionIndex(e.getSessionIndex());
        out.setServerSessionId(null);
        out.setPageViewId(e.getPageViewId());
        out.setPage(e.getPage());
        out.setChart(e.getChart());
        out.setProduct(e.getProduct());
        out.setInteraction(e.getInteraction());
        out.setContext(e.getContext());
        out.setConsent(e.getConsent());
        out.setSdk(e.getSdk());
        out.setSampleRate(e.getSampleRate());
        out.setVariant(e.getVariant());
        out.setIsBot(false);
        out.setCountry(e.getContext() == null ? null : e.getContext().getCountry());
        out.setDedupFingerprint(e.getEventId().toString());
        out.setProcessedAt(processedAt);
        return out;
    }
}
