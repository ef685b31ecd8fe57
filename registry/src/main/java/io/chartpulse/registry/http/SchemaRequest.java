package io.chartpulse.registry.http;

import io.chartpulse.registry.core.ErrorCode;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reads request bodies: {@code {"schema": "...", "schemaType": "AVRO", "references": []}} and config bodies. */
final class SchemaRequest {

    private SchemaRequest() {}

    static JsonObject body(RoutingContext ctx) {
        String text = ctx.body() == null ? null : ctx.body().asString();
        if (text == null || text.isBlank()) {
            throw ErrorCode.BAD_REQUEST.exception("the request body is empty; send a JSON object");
        }
        Object parsed;
        try {
            parsed = Json.decodeValue(text);
        } catch (RuntimeException e) {
            throw ErrorCode.BAD_REQUEST.exception("the request body is not valid JSON");
        }
        if (!(parsed instanceof JsonObject object)) {
            throw ErrorCode.BAD_REQUEST.exception("the request body must be a JSON object");
        }
        return object;
    }

    static String schema(JsonObject body) {
        Object schema = body.getValue("schema");
        if (schema != null && !(schema instanceof String)) {
            throw ErrorCode.INVALID_SCHEMA.exception("\"schema\" must be a string holding the schema's JSON");
        }
        Object references = body.getValue("references");
        if (references instanceof JsonArray array && !array.isEmpty()) {
            throw ErrorCode.INVALID_SCHEMA.exception("schema references are not supported by this registry");
        }
        return (String) schema;
    }

    static String schemaType(JsonObject body) {
        Object type = body.getValue("schemaType");
        return type == null ? null : String.valueOf(type);
    }

    static String compatibility(RoutingContext ctx) {
        Object level = body(ctx).getValue("compatibility");
        return level == null ? null : String.valueOf(level);
    }
}
