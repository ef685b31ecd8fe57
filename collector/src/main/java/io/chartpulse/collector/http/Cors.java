package io.chartpulse.collector.http;

import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Set;

/**
 * The CORS allowlist: {@code *} or exact origins. Requests without an {@code Origin} header (server-to-server,
 * same-origin beacons) are always allowed. Allowed browser requests get {@code Access-Control-Allow-Origin} echoing
 * their origin; credentials are never allowed (the tracker sends none).
 */
final class Cors {

    private final boolean any;
    private final Set<String> origins;

    Cors(List<String> allowed) {
        this.any = allowed.contains("*");
        this.origins = Set.copyOf(
                allowed.stream().map(String::trim).filter(s -> !s.isEmpty()).toList());
    }

    boolean allows(String origin) {
        return origin == null || any || origins.contains(origin);
    }

    void decorate(HttpServerResponse response, String origin) {
        if (origin != null) {
            response.putHeader("Access-Control-Allow-Origin", any ? "*" : origin);
            if (!any) {
                response.putHeader("Vary", "Origin");
            }
        }
    }

    void preflight(HttpServerResponse response, String origin) {
        decorate(response, origin);
        response.putHeader("Access-Control-Allow-Methods", "POST, GET, OPTIONS")
                .putHeader("Access-Control-Allow-Headers", "Content-Type, Content-Encoding")
                .putHeader("Access-Control-Max-Age", "86400");
    }
}
