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

    // Real traffic repeats a few thousand agents; matching the list once per agent keeps the regex off the hot path.
    private static final LruCache<String, Boolean> LISTED = new LruCache<>(10_000);

    @Override
    public void enrich(ChartEvent e, EnrichedEvent out) {
        String reason = reason(e, out.getUserAgent());
        out.setIsBot(reason != null);
        out.setBotReason(reason);
    }

    static String reason(ChartEvent e, UserAgentInfo ua) {
        if (ua != null && (ROBOT_CLASSES.contains(ua.getDeviceClass()) || ROBOT_CLASSES.contains(ua.getAgentClass()))) {
            return "ua_robot_class";
        }
        String agent = e.getContext() == null ? null : e.getContext().getUserAgent();
        if (agent != null && LISTED.get(agent, a -> KNOWN_BOTS.matcher(a).find())) {
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
