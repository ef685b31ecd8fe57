package io.chartpulse.streams.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;

/**
 * The least an agent lookup can cost, for the benchmark's floor: a hash map of every string seen (no eviction, no
 * lock held while parsing) in front of YAUAA asked for one field, the cheapest of the parsers
 * {@link AgentTailBenchmark} measured. What it answers is not used; that each new string is parsed once is the point.
 */
final class CheapestAgents {

    private final Map<String, String> known = new ConcurrentHashMap<>();
    private final UserAgentAnalyzer analyzer = UserAgentAnalyzer.newBuilder()
            .hideMatcherLoadStats()
            .withoutCache()
            .withFields(UserAgent.AGENT_NAME)
            .immediateInitialization()
            .build();

    /** The agent name YAUAA gives {@code ua}, parsed the first time the string is seen. */
    String of(String ua) {
        String name = known.get(ua);
        if (name == null) {
            name = analyzer.parse(ua).getValue(UserAgent.AGENT_NAME);
            known.put(ua, name);
        }
        return name;
    }

    int size() {
        return known.size();
    }
}
