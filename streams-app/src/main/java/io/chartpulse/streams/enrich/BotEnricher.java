package io.chartpulse.streams.enrich;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.UserAgentInfo;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Flags bots with the first rule that matches, in this order: YAUAA's robot classes ({@code ua_robot_class}), a
 * maintained list of bot agents ({@code known_bot_list}), the tracker's headless marker ({@code headless}) and
 * {@code navigator.webdriver} ({@code webdriver}). Runs after {@link UserAgentEnricher}. Bots are flagged, never
 * dropped: dashboards filter on is_bot.
 */
public final class BotEnricher implements Enricher {

    private static final Set<String> ROBOT_CLASSES = Set.of("Robot", "Robot Mobile", "Robot Imitator", "Hacker", "Spy");
    /** Agents that identify themselves as automation; kept short and specific to avoid flagging people. */
    static final Pattern KNOWN_BOTS = Pattern.compile("(?i)(bot\\b|bot/|crawler|spider|crawling|slurp|headlesschrome|"
            + "phantomjs|python-requests|python-urllib|aiohttp|curl/|wget/|go-http-client|okhttp|java/|apache-httpclient|"
            + "scrapy|lighthouse|pagespeed|pingdom|uptimerobot|facebookexternalhit|embedly|preview)");

    // Real traffic repeats a few thousand agents: the list is matched once per agent string, in Agents' cache.
    private final Agents agents;

    /** With a cache of its own of {@link Agents#DEFAULT_SIZE} agents. */
    public BotEnricher() {
        this(new Agents(Agents.DEFAULT_SIZE));
    }

    /**
     * Sharing {@code agents} with the {@link UserAgentEnricher} before it: one parse and one list match per agent
     * string for both (each still looks the string up, a cache hit).
     */
    public BotEnricher(Agents agents) {
        this.agents = agents;
    }

    @Override
    public void enrich(ChartEvent e, EnrichedEvent out) {
        String agent = e.getContext() == null ? null : e.getContext().getUserAgent();
        boolean listed = agent != null && !agent.isBlank() && agents.of(agent).listedBot();
        String reason = reason(e, out.getUserAgent(), listed);
        out.setIsBot(reason != null);
        out.setBotReason(reason);
    }

    /** The first rule the event matches, matching the bot list against its agent string here. */
    static String reason(ChartEvent e, UserAgentInfo ua) {
        String agent = e.getContext() == null ? null : e.getContext().getUserAgent();
        return reason(e, ua, agent != null && KNOWN_BOTS.matcher(agent).find());
    }

    private static String reason(ChartEvent e, UserAgentInfo ua, boolean listed) {
        if (ua != null && (ROBOT_CLASSES.contains(ua.getDeviceClass()) || ROBOT_CLASSES.contains(ua.getAgentClass()))) {
            return "ua_robot_class";
        }
        if (listed) {
            return "known_bot_list";
        }
        if (e.getContext() != null && Boolean.TRUE.equals(e.getContext().getHeadless())) {
            return "headless";
        }
        if (e.getContext() != null && Boolean.TRUE.equals(e.getContext().getWebdriver())) {
            return "webdriver";
        }
        return null;
    }
}
