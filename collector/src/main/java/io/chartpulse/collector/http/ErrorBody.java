package io.chartpulse.collector.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The collector's error answers, all in one place: {@code {"error": {"code": ..., "message": ...}}}, never a stack
 * trace. The status tells the tracker what to do: 400, 403, 413 and 415 are final; 429 and 503 carry
 * {@code Retry-After} and are worth retrying.
 */
final class ErrorBody {

    static final ObjectMapper JSON = new ObjectMapper();

    private ErrorBody() {}

    static void send(RoutingContext ctx, int status, String code, String message) {
        send(ctx, status, code, message, 0);
    }

    static void send(RoutingContext ctx, int status, String code, String message, long retryAfterSeconds) {
        if (ctx.response().ended()) {
            return;
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        if (retryAfterSeconds > 0) {
            ctx.response().putHeader("Retry-After", String.valueOf(retryAfterSeconds));
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(encode(Map.of("error", error)));
    }

    static String encode(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode a response", e);
        }
    }
}
