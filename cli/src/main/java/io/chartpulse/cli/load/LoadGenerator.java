package io.chartpulse.cli.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chartpulse.schemas.RejectionCode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Synthetic comparison-chart traffic posted to the collector as the tracker would: visitors land on a chart page
 * (page view, chart impression, product impressions with their rank), some click a product or a deal (a plausible
 * CTR of about 8 %), some change filters. Mixed in, on purpose: bots (3 % of visitors, with crawler agents),
 * invalid events (about 2 %: half refused by the collector — a time that is not a number — half by the streams app's
 * validation — a product click without its rank), duplicates (about 3 % of events sent again in a later batch, as a
 * tracker's retry would), and a {@code variant} (ChartEvent v2) on the events of half the visitors, as trackers of
 * a site running an A/B test of its table would send. It keeps count of what it sent, so a test can reconcile the pipeline's outputs.
 *
 * <p>Open loop: batches leave at the requested rate whether or not earlier ones were answered (up to
 * {@link #MAX_IN_FLIGHT} requests open; a slow collector shows as {@link Counts#waitedForConnection}, never as a lower
 * rate in disguise). Each visitor comes from its own address in the benchmarking range 198.18.0.0/15, sent as
 * {@code X-Forwarded-For}: a collector that trusts the load generator's host as a proxy ({@code trusted.proxies}; the
 * dev stack trusts loopback) applies its per-client rate limit per visitor, as for real traffic; one that does not
 * sees a single client and throttles it, which is counted ({@link Counts#throttled}) and said.
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
    private static final String[] VARIANTS = {"classic", "compact-table"};
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
        /** Answers 429 (the collector's per-client rate limit). */
        public final AtomicLong throttled = new AtomicLong();
        /** Answers 503 (the collector starting, or Kafka not acknowledging in time). */
        public final AtomicLong unavailable = new AtomicLong();
        /** Requests that got no answer (connection refused or reset, timeout). */
        public final AtomicLong failedRequests = new AtomicLong();
        /** Batches that were due while {@link #MAX_IN_FLIGHT} requests were still open. */
        public final AtomicLong waitedForConnection = new AtomicLong();
        /** Distinct events that pass every check (they end in the enriched topic and MongoDB once each). */
        public final AtomicLong distinctValid = new AtomicLong();

        public final AtomicLong invalidAtCollector = new AtomicLong();
        public final AtomicLong invalidAtStreams = new AtomicLong();
        public final AtomicLong duplicatesSent = new AtomicLong();
        public final AtomicLong botEvents = new AtomicLong();
    }

    /** Requests open at once, at most. */
    public static final int MAX_IN_FLIGHT = 64;

    private static final int MAX_ATTEMPTS = 20;

    /** Told the ids of valid events the collector took, as they are taken (for freshness). */
    @FunctionalInterface
    public interface AcceptedListener {
        void accepted(List<String> validEventIds);
    }

    /**
     * A batch the collector answered 200, for a reconciliation: its valid events' ids, and its deliberately invalid
     * ones with the {@link io.chartpulse.schemas.RejectionCode} each must be refused with.
     */
    public record Accepted(List<String> validIds, Map<String, RejectionCode> invalid) {}

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI endpoint;
    private final Random random;
    private final Counts counts = new Counts();
    private final List<ObjectNode> sentValid = new ArrayList<>();
    private final Semaphore open = new Semaphore(MAX_IN_FLIGHT);
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "loadgen-retries");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<String> fatal = new AtomicReference<>();
    private volatile AcceptedListener listener = ids -> {};
    private volatile Consumer<Accepted> batches = batch -> {};

    public LoadGenerator(String collectorUrl, long seed) {
        this.endpoint = URI.create(collectorUrl);
        this.random = new Random(seed);
    }

    /** Who hears of the valid events the collector took. */
    public LoadGenerator onAccepted(AcceptedListener listener) {
        this.listener = listener;
        return this;
    }

    /** Who hears of each batch the collector took, with its invalid events (for a reconciliation). */
    public LoadGenerator onAcceptedBatch(Consumer<Accepted> batches) {
        this.batches = batches;
        return this;
    }

    public Counts counts() {
        return counts;
    }

    /**
     * Sends {@code ratePerSecond} events per second for {@code duration}, in batches of one visit each (about ten
     * events), reporting progress to {@code progress} about once a second; then waits (at most a minute) for every
     * batch to be answered.
     *
     * @throws IllegalStateException when the collector answers what retrying cannot fix, or keeps refusing a batch
     */
    public void run(int ratePerSecond, Duration duration, Consumer<Counts> progress) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long sent = 0;
        long lastReport = start;
        while (System.nanoTime() < end && fatal.get() == null) {
            ArrayNode batch = JSON.createArrayNode();
            Visit visit = visit(batch);
            if (!sentValid.isEmpty() && random.nextInt(100) < 15) {
                ObjectNode again = sentValid.get(random.nextInt(sentValid.size()));
                batch.add(again.deepCopy());
                counts.duplicatesSent.incrementAndGet();
            }
            if (!open.tryAcquire()) {
                counts.waitedForConnection.incrementAndGet();
                open.acquire();
            }
            counts.posted.addAndGet(batch.size());
            post(new Post(batch.toString(), visit), 1);
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
        if (!open.tryAcquire(MAX_IN_FLIGHT, 60, TimeUnit.SECONDS)) {
            fail("the collector at " + endpoint + " left " + (MAX_IN_FLIGHT - open.availablePermits())
                    + " batches unanswered for a minute after the run");
        } else {
            open.release(MAX_IN_FLIGHT);
        }
        progress.accept(counts);
        if (fatal.get() != null) {
            throw new IllegalStateException(fatal.get());
        }
    }

    /** A visit's batch as sent, with who sent it and which of its events are valid. */
    private record Post(String body, Visit visit) {}

    /**
     * The visitor's user agent and address (the collector reads both from the request), its valid events, and its
     * invalid ones with the code each must be refused with.
     */
    private record Visit(String agent, String address, List<String> validIds, Map<String, RejectionCode> invalid) {}

    private void fail(String why) {
        fatal.compareAndSet(null, why);
    }

    // One visit of one visitor: a page view, the chart and its products in view, maybe a click or a filter change.
    // Returns the visitor's user agent: the collector takes it from the request header, as from a browser.
    private Visit visit(ArrayNode batch) {
        boolean bot = random.nextInt(100) < 3;
        String address =
                "198." + (18 + random.nextInt(2)) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
        List<String> validIds = new ArrayList<>();
        Map<String, RejectionCode> invalid = new HashMap<>();
        String visitor = "lg-" + UUID.randomUUID();
        // Half the visitors' trackers are new enough to send the A/B variant of the table they saw (ChartEvent v2).
        String variant = random.nextBoolean() ? null : VARIANTS[random.nextInt(VARIANTS.length)];
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
            if (variant != null) {
                e.put("variant", variant);
            }
            int roll = random.nextInt(100);
            if (roll == 0) {
                e.put("created_at", "yesterday");
                counts.invalidAtCollector.incrementAndGet();
                invalid.put(e.get("event_id").asText(), RejectionCode.INVALID_TYPE);
            } else if (roll == 1 && e.has("product")) {
                e.put("event_type", "PRODUCT_CLICK");
                ((ObjectNode) e.get("product")).remove("rank");
                counts.invalidAtStreams.incrementAndGet();
                invalid.put(e.get("event_id").asText(), RejectionCode.MISSING_RANK);
            } else {
                counts.distinctValid.incrementAndGet();
                if (bot) {
                    counts.botEvents.incrementAndGet();
                }
                if (sentValid.size() < 10_000) {
                    sentValid.add(e);
                }
                validIds.add(e.get("event_id").asText());
            }
            batch.add(e);
        }
        return new Visit(agent, address, validIds, invalid);
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

    // Posts a batch without waiting for the answer; on 429/503 or no answer it is posted again after Retry-After (or,
    // with no answer, after 0.5 s doubling to at most 4 s, as a tracker backs off), up to MAX_ATTEMPTS — about 70 s
    // of a collector not answering, so a restart on a loaded machine is waited out (the duplicates this makes are
    // removed downstream). The batch holds one of the open permits until it is answered for good.
    private void post(Post post, int attempt) {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("User-Agent", post.visit().agent())
                .header("X-Forwarded-For", post.visit().address())
                .POST(HttpRequest.BodyPublishers.ofString(post.body()))
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            long retryAfterMs;
            if (error != null) {
                counts.failedRequests.incrementAndGet();
                retryAfterMs = Math.min(4_000, 500L << Math.min(attempt - 1, 3));
            } else if (response.statusCode() == 200) {
                answered(post, response.body());
                return;
            } else if (response.statusCode() == 429 || response.statusCode() == 503) {
                (response.statusCode() == 429 ? counts.throttled : counts.unavailable).incrementAndGet();
                retryAfterMs = 1000L
                        * Math.max(
                                1,
                                parseLong(response.headers()
                                        .firstValue("Retry-After")
                                        .orElse("1")));
            } else {
                fail("the collector answered " + response.statusCode() + ": " + response.body());
                open.release();
                return;
            }
            if (attempt >= MAX_ATTEMPTS) {
                fail("the collector at " + endpoint + " did not take a batch after " + MAX_ATTEMPTS + " attempts ("
                        + (error != null ? error : "answer " + response.statusCode()) + ")");
                open.release();
                return;
            }
            counts.retriedBatches.incrementAndGet();
            retries.schedule(() -> post(post, attempt + 1), retryAfterMs, TimeUnit.MILLISECONDS);
        });
    }

    private void answered(Post post, String body) {
        try {
            JsonNode answer = JSON.readTree(body);
            counts.accepted.addAndGet(answer.path("accepted").asLong());
            counts.rejected.addAndGet(answer.path("rejected").size());
            listener.accepted(post.visit().validIds());
            batches.accept(new Accepted(post.visit().validIds(), post.visit().invalid()));
        } catch (IOException | RuntimeException e) {
            fail("the collector's answer is not what it should be (" + e.getMessage() + "): " + body);
        } finally {
            open.release();
        }
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
