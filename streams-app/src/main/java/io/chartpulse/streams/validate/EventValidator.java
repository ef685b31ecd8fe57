package io.chartpulse.streams.validate;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EventType;
import io.chartpulse.schemas.RejectionCode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The semantic rules an event must meet beyond its schema, per event type. Stateless.
 *
 * <ul>
 *   <li>product impressions and clicks need a product id and a rank of at least 1;</li>
 *   <li>outbound clicks need an absolute http(s) target URL;</li>
 *   <li>chart, product, filter and sort events need a chart id;</li>
 *   <li>created_at and sent_at lie within the allowed clock skew of received_at, and sent_at is not before
 *       created_at;</li>
 *   <li>anonymous, session and page-view ids are 1–128 printable characters.</li>
 * </ul>
 */
public final class EventValidator {

    private static final Set<EventType> PRODUCT_EVENTS =
            EnumSet.of(EventType.PRODUCT_IMPRESSION, EventType.PRODUCT_CLICK, EventType.OUTBOUND_CLICK);
    private static final Set<EventType> CHART_EVENTS = EnumSet.of(
            EventType.CHART_IMPRESSION,
            EventType.PRODUCT_IMPRESSION,
            EventType.PRODUCT_CLICK,
            EventType.OUTBOUND_CLICK,
            EventType.FILTER_CHANGE,
            EventType.SORT_CHANGE);

    private final Duration maxSkew;
    private final long maxSkewMs;

    public EventValidator(Duration maxSkew) {
        this.maxSkew = maxSkew;
        this.maxSkewMs = maxSkew.toMillis();
    }

    /** The first rule the event breaks, or empty when it is valid. */
    public Optional<Rejection> check(ChartEvent e) {
        Rejection r = ids(e);
        if (r == null) {
            r = times(e);
        }
        if (r == null
                && CHART_EVENTS.contains(e.getEventType())
                && (e.getChart() == null || blank(e.getChart().getChartId()))) {
            r = new Rejection(
                    RejectionCode.MISSING_CHART, "chart.chart_id", e.getEventType() + " needs chart.chart_id");
        }
        if (r == null && PRODUCT_EVENTS.contains(e.getEventType())) {
            r = product(e);
        }
        if (r == null && e.getEventType() == EventType.OUTBOUND_CLICK) {
            r = target(e);
        }
        return Optional.ofNullable(r);
    }

    // Checked field by field, without arrays, streams or Durations: this runs for every event.
    private static Rejection ids(ChartEvent e) {
        Rejection r = id("anonymous_id", e.getAnonymousId());
        if (r == null) {
            r = id("session_id", e.getSessionId());
        }
        return r == null ? id("page_view_id", e.getPageViewId()) : r;
    }

    private static Rejection id(String field, String value) {
        if (value != null && !value.isEmpty() && value.length() <= 128 && printable(value)) {
            return null;
        }
        return new Rejection(
                RejectionCode.INVALID_ID,
                field,
                field + " must be 1-128 printable characters, got '"
                        + (value == null ? "" : value.length() > 40 ? value.substring(0, 40) + "..." : value)
                        + "'");
    }

    private static boolean printable(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private Rejection times(ChartEvent e) {
        Instant received = e.getReceivedAt();
        Rejection r = skew("created_at", e.getCreatedAt(), received);
        if (r == null) {
            r = skew("sent_at", e.getSentAt(), received);
        }
        if (r == null && e.getSentAt().isBefore(e.getCreatedAt())) {
            r = new Rejection(
                    RejectionCode.INVALID_TIMESTAMPS,
                    "sent_at",
                    "sent_at " + e.getSentAt() + " is before created_at " + e.getCreatedAt());
        }
        return r;
    }

    private Rejection skew(String field, Instant t, Instant received) {
        long off = Math.abs(t.toEpochMilli() - received.toEpochMilli());
        if (off <= maxSkewMs) {
            return null;
        }
        return new Rejection(
                RejectionCode.CLOCK_SKEW,
                field,
                field + " is " + Duration.ofMillis(off).toMinutes() + " min away from received_at " + received
                        + "; at most " + maxSkew.toMinutes() + " min are allowed");
    }

    private static Rejection product(ChartEvent e) {
        if (e.getProduct() == null || blank(e.getProduct().getProductId())) {
            return new Rejection(
                    RejectionCode.MISSING_PRODUCT,
                    "product.product_id",
                    e.getEventType() + " needs product.product_id");
        }
        Integer rank = e.getProduct().getRank();
        if (rank == null || rank < 1) {
            return new Rejection(
                    RejectionCode.MISSING_RANK,
                    "product.rank",
                    e.getEventType() + " needs product.rank of at least 1, got " + rank);
        }
        return null;
    }

    private static Rejection target(ChartEvent e) {
        String url = e.getInteraction() == null ? null : e.getInteraction().getTargetUrl();
        if (blank(url)) {
            return new Rejection(
                    RejectionCode.MISSING_TARGET_URL,
                    "interaction.target_url",
                    "OUTBOUND_CLICK needs interaction.target_url");
        }
        try {
            URI uri = URI.create(url);
            if (uri.getHost() == null
                    || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
                throw new IllegalArgumentException("not http(s)");
            }
        } catch (IllegalArgumentException bad) {
            return new Rejection(
                    RejectionCode.INVALID_TARGET_URL,
                    "interaction.target_url",
                    "interaction.target_url '" + (url.length() > 80 ? url.substring(0, 80) + "..." : url)
                            + "' is not an absolute http(s) URL");
        }
        return null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
