package io.chartpulse.streams.bench;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.schemas.SampleRecords;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A realistic mix of comparison-chart traffic for the benchmark: visitors (50 000) pick a user agent, a referrer
 * and a landing URL once and keep them, like real people; user agents follow a skewed (Zipf-like) distribution over
 * a few hundred real-looking strings, with some bots and crawlers; 200 charts of up to 40 products; a mix of page
 * views, impressions, clicks, filter changes and scrolls. Deterministic for a given seed.
 */
final class Traffic {

    private static final String[] PLATFORMS = {
        "Windows NT 10.0; Win64; x64",
        "Macintosh; Intel Mac OS X 10_15_7",
        "X11; Linux x86_64",
        "Linux; Android 14; Pixel 8",
        "Linux; Android 13; SM-S918B",
        "Windows NT 10.0"
    };
    private static final String[] BOTS = {
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "curl/8.5.0",
        "python-requests/2.31.0",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"
    };
    private static final String[] REFERRERS = {
        null,
        null,
        "https://www.google.com/",
        "https://www.google.de/",
        "https://www.bing.com/search?q=best+laptops",
        "https://duckduckgo.com/",
        "https://www.facebook.com/",
        "https://t.co/abc",
        "https://www.reddit.com/r/laptops/",
        "https://reviews.example/",
        "https://mail.google.com/",
        "https://blog.partner.example/top-10"
    };
    private static final String[] QUERIES = {
        "",
        "",
        "",
        "?utm_source=news&utm_medium=email&utm_campaign=week48",
        "?utm_source=google&utm_medium=cpc&utm_campaign=laptops&gclid=abc123",
        "?ref=nav",
        "?utm_source=facebook&utm_medium=social"
    };

    private final Random random;
    private final List<String> agents = new ArrayList<>();
    private final ChartEvent sample = SampleRecords.chartEvent();

    Traffic(long seed) {
        this.random = new Random(seed);
        for (int version = 100; version <= 131; version++) {
            for (String platform : PLATFORMS) {
                agents.add("Mozilla/5.0 (" + platform + ") AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + version
                        + ".0.0.0 " + (platform.contains("Android") ? "Mobile " : "") + "Safari/537.36");
                agents.add("Mozilla/5.0 (" + platform + "; rv:" + version + ".0) Gecko/20100101 Firefox/" + version
                        + ".0");
            }
            agents.add(
                    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_" + (version % 7) + " like Mac OS X) AppleWebKit/605.1.15 "
                            + "(KHTML, like Gecko) Version/17." + (version % 7) + " Mobile/15E148 Safari/604.1");
        }
    }

    /** One event of a visitor (0 ≤ visitor &lt; 50 000), stamped with {@code t}. */
    ChartEvent event(int i, int visitor, Instant t) {
        Random person = new Random(visitor * 31L + 7);
        String agent = person.nextInt(100) < 3
                ? BOTS[person.nextInt(BOTS.length)]
                : agents.get((int) Math.min(agents.size() - 1, Math.abs(person.nextGaussian()) * agents.size() / 6));
        String referrer = REFERRERS[person.nextInt(REFERRERS.length)];
        String query = QUERIES[person.nextInt(QUERIES.length)];
        int chart = random.nextInt(200);
        ChartEvent e = ChartEvent.newBuilder(sample)
                .setEventId(UUID.randomUUID())
                .setEventType(SampleRecords.TRAFFIC_MIX.get(i % SampleRecords.TRAFFIC_MIX.size()))
                .setAnonymousId("visitor-" + visitor)
                .setCreatedAt(t)
                .setSentAt(t)
                .setReceivedAt(t)
                .build();
        e.getContext().setUserAgent(agent);
        e.getPage().setReferrer(referrer);
        e.getPage().setUrl("https://reviews.example/best-" + chart + query);
        e.getPage().setPath("/best-" + chart);
        e.getChart().setChartId("chart-" + chart);
        e.getProduct().setProductId("p-" + random.nextInt(40));
        return e;
    }

    int visitor() {
        return random.nextInt(50_000);
    }
}
