package io.chartpulse.collector.mapping;

/**
 * What only the server knows about an event; these fields are never taken from the client.
 *
 * @param receivedAt epoch milliseconds when the batch arrived
 * @param ip         the client IP as it may be stored (anonymised unless full IPs were enabled), or null
 * @param country    ISO country from a trusted CDN header, or null
 * @param userAgent  the User-Agent header, or null (then the tracker's own value is kept)
 */
public record ServerFields(long receivedAt, String ip, String country, String userAgent) {}
