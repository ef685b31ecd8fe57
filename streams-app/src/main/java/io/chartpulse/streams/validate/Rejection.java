package io.chartpulse.streams.validate;

import io.chartpulse.schemas.RejectionCode;

/**
 * Why the streams app refused an event.
 *
 * @param code  the reason, one of {@link RejectionCode}'s streams-stage codes
 * @param field dotted path of the field at fault, or null
 */
public record Rejection(RejectionCode code, String field, String message) {}
