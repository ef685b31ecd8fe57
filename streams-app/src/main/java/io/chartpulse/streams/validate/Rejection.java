package io.chartpulse.streams.validate;

/**
 * Why the streams app refused an event.
 *
 * @param code  stable code, e.g. {@code missing_rank}, {@code clock_skew}, {@code undecodable}
 * @param field dotted path of the field at fault, or null
 */
public record Rejection(String code, String field, String message) {}
