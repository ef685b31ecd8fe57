package io.chartpulse.schemas;

import io.chartpulse.avro.RejectionStage;

/**
 * Every reason an event can be refused, declared once: the stable code written to {@code RejectedEvent.code} (and
 * counted as {@code code} in the services' metrics), the stage that refuses it, and what it means. The collector
 * and the streams app construct their rejections from these constants only; the table in {@code schemas/README.md}
 * is checked against this enum.
 */
public enum RejectionCode {
    MISSING_FIELD("missing_field", RejectionStage.COLLECTOR, "A required field is absent or null."),
    INVALID_TYPE(
            "invalid_type",
            RejectionStage.COLLECTOR,
            "A field has the wrong JSON type (a string where a number belongs)."),
    INVALID_VALUE(
            "invalid_value",
            RejectionStage.COLLECTOR,
            "A field has the right type but a value outside what is valid (bad UUID, non-positive time, out of range,"
                    + " too long)."),
    NOT_AN_OBJECT("not_an_object", RejectionStage.COLLECTOR, "The batch element is not a JSON object."),
    EVENT_TOO_LARGE("event_too_large", RejectionStage.COLLECTOR, "The event is larger than max.event.bytes as JSON."),
    UNDECODABLE(
            "undecodable",
            RejectionStage.STREAMS,
            "The raw record cannot be read: wrong magic byte, a schema id the registry does not know (404), a corrupt"
                    + " body or a tombstone. A registry that does not answer is never this: the app waits for it."),
    INVALID_ID(
            "invalid_id",
            RejectionStage.STREAMS,
            "anonymous_id, session_id or page_view_id is not 1-128 printable characters."),
    CLOCK_SKEW(
            "clock_skew",
            RejectionStage.STREAMS,
            "created_at or sent_at lies further from received_at than max.clock.skew.ms."),
    INVALID_TIMESTAMPS("invalid_timestamps", RejectionStage.STREAMS, "sent_at is before created_at."),
    MISSING_CHART(
            "missing_chart", RejectionStage.STREAMS, "A chart, product, filter or sort event without chart.chart_id."),
    MISSING_PRODUCT(
            "missing_product", RejectionStage.STREAMS, "A product impression or click without product.product_id."),
    MISSING_RANK("missing_rank", RejectionStage.STREAMS, "A product impression or click without a rank of 1 or more."),
    MISSING_TARGET_URL(
            "missing_target_url", RejectionStage.STREAMS, "An outbound click without interaction.target_url."),
    INVALID_TARGET_URL(
            "invalid_target_url",
            RejectionStage.STREAMS,
            "An outbound click whose interaction.target_url is not an absolute http(s) URL.");

    private final String value;
    private final RejectionStage stage;
    private final String description;

    RejectionCode(String value, RejectionStage stage, String description) {
        this.value = value;
        this.stage = stage;
        this.description = description;
    }

    /** The code as written to {@code RejectedEvent.code}, e.g. {@code clock_skew}. */
    public String value() {
        return value;
    }

    public RejectionStage stage() {
        return stage;
    }

    public String description() {
        return description;
    }
}
