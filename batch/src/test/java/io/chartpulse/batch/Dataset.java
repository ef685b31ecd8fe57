package io.chartpulse.batch;

import io.chartpulse.avro.Campaign;
import io.chartpulse.avro.Chart;
import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.EventType;
import io.chartpulse.avro.Interaction;
import io.chartpulse.avro.Page;
import io.chartpulse.avro.Product;
import io.chartpulse.avro.Referrer;
import io.chartpulse.avro.ReferrerClass;
import io.chartpulse.avro.Session;
import io.chartpulse.avro.UserAgentInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.Schema;

/**
 * A generated day of enriched events and sessions with known structure: visitors browsing comparison charts,
 * impressions of ranked products, clicks that fall off with rank, outbound clicks after some clicks, bots, events
 * without a chart, and events just outside the day (which a rollup of the day must leave out).
 */
public final class Dataset {

    static final String[] CHARTS = {"laptops", "phones", "tvs", "headphones"};
    static final String[] MERCHANTS = {"Acme", "Zeta", "Nimbus"};
    static final String[] DEVICES = {"Desktop", "Phone", "Tablet", null};
    static final ReferrerClass[] REFERRERS = {ReferrerClass.SEARCH, ReferrerClass.DIRECT, ReferrerClass.SOCIAL};
    static final String[] CAMPAIGNS = {null, "black-friday", "newsletter"};

    final List<EnrichedEvent> events = new ArrayList<>();
    final List<Session> sessions = new ArrayList<>();

    /** About {@code visitors} × 25 events over {@code day}, plus a few in the hours around it. */
    Dataset(Interval day, int visitors, long seed) {
        this(day, 0, visitors, seed);
    }

    /** The visitors {@code first} to {@code first + visitors - 1} of a day (a big day is generated in chunks). */
    Dataset(Interval day, int first, int visitors, long seed) {
        Random random = new Random(seed + first);
        for (int v = first; v < first + visitors; v++) {
            String visitor = "visitor-" + v;
            boolean bot = v % 20 == 7;
            String device = DEVICES[v % DEVICES.length];
            int sessionCount = 1 + random.nextInt(3);
            for (int s = 0; s < sessionCount; s++) {
                String sessionId = "s-" + v + "-" + s;
                // Sessions start anywhere from an hour before the day to an hour after it.
                long offset = (long) (random.nextDouble() * (day.length().toMillis() + 2 * 3_600_000L)) - 3_600_000L;
                Instant t = day.start().plusMillis(offset);
                ReferrerClass referrer = REFERRERS[random.nextInt(REFERRERS.length)];
                String campaign = CAMPAIGNS[random.nextInt(CAMPAIGNS.length)];
                String chart = CHARTS[random.nextInt(CHARTS.length)];
                Instant start = t;
                List<String> charts = new ArrayList<>();
                events.add(event(
                        EventType.PAGE_VIEW, t, visitor, sessionId, null, null, 0, device, referrer, campaign, bot));
                t = t.plusSeconds(1);
                if (random.nextInt(10) < 8) {
                    charts.add(chart);
                    events.add(event(
                            EventType.CHART_IMPRESSION,
                            t,
                            visitor,
                            sessionId,
                            chart,
                            null,
                            0,
                            device,
                            referrer,
                            campaign,
                            bot));
                    int shown = 3 + random.nextInt(6);
                    for (int rank = 1; rank <= shown; rank++) {
                        t = t.plusMillis(200);
                        String product = chart + "-p" + rank;
                        events.add(event(
                                EventType.PRODUCT_IMPRESSION,
                                t,
                                visitor,
                                sessionId,
                                chart,
                                product,
                                rank,
                                device,
                                referrer,
                                campaign,
                                bot));
                        if (random.nextDouble() < 0.3 / rank) {
                            t = t.plusSeconds(2);
                            events.add(event(
                                    EventType.PRODUCT_CLICK,
                                    t,
                                    visitor,
                                    sessionId,
                                    chart,
                                    product,
                                    rank,
                                    device,
                                    referrer,
                                    campaign,
                                    bot));
                            if (random.nextBoolean()) {
                                t = t.plusSeconds(1);
                                events.add(event(
                                        EventType.OUTBOUND_CLICK,
                                        t,
                                        visitor,
                                        sessionId,
                                        chart,
                                        product,
                                        rank,
                                        device,
                                        referrer,
                                        campaign,
                                        bot));
                            }
                        }
                    }
                }
                // Now and then a click with no impression before it in the session (a restored tab, say).
                if (random.nextInt(25) == 0) {
                    String other = CHARTS[random.nextInt(CHARTS.length)];
                    events.add(event(
                            EventType.PRODUCT_CLICK,
                            start.minusSeconds(5),
                            visitor,
                            sessionId,
                            other,
                            other + "-p2",
                            2,
                            device,
                            referrer,
                            campaign,
                            bot));
                }
                sessions.add(session(sessionId, visitor, start, t, charts, bot));
            }
        }
    }

