package io.chartpulse.serde.registry;

import java.time.Duration;
import java.util.List;

/**
 * How to reach the registry.
 *
 * @param urls            base URLs, tried in order (failover); user info in a URL is not kept here
 * @param authorization   the {@code Authorization} header value, or null
 * @param maxRetries      retries per request after the first attempt, on connection errors and 5xx
 * @param latestCacheTtl  how long a subject's latest version is cached; negative means forever
 */
public record RegistryClientSettings(
        List<String> urls,
        String authorization,
        Duration connectTimeout,
        Duration readTimeout,
        int maxRetries,
        Duration retryWait,
        Duration retryMaxWait,
        Duration latestCacheTtl) {

    public RegistryClientSettings {
        if (urls == null || urls.isEmpty()) {
            throw new IllegalArgumentException("At least one schema registry URL is required");
        }
        urls = List.copyOf(urls);
    }

    /** Defaults for one URL without authentication. */
    public static RegistryClientSettings of(String url) {
        return new RegistryClientSettings(
                List.of(url),
                null,
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                3,
                Duration.ofMillis(100),
                Duration.ofSeconds(5),
                Duration.ofSeconds(-1));
    }
}
