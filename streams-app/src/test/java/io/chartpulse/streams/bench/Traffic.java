package io.chartpulse.streams.bench;

import io.chartpulse.avro.CatalogEntry;
import io.chartpulse.avro.CatalogEntryType;
import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EventType;
import io.chartpulse.schemas.SampleRecords;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A realistic mix of comparison-chart traffic for the benchmark, as trackers send it:
 *
 * <ul>
 *   <li><b>bursty visitors</b>: {@value #CONCURRENT_VISITS} visits run at once, each a visitor (of 50 000, a fifth of
 *       the visits by the 5 000 regulars) on one chart page sending a page view, the chart's impression and then a
 *       mix of product impressions, clicks, deal clicks, filter changes and scrolls — 1 to 80 events, ten on
 *       average, a few seconds apart — so a visitor's events come several within seconds, then nothing;
 *   <li><b>a real user-agent tail</b>: most visitors use one of about 400 current browser agents (a skewed
 *       distribution), 3 % are bots and crawlers, and 15 % come from in-app browsers whose agent strings carry a
 *       device model and app and engine builds, nearly one string per visitor;
 *   <li><b>duplicates</b>: 1 % of the events are a tracker's retry of an event of the same visit sent a few events
 *       earlier (same event id, later received_at);
 *   <li><b>a full catalog</b>: {@link #catalog()} names the 200 charts and their 40 products, all but a few.
 * </ul>
 *
 * Deterministic for a given seed, except the event ids (random UUIDs).
 */
public final class Traffic {

    static final int CHARTS = 200;
    static final int PRODUCTS = 40;
    static final int CONCURRENT_VISITS = 250;

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
    private static final String[] MODELS = {
        "SM-A546B", "SM-G991B", "SM-S911B", "SM-A145R", "Pixel 7a", "Pixel 6", "Redmi Note 12", "2201117TG",
        "CPH2451", "moto g54 5G", "V2207", "RMX3630", "M2101K6G", "SM-A536B", "22101316G", "Nokia G21"
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
    private static final String[] MERCHANTS = {"shop-a", "shop-b", "shop-c", "shop-d"};

    private final Random random;
    private final List<String> agents = new ArrayList<>();
    private final ChartEvent sample = SampleRecords.chartEvent();
    private final Visit[] visits = new Visit[CONCURRENT_VISITS];
    private final Map<Integer, ChartEvent> recent = new LinkedHashMap<>();
    private final boolean duplicates;
    private int sequence;

    /** One visit: a visitor's few dozen seconds on one chart page. */
    private static final class Visit {
        final int visitor;
        final int chart;
        final String agent;
        final String referrer;
        final String query;
        int remaining;
        int sent;

        Visit(int visitor, int chart, String agent, String referrer, String query, int remaining) {
            this.visitor = visitor;
            this.chart = chart;
            this.agent = agent;
            this.referrer = referrer;
            this.query = query;
            this.remaining = remaining;
        }
    }

    /** Traffic with 1 % of tracker retries. */
    public Traffic(long seed) {
        this(seed, true);
    }

    /** @param duplicates whether 1 % of the events are retries of earlier ones */
    Traffic(long seed, boolean duplicates) {
        this.duplicates = duplicates;
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
        for (int i = 0; i < visits.length; i++) {
            visits[i] = visit();
        }
    }

    /** The next event of the traffic, received at {@code t}; its key is its anonymous id, as the collector sends. */
    public ChartEvent next(Instant t) {
        if (duplicates && !recent.isEmpty() && random.nextInt(100) == 0) {
            // A tracker's retry: an event sent a few events ago, received again now.
            ChartEvent original = recent.values().iterator().next();
            ChartEvent copy = ChartEvent.newBuilder(original).setReceivedAt(t).build();
            recent.remove(recent.keySet().iterator().next());
            return copy;
        }
        int slot = random.nextInt(visits.length);
        Visit visit = visits[slot];
        ChartEvent e = event(visit, t);
        visit.sent++;
        if (--visit.remaining == 0) {
            visits[slot] = visit();
        }
        recent.put(sequence++, e);
        if (recent.size() > 32) {
            recent.remove(recent.keySet().iterator().next());
        }
        return e;
    }

    /** The catalog of the charts and products the traffic shows: all but one chart in fifty and one product in twenty. */
    public List<CatalogEntry> catalog() {
        List<CatalogEntry> entries = new ArrayList<>();
        Instant updated = SampleRecords.CREATED;
        for (int c = 0; c < CHARTS; c++) {
            if (c % 50 != 49) {
                entries.add(CatalogEntry.newBuilder()
                        .setEntryType(CatalogEntryType.CHART)
                        .setId("chart-" + c)
                        .setName("Best of category " + c)
                        .setCategory("category-" + c % 12)
                        .setSiteId("site-" + c % 3)
                        .setUpdatedAt(updated)
                        .build());
            }
        }
        for (int p = 0; p < PRODUCTS; p++) {
            if (p % 20 != 19) {
                entries.add(CatalogEntry.newBuilder()
                        .setEntryType(CatalogEntryType.PRODUCT)
                        .setId("p-" + p)
                        .setName("Product " + p)
                        .setBrand("Brand " + p % 7)
                        .setCategory("category-" + p % 12)
                        .setPrice(99.0 + p * 10)
                        .setCurrency("EUR")
                        .setMerchant(MERCHANTS[p % MERCHANTS.length])
                        .setUpdatedAt(updated)
                        .build());
            }
        }
        return entries;
    }

    private Visit visit() {
        int visitor = random.nextInt(5) == 0 ? random.nextInt(5_000) : random.nextInt(50_000);
        Random person = new Random(visitor * 31L + 7);
        int kind = person.nextInt(100);
        String agent;
        if (kind < 3) {
            agent = BOTS[person.nextInt(BOTS.length)];
        } else if (kind < 18) {
            // In-app browsers: a device model, an OS build and the app's own version make nearly every string new.
            agent = "Mozilla/5.0 (Linux; Android " + (11 + person.nextInt(4)) + "; "
                    + MODELS[person.nextInt(MODELS.length)] + " Build/" + (char) ('P' + person.nextInt(6))
                    + "Q" + (1 + person.nextInt(3)) + "A." + (230_000 + person.nextInt(9_000)) + "."
                    + person.nextInt(30) + "; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/"
                    + (120 + person.nextInt(12)) + ".0." + (6000 + person.nextInt(800)) + "." + person.nextInt(200)
                    + " Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/" + (440 + person.nextInt(30)) + ".0.0."
                    + person.nextInt(60) + "." + person.nextInt(200) + ";]";
        } else {
            agent = agents.get((int) Math.min(agents.size() - 1, Math.abs(person.nextGaussian()) * agents.size() / 6));
        }
        int length = 1 + (int) Math.min(79, -Math.log(1 - random.nextDouble()) * 9);
        return new Visit(
                visitor,
                random.nextInt(CHARTS),
                agent,
                REFERRERS[person.nextInt(REFERRERS.length)],
                QUERIES[person.nextInt(QUERIES.length)],
                length);
    }

    private ChartEvent event(Visit visit, Instant t) {
        EventType type = switch (visit.sent) {
            case 0 -> EventType.PAGE_VIEW;
            case 1 -> EventType.CHART_IMPRESSION;
            default -> SampleRecords.TRAFFIC_MIX.get(random.nextInt(SampleRecords.TRAFFIC_MIX.size()));
        };
        Instant created = t.minusMillis(50 + random.nextInt(2_000));
        int product = random.nextInt(PRODUCTS);
        ChartEvent e = ChartEvent.newBuilder(sample)
                .setEventId(UUID.randomUUID())
                .setEventType(type)
                .setAnonymousId("visitor-" + visit.visitor)
                .setCreatedAt(created)
                .setSentAt(t.minusMillis(random.nextInt(50)))
                .setReceivedAt(t)
                .build();
        e.getContext().setUserAgent(visit.agent);
        e.getPage().setReferrer(visit.referrer);
        e.getPage().setUrl("https://reviews.example/best-" + visit.chart + visit.query);
        e.getPage().setPath("/best-" + visit.chart);
        e.getChart().setChartId("chart-" + visit.chart);
        e.getProduct().setProductId("p-" + product);
        e.getProduct().setRank(1 + product % 10);
        e.getProduct().setMerchant(MERCHANTS[product % MERCHANTS.length]);
        return e;
    }
}
