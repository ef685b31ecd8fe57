package io.chartpulse.streams.enrich;

import io.chartpulse.avro.UserAgentInfo;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;

/**
 * What ChartPulse knows of a user-agent string, worked out once per string and cached: YAUAA's parse (only the
 * fields used) and whether the string is on the list of automation agents. {@link UserAgentEnricher} and
 * {@link BotEnricher} share one instance, so a string is parsed and matched once for both. A new string is parsed
 * outside the cache's lock (a YAUAA parse takes a millisecond or more), so other stream threads go on meanwhile.
 *
 * <p>Sized for a real tail: besides a few hundred common browser strings, in-app browsers put device models and
 * app builds in theirs, so a site sees thousands of distinct strings a day; {@value #DEFAULT_SIZE} entries of a few
 * hundred bytes each take about 20 MB.
 */
public final class Agents {

    public static final int DEFAULT_SIZE = 50_000;

    static final String[] FIELDS = {
        UserAgent.AGENT_NAME,
        UserAgent.AGENT_VERSION_MAJOR,
        UserAgent.OPERATING_SYSTEM_NAME,
        UserAgent.OPERATING_SYSTEM_VERSION,
        UserAgent.DEVICE_CLASS,
        UserAgent.AGENT_CLASS
    };

    /**
     * One agent string, understood.
     *
     * @param info the parse, shared by every event with this agent: records downstream copy it, never change it
     * @param listedBot whether {@link BotEnricher#KNOWN_BOTS} matches the string
     */
    public record Agent(UserAgentInfo info, boolean listedBot) {}

    private final UserAgentAnalyzer analyzer;
    private final LruCache<String, Agent> known;

    public Agents(int size) {
        this.known = new LruCache<>(size);
        this.analyzer = UserAgentAnalyzer.newBuilder()
                .hideMatcherLoadStats()
                .withoutCache()
                .withFields(FIELDS)
                .immediateInitialization()
                .build();
    }

    /** The agent {@code ua} is (not blank). */
    public Agent of(String ua) {
        return known.get(ua, this::understand);
    }

    /**
     * Makes sure {@code ua} (not blank) is known, parsing it if not; true when it was parsed here. For
     * {@link AgentPrefetch}: unlike {@link #of} a known string's recency is left alone.
     */
    boolean learn(String ua) {
        if (known.contains(ua)) {
            return false;
        }
        known.get(ua, this::understand);
        return true;
    }

    private Agent understand(String ua) {
        UserAgent parsed = analyzer.parse(ua);
        return new Agent(
                new UserAgentInfo(
                        value(parsed, UserAgent.AGENT_NAME),
                        value(parsed, UserAgent.AGENT_VERSION_MAJOR),
                        value(parsed, UserAgent.OPERATING_SYSTEM_NAME),
                        value(parsed, UserAgent.OPERATING_SYSTEM_VERSION),
                        value(parsed, UserAgent.DEVICE_CLASS),
                        value(parsed, UserAgent.AGENT_CLASS)),
                BotEnricher.KNOWN_BOTS.matcher(ua).find());
    }

    private static String value(UserAgent parsed, String field) {
        String v = parsed.getValue(field);
        return v == null || v.isEmpty() || v.startsWith("Unknown") || "??".equals(v) ? null : v;
    }

    int size() {
        return known.size();
    }
}