    static EnrichedEvent event(
            EventType type,
            Instant t,
            String visitor,
            String sessionId,
            String chart,
            String product,
            int rank,
            String device,
            ReferrerClass referrer,
            String campaign,
            boolean bot) {
        return EnrichedEvent.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes((visitor + sessionId + type + t + product).getBytes()))
                .setEventType(type)
                .setCreatedAt(t.minusMillis(40))
                .setSentAt(t.minusMillis(20))
                .setReceivedAt(t)
                .setDerivedAt(t)
                .setClockSkewMs(0L)
                .setAnonymousId(visitor)
                .setSessionId(sessionId)
                .setSessionIndex(1)
                .setPageViewId("pv-" + sessionId)
                .setPage(Page.newBuilder()
                        .setUrl("https://example.com/" + chart)
                        .setPath("/" + chart)
                        .build())
                .setChart(
                        chart == null
                                ? null
                                : Chart.newBuilder().setChartId(chart).build())
                .setProduct(
                        product == null
                                ? null
                                : Product.newBuilder()
                                        .setProductId(product)
                                        .setRank(rank)
                                        .setMerchant(MERCHANTS[rank % MERCHANTS.length])
                                        .build())
                .setInteraction(
                        type == EventType.OUTBOUND_CLICK
                                ? Interaction.newBuilder()
                                        .setTargetUrl("https://merchant.example/deal/" + product)
                                        .build()
                                : null)
                .setUserAgent(
                        device == null
                                ? null
                                : UserAgentInfo.newBuilder()
                                        .setDeviceClass(device)
                                        .build())
                .setIsBot(bot)
                .setReferrer(Referrer.newBuilder().setReferrerClass(referrer).build())
                .setCampaign(
                        campaign == null
                                ? null
                                : Campaign.newBuilder().setName(campaign).build())
                .setDedupFingerprint(visitor)
                .setProcessedAt(t.plusMillis(5))
                .build();
    }

    /** The raw event an enriched one was made from: the fields both contracts share, by name. */
    static ChartEvent raw(EnrichedEvent e) {
        ChartEvent raw = new ChartEvent();
        for (Schema.Field f : ChartEvent.getClassSchema().getFields()) {
            Schema.Field from = EnrichedEvent.getClassSchema().getField(f.name());
            raw.put(f.pos(), from == null ? null : e.get(from.pos()));
        }
        return raw;
    }

    static Session session(String id, String visitor, Instant start, Instant end, List<String> charts, boolean bot) {
        return Session.newBuilder()
                .setSessionId(id)
                .setAnonymousId(visitor)
                .setClientSessionIds(List.of(id))
                .setStartAt(start)
                .setEndAt(end)
                .setDurationMs(Duration.between(start, end).toMillis())
                .setEventCount(1)
                .setPageViews(1)
                .setChartImpressions(charts.size())
                .setProductImpressions(0)
                .setProductClicks(0)
                .setOutboundClicks(0)
                .setFilterChanges(0)
                .setOtherEvents(0)
                .setPages(List.of("/"))
                .setCharts(charts)
                .setProductsImpressed(List.of())
                .setProductsClicked(List.of())
                .setIsBounce(charts.isEmpty())
                .setIsBot(bot)
                .setIsTruncated(false)
                .setMaxDurationReached(false)
                .build();
    }
}
