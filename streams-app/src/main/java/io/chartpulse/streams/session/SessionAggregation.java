package io.chartpulse.streams.session;

import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.EventType;
import io.chartpulse.avro.Session;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Folds events into a {@link Session} (the Avro record doubles as the aggregate kept in the state store). Pure
 * functions: the result depends only on the events, not on their order within the session, so a replay or any
 * reordering within the grace period gives the same sessions.
 */
public final class SessionAggregation {

    /**
     * The most values a distinct list of a session keeps ({@value}); later ones are left out and the session is
     * flagged {@code is_truncated}. With {@link #MAX_LIST_CHARS} it bounds a session's size, so a crawler's session
     * never grows a state-store or changelog record past the broker's limit.
     */
    public static final int MAX_LIST_SIZE = 200;

    /** The most characters the values of one distinct list hold together ({@value}). */
    public static final int MAX_LIST_CHARS = 16 * 1024;

    private SessionAggregation() {}

    /** A new session holding one event; its id is set when it closes ({@link #close}). */
    public static Session start(EnrichedEvent e) {
        // No builder: its per-field default copies cost more than the aggregation. Counters and flags start at
        // 0/false and optional fields at null (their schema defaults); the rest is set here.
        Session s = new Session();
        s.setSessionId("");
        s.setAnonymousId(e.getAnonymousId());
        s.setStartAt(e.getDerivedAt());
        s.setEndAt(e.getDerivedAt());
        s.setClientSessionIds(new ArrayList<>(2));
        s.setPages(new ArrayList<>());
        s.setCharts(new ArrayList<>());
        s.setProductsImpressed(new ArrayList<>());
        s.setProductsClicked(new ArrayList<>());
        return add(s, e);
    }

    /** Adds an event; the session's start and end stretch to include it. */
    public static Session add(Session s, EnrichedEvent e) {
        Instant t = e.getDerivedAt();
        // The first event of the session; on equal times the first to arrive keeps the place.
        boolean earliest = s.getEventCount() == 0 || t.isBefore(s.getStartAt());
        boolean latest = s.getEventCount() == 0 || t.isAfter(s.getEndAt());
        if (t.isBefore(s.getStartAt())) {
            s.setStartAt(t);
        }
        if (t.isAfter(s.getEndAt())) {
            s.setEndAt(t);
        }
        s.setDurationMs(Duration.between(s.getStartAt(), s.getEndAt()).toMillis());
        s.setEventCount(s.getEventCount() + 1);
        if (e.getUserId() != null && (latest || s.getUserId() == null)) {
            s.setUserId(e.getUserId());
        }
        addDistinct(s, s.getClientSessionIds(), e.getSessionId());
        switch (e.getEventType()) {
            case PAGE_VIEW -> {
                s.setPageViews(s.getPageViews() + 1);
                addDistinct(s, s.getPages(), e.getPage().getPath());
            }
            case CHART_IMPRESSION -> s.setChartImpressions(s.getChartImpressions() + 1);
            case PRODUCT_IMPRESSION -> s.setProductImpressions(s.getProductImpressions() + 1);
            case PRODUCT_CLICK -> s.setProductClicks(s.getProductClicks() + 1);
            case OUTBOUND_CLICK -> s.setOutboundClicks(s.getOutboundClicks() + 1);
            case FILTER_CHANGE, SORT_CHANGE -> s.setFilterChanges(s.getFilterChanges() + 1);
            default -> s.setOtherEvents(s.getOtherEvents() + 1);
        }
        if (e.getChart() != null) {
            addDistinct(s, s.getCharts(), e.getChart().getChartId());
        }
        if (e.getProduct() != null) {
            switch (e.getEventType()) {
                case PRODUCT_IMPRESSION ->
                    addDistinct(s, s.getProductsImpressed(), e.getProduct().getProductId());
                case PRODUCT_CLICK, OUTBOUND_CLICK ->
                    addDistinct(s, s.getProductsClicked(), e.getProduct().getProductId());
                default -> {}
            }
        }
        // First-touch attributes are the first event's, whatever the arrival order.
        if (earliest) {
            s.setLandingReferrer(e.getReferrer());
            s.setCampaign(e.getCampaign());
            s.setDevice(e.getUserAgent());
            s.setCountry(e.getCountry());
        }
        if (e.getEventType() == EventType.PAGE_VIEW) {
            if (s.getEntryAt() == null || t.isBefore(s.getEntryAt())) {
                s.setEntryAt(t);
                s.setEntryPage(e.getPage().getPath());
            }
            if (s.getExitAt() == null || t.isAfter(s.getExitAt())) {
                s.setExitAt(t);
                s.setExitPage(e.getPage().getPath());
            }
        }
        s.setIsBot(s.getIsBot() || e.getIsBot());
        return s;
    }

