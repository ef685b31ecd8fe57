package io.chartpulse.registry.http;

import io.chartpulse.registry.core.ErrorCode;
import io.chartpulse.registry.core.RegistryException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes registry responses: JSON bodies in the registry content type, and the one mapping from failures to
 * {@code {"error_code": ..., "message": ...}} bodies. Unexpected exceptions become 50001 with a generic message;
 * their details go to the log, never to the client.
 */
final class Responses {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final Logger LOG = LoggerFactory.getLogger(Responses.class);

    private Responses() {}

    static void json(RoutingContext ctx, Object body) {
        json(ctx, 200, body);
    }

    static void json(RoutingContext ctx, int status, Object body) {
        String encoded = Json.encode(body);
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", CONTENT_TYPE)
                .end(encoded);
    }

    /** A body that already is JSON text, e.g. a schema. */
    static void rawJson(RoutingContext ctx, String jsonText) {
        ctx.response()
                .setStatusCode(200)
                .putHeader("Content-Type", CONTENT_TYPE)
                .end(jsonText);
    }

    static void error(RoutingContext ctx, Throwable failure) {
        if (ctx.response().ended()) {
            return;
        }
        RegistryException error;
        if (failure instanceof RegistryException registryException) {
            error = registryException;
        } else {
            LOG.error(
                    "Unexpected failure on {} {}",
                    ctx.request().method(),
                    ctx.request().path(),
                    failure);
            error = ErrorCode.STORE_ERROR.exception("unexpected error, see the registry log");
        }
        error(ctx, error.errorCode(), error.getMessage());
    }

    static void error(RoutingContext ctx, ErrorCode code, String message) {
        JsonObject body = new JsonObject().put("error_code", code.code()).put("message", message);
        if (code == ErrorCode.UNAUTHORIZED) {
            ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"chartpulse-registry\"");
        }
        ctx.response()
                .setStatusCode(code.httpStatus())
                .putHeader("Content-Type", CONTENT_TYPE)
                .end(body.encode());
    }
}
