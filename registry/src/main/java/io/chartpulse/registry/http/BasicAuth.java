package io.chartpulse.registry.http;

import io.chartpulse.registry.core.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

/** HTTP basic authentication against a fixed set of users; health endpoints stay open for probes. */
final class BasicAuth implements Handler<RoutingContext> {

    private final Map<String, String> users;

    BasicAuth(Map<String, String> users) {
        this.users = Map.copyOf(users);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.request().path();
        if ("/healthz".equals(path)
                || "/readyz".equals(path)
                || authorized(ctx.request().getHeader("Authorization"))) {
            ctx.next();
        } else {
            Responses.error(
                    ctx,
                    ErrorCode.UNAUTHORIZED,
                    ErrorCode.UNAUTHORIZED.exception().getMessage());
        }
    }

    private boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String expected = users.get(decoded.substring(0, colon));
        return expected != null
                && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8),
                        decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
    }
}