    /** One session holding everything of two (two sessions of one visitor that an event bridged). */
    public static Session merge(Session a, Session b) {
        Session first = !b.getStartAt().isBefore(a.getStartAt()) ? a : b;
        Session second = first == a ? b : a;
        Session m = Session.newBuilder(first)
                .setClientSessionIds(new ArrayList<>(first.getClientSessionIds()))
                .setPages(new ArrayList<>(first.getPages()))
                .setCharts(new ArrayList<>(first.getCharts()))
                .setProductsImpressed(new ArrayList<>(first.getProductsImpressed()))
                .setProductsClicked(new ArrayList<>(first.getProductsClicked()))
                .build();
        if (second.getEndAt().isAfter(m.getEndAt())) {
            m.setEndAt(second.getEndAt());
            if (second.getUserId() != null) {
                m.setUserId(second.getUserId());
            }
        } else if (m.getUserId() == null) {
            m.setUserId(second.getUserId());
        }
        m.setDurationMs(Duration.between(m.getStartAt(), m.getEndAt()).toMillis());
        m.setEventCount(m.getEventCount() + second.getEventCount());
        m.setPageViews(m.getPageViews() + second.getPageViews());
        m.setChartImpressions(m.getChartImpressions() + second.getChartImpressions());
        m.setProductImpressions(m.getProductImpressions() + second.getProductImpressions());
        m.setProductClicks(m.getProductClicks() + second.getProductClicks());
        m.setOutboundClicks(m.getOutboundClicks() + second.getOutboundClicks());
        m.setFilterChanges(m.getFilterChanges() + second.getFilterChanges());
        m.setOtherEvents(m.getOtherEvents() + second.getOtherEvents());
        second.getClientSessionIds().forEach(v -> addDistinct(m, m.getClientSessionIds(), v));
        second.getPages().forEach(v -> addDistinct(m, m.getPages(), v));
        second.getCharts().forEach(v -> addDistinct(m, m.getCharts(), v));
        second.getProductsImpressed().forEach(v -> addDistinct(m, m.getProductsImpressed(), v));
        second.getProductsClicked().forEach(v -> addDistinct(m, m.getProductsClicked(), v));
        if (second.getEntryAt() != null
                && (m.getEntryAt() == null || second.getEntryAt().isBefore(m.getEntryAt()))) {
            m.setEntryAt(second.getEntryAt());
            m.setEntryPage(second.getEntryPage());
        }
        if (second.getExitAt() != null
                && (m.getExitAt() == null || second.getExitAt().isAfter(m.getExitAt()))) {
            m.setExitAt(second.getExitAt());
            m.setExitPage(second.getExitPage());
        }
        m.setIsBot(m.getIsBot() || second.getIsBot());
        m.setIsTruncated(m.getIsTruncated() || second.getIsTruncated());
        return m;
    }

    /**
     * Finalises a session: a deterministic id (a name-based UUID of the anonymous id and the start time, so the
     * same events give the same id on reprocessing, whatever order they came in), sorted lists, the bounce flag.
     */
    public static Session close(Session s) {
        s.setSessionId(UUID.nameUUIDFromBytes(
                        (s.getAnonymousId() + "|" + s.getStartAt().toEpochMilli()).getBytes(StandardCharsets.UTF_8))
                .toString());
        for (List<String> list :
                List.of(s.getClientSessionIds(), s.getCharts(), s.getProductsImpressed(), s.getProductsClicked())) {
            list.sort(null);
        }
        s.setIsBounce(
                s.getPageViews() <= 1 && s.getProductClicks() + s.getOutboundClicks() + s.getFilterChanges() == 0);
        return s;
    }

    private static void addDistinct(Session s, List<String> list, String value) {
        if (value == null || list.contains(value)) {
            return;
        }
        if (list.size() >= MAX_LIST_SIZE || chars(list) + value.length() > MAX_LIST_CHARS) {
            s.setIsTruncated(true);
            return;
        }
        list.add(value);
    }

    private static int chars(List<String> list) {
        int n = 0;
        for (String v : list) {
            n += v.length();
        }
        return n;
    }
}
