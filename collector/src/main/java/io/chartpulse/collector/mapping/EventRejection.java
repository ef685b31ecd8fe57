package io.chartpulse.collector.mapping;

import io.chartpulse.schemas.RejectionCode;

/**
 * Why one event of a batch was refused: a stable code (a collector-stage {@link RejectionCode}), the field at fault (dotted path, or null), and a message
 * naming the field, the bad value and what would be valid. Cheap to throw: no stack trace.
 */
public final class EventRejection extends Exception {

    private static final long serialVersionUID = 1L;

    private final String code;
    private final String field;

    public EventRejection(RejectionCode code, String field, String message) {
        super(message, null, false, false);
        this.code = code.value();
        this.field = field;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }
}
