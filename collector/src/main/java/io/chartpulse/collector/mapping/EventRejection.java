package io.chartpulse.collector.mapping;

/**
 * Why one event of a batch was refused: a stable code, the field at fault (dotted path, or null), and a message
 * naming the field, the bad value and what would be valid. Cheap to throw: no stack trace.
 */
public final class EventRejection extends Exception {

    private static final long serialVersionUID = 1L;

    /** A required field is absent or null. */
    public static final String MISSING_FIELD = "missing_field";
    /** A field has the wrong JSON type (e.g. a string where a number belongs). */
    public static final String INVALID_TYPE = "invalid_type";
    /** A field has the right type but a value outside what is valid (bad UUID, negative time, out of range). */
    public static final String INVALID_VALUE = "invalid_value";
    /** The batch element is not a JSON object. */
    public static final String NOT_AN_OBJECT = "not_an_object";
    /** The event is larger than max.event.bytes. */
    public static final String EVENT_TOO_LARGE = "event_too_large";

    private final String code;
    private final String field;

    public EventRejection(String code, String field, String message) {
        super(message, null, false, false);
        this.code = code;
        this.field = field;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }
}
