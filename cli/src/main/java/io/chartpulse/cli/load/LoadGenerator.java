package io.chartpulse.cli.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Synthetic comparison-chart traffic posted to the collector as the tracker would: visitors land on a chart page
 * (page view, chart impression, product impressions with their rank), some click a product or a deal (a plausible
 * CTR of about 8 %), some change filters. Mixed in, on purpose: bots (3 % of visitors, with crawler agents),
 * invalid events (about 2 %: half refused by the collector — a time that is not a number — half by the streams app's
 * validation — a product click without its rank) and duplicates (about 3 % of events sent again in a later batch,
 * as a tracker's retry would). It keeps count of what it sent, so a test can reconcile the pipeline's outputs.
 */
public final class LoadGenerator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] AGENTS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
    };
    private static final String[] BOTS = {
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "python-requests/2.32.3",
        "curl/8.5.0"
    };
    private static final String[] REFERRERS = {
        null,
        "https://www.google.com/",
        "https://www.bing.com/",
        "https://www.reddit.com/r/laptops/",
        "https://reviews.example/"
    };

    /** What was sent, for reconciliation. */
    public static final class Counts {
        public final AtomicLong posted = new AtomicLong();
        public final AtomicLong accepted = new AtomicLong();
        public final AtomicLong rejected = new AtomicLong();
        public final AtomicLong retriedBatches = new AtomicLong();
        /** Distinct events that pass every check (they end in the enriched topic and MongoDB once each). */
        public final AtomicLong distinctValid = new AtomicLong();

        public final AtomicLong invalidAtCollector = new AtomicLong();
        public final AtomicLong invalidAtStreams = new AtomicLong();
        public final AtomicLong duplicatesSent = new AtomicLong();
        public final AtomicLong botEvents = new AtomicLong();
    }

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI endpoint;
    private final Random random;
    private final Counts counts = new Counts();
    private final List<ObjectNode> sentValid = new ArrayList<>();

    public LoadGenerator(String collectorUrl, long seed) {
        this.endpoint = URI.create(collectorUrl);
        this.random = new Random(seed);
    }

    public Counts counts() {
        return counts;
    }

    /**
     * Sends about {@code ratePerSecond} events per second for {@code duration}, in batches of up to 20, reporting
     * progress to {@code progress} about once a second.
     */
    public void run(int ratePerSecond, Duration duration, Consumer<Counts> progress) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long sent = 0;
        long lastReport = start;
        while (System.nanoTime() < end) {
            ArrayNode batch = JSON.createArrayNode();
            String agent = visit(batch);
            if (!sentValid.isEmpty() && random.nextInt(100) < 15) {
                ObjectNode again = sentValid.get(random.nextInt(sentValid.size()));
                batch.add(again.deepCopy());
                counts.duplicatesSent.incrementAndGet();
            }
            post(batch, agent);
            sent += batch.size();
            long due = start + (long) (sent * 1e9 / ratePerSecond);
            long now = System.nanoTime();
            if (due > now) {
                Thread.sleep((due - now) / 1_000_000, (int) ((due - now) % 1_000_000));
            }
            if (System.nanoTime() - lastReport > 1_000_000_000L) {
                lastReport = System.nanoTime();
                progress.accept(counts);
            }
        }
        progress.accept(counts);
    }

    // One visit of one visitor: a page view, the chart and its products in view, maybe a click or a filter change.
    // Returns the visitor's user agent: the collector takes it from the request header, as from a browser.
    private String visit(ArrayNode batch) {
        boolean bot = random.nextInt(100) < 3;
        String visitor = "lg-" + UUID.randomUUID();
        String session = UUID.randomUUID().toString();
        String pageView = UUID.randomUUID().toString();
        String agent = bot ? BOTS[random.nextInt(BOTS.length)] : AGENTS[random.nextInt(AGENTS.length)];
        String referrer = REFERRERS[random.nextInt(REFERRERS.length)];
        int chart = random.nextInt(5);
        long t = System.currentTimeMillis() - 2000;
        List<ObjectNode> events = new ArrayList<>();
        events.add(event("PAGE_VIEW", visitor, session, pageView, agent, referrer, chart, t));
        events.add(event("CHART_IMPRESSION", visitor, session, pageView, agent, referrer, chart, t + 300));
        int shown = 3 + random.nextInt(5);
        for (int rank = 1; rank <= shown; rank++) {
            ObjectNode e =
                    event("PRODUCT_IMPRESSION", visitor, session, pageView, agent, referrer, chart, t + 400 + rank);
            product(e, rank);
            events.add(e);
        }
        if (random.nextInt(100) < 8 * shown / 2) {
            int rank = 1 + random.nextInt(shown);
            boolean deal = random.nextBoolean();
            ObjectNode click = event(
                    deal ? "OUTBOUND_CLICK" : "PRODUCT_CLICK",
                    visitor,
                    session,
                    pageView,
                    agent,
                    referrer,
                    chart,
                    t + 1500);
            product(click, rank);
            if (deal) {
                click.putObject("interaction")
                        .put("cta", "view_deal")
                        .put("target_url", "https://shop-a.example/deal/p-" + String.format("%02d", rank));
            }
            events.add(click);
        }
        if (random.nextInt(100) < 10) {
            ObjectNode filter = event("FILTER_CHANGE", visitor, session, pageView, agent, referrer, chart, t + 1200);
            filter.putObject("interaction").put("filter_key", "price").put("filter_value", "lt1000");
            events.add(filter);
        }
        for (ObjectNode e : events) {
            int roll = random.nextInt(100);
            if (roll == 0) {
                e.put("created_at", "yesterday");
                counts.invalidAtCollector.incrementAndGet();
            } else if (roll == 1 && e.has("product")) {
                e.put("event_type", "PRODUCT_CLICK");
                ((ObjectNode) e.get("product")).remove("rank");
                counts.invalidAtStreams.incrementAndGet();
            } else {
                counts.distinctValid.incrementAndGet();
                if (bot) {
                    counts.botEvents.incrementAndGet();
                }
                if (sentValid.size() < 10_000) {
                    sentValid.add(e);
                }
            }
            batch.add(e);
        }
        return agent;
    }

    private ObjectNode event(
            String type,
            String visitor,
            String session,
            String pageView,
            String agent,
            String referrer,
            int chart,
            long t) {
        ObjectNode e = JSON.createObjectNode();
        e.put("event_id", UUID.randomUUID().toString())
                .put("event_type", type)
                .put("created_at", t)
                .put("sent_at", System.currentTimeMillis())
                .put("anonymous_id", visitor)
                .put("session_id", session)
                .put("page_view_id", pageView);
        ObjectNode page = e.putObject("page")
                .put("url", "https://reviews.example/best-" + chart)
                .put("path", "/best-" + chart);
        if (referrer != null) {
            page.put("referrer", referrer);
        }
        e.putObject("chart")
                .put("chart_id", chart == 0 ? "laptops-2026" : "chart-" + chart)
                .put("site_id", "reviews.example");
        e.putObject("context").put("user_agent", agent);
        return e;
    }

    private void product(ObjectNode e, int rank) {
        e.putObject("product")
                .put("product_id", String.format("p-%02d", rank))
                .put("rank", rank)
                .put("price", 499.0 + rank * 100)
                .put("currency", "EUR");
    }

    // Posts a batch; on 429/503 waits as told and posts it again (the duplicates this makes are removed downstream).
    private void post(ArrayNode batch, String agent) throws InterruptedException {
        counts.posted.addAndGet(batch.size());
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(endpoint)
                                .timeout(Duration.ofSeconds(10))
                                .header("Content-Type", "application/json")
                                .header("User-Agent", agent)
                                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(batch)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    JsonNode body = JSON.readTree(response.body());
                    counts.accepted.addAndGet(body.path("accepted").asLong());
                    counts.rejected.addAndGet(body.path("rejected").size());
                    return;
                }
                if (response.statusCode() != 429 && response.statusCode() != 503) {
                    throw new IllegalStateException(
                            "The collector answered " + response.statusCode() + ": " + response.body());
                }
                counts.retriedBatches.incrementAndGet();
                Thread.sleep(1000L
                        * Math.max(
                                1,
                                Long.parseLong(response.headers()
                                        .firstValue("Retry-After")
                                        .orElse("1"))));
            } catch (IOException e) {
                counts.retriedBatches.incrementAndGet();
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException("The collector at " + endpoint + " did not take a batch after 20 attempts");
    }
}
