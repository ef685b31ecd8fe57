package io.chartpulse.registry.http;

import io.chartpulse.registry.core.ErrorCode;
import io.chartpulse.registry.core.SchemaRegistry;
import io.chartpulse.registry.core.SchemaVersion;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * The Confluent Schema Registry REST API (Avro subset) over {@link SchemaRegistry}. Reads answer from memory on the
 * event loop; writes run on a worker (they wait for Kafka) and, on an instance that is not the writer, are
 * forwarded to the one that is.
 */
public final class RegistryRoutes {

    private static final Set<String> ACCEPTED_TYPES = Set.of(
            "application/vnd.schemaregistry.v1+json",
            "application/vnd.schemaregistry+json",
            "application/json",
            "application/octet-stream");

    private final Vertx vertx;
    private final SchemaRegistry registry;
    private final LeaderForwarder forwarder;

    private RegistryRoutes(Vertx vertx, SchemaRegistry registry, LeaderForwarder forwarder) {
        this.vertx = vertx;
        this.registry = registry;
        this.forwarder = forwarder;
    }

    /**
     * Builds the router.
     *
     * @param users basic-auth users (name → password); empty disables authentication
     * @param ready whether the instance is ready (store read to the end)
     */
    public static Router router(
            Vertx vertx,
            SchemaRegistry registry,
            long maxBodyBytes,
            Map<String, String> users,
            PrometheusMeterRegistry metrics,
            BooleanSupplier ready) {
        RegistryRoutes routes = new RegistryRoutes(vertx, registry, new LeaderForwarder(vertx, registry));
        Router router = Router.router(vertx);
        router.route().handler(new RequestMetrics(metrics));
        if (!users.isEmpty()) {
            router.route().handler(new BasicAuth(users));
        }
        router.route().handler(routes::checkContentType);
        router.route().handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes));

        router.get("/healthz").handler(ctx -> Responses.json(ctx, new JsonObject().put("status", "UP")));
        router.get("/readyz").handler(ctx -> {
            boolean ok = ready.getAsBoolean();
            Responses.json(
                    ctx,
                    ok ? 200 : 503,
                    new JsonObject().put("status", ok ? "READY" : "NOT_READY").put("leader", registry.isLeader()));
        });
        router.get("/metrics")
                .handler(ctx -> ctx.response()
                        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(metrics.scrape()));

        router.get("/").handler(ctx -> Responses.json(ctx, new JsonObject()));
        router.get("/schemas/types").handler(ctx -> Responses.json(ctx, SchemaRegistry.SCHEMA_TYPES));
        router.get("/schemas/ids/:id").handler(ctx -> {
            String schema = registry.schemaById(schemaId(ctx));
            Responses.json(ctx, new JsonObject().put("schema", schema));
        });
        router.get("/schemas/ids/:id/schema")
                .handler(ctx -> Responses.rawJson(ctx, registry.schemaById(schemaId(ctx))));
        router.get("/schemas/ids/:id/subjects")
                .handler(ctx -> Responses.json(
                        ctx,
                        registry.usesOf(schemaId(ctx)).stream()
                                .map(SchemaVersion::subject)
                                .distinct()
                                .toList()));
        router.get("/schemas/ids/:id/versions")
                .handler(ctx -> Responses.json(
                        ctx,
                        new JsonArray(registry.usesOf(schemaId(ctx)).stream()
                                .map(v -> (Object) new JsonObject()
                                        .put("subject", v.subject())
                                        .put("version", v.version()))
                                .toList())));

        router.get("/subjects").handler(ctx -> Responses.json(ctx, registry.subjects(flag(ctx, "deleted"))));
        router.post("/subjects/:subject/versions")
                .handler(ctx -> routes.write(ctx, () -> {
                    JsonObject body = SchemaRequest.body(ctx);
                    int id =
                            registry.register(subject(ctx), SchemaRequest.schema(body), SchemaRequest.schemaType(body));
                    return new JsonObject().put("id", id);
                }));
        router.post("/subjects/:subject").handler(ctx -> {
            JsonObject body = SchemaRequest.body(ctx);
            SchemaVersion v = registry.lookup(
                    subject(ctx), SchemaRequest.schema(body), SchemaRequest.schemaType(body), flag(ctx, "deleted"));
            Responses.json(ctx, versionJson(v));
        });
        router.delete("/subjects/:subject")
                .handler(ctx -> routes.write(ctx, () -> registry.deleteSubject(subject(ctx), flag(ctx, "permanent"))));
        router.get("/subjects/:subject/versions")
                .handler(ctx -> Responses.json(ctx, registry.versions(subject(ctx), flag(ctx, "deleted"))));
        router.get("/subjects/:subject/versions/:version")
                .handler(ctx -> Responses.json(
                        ctx,
                        versionJson(registry.version(subject(ctx), ctx.pathParam("version"), flag(ctx, "deleted")))));
        router.get("/subjects/:subject/versions/:version/schema")
                .handler(ctx -> Responses.rawJson(
                        ctx,
                        registry.version(subject(ctx), ctx.pathParam("version"), flag(ctx, "deleted"))
                                .schema()));
        router.delete("/subjects/:subject/versions/:version")
                .handler(ctx -> routes.write(
                        ctx,
                        () -> registry.deleteVersion(subject(ctx), ctx.pathParam("version"), flag(ctx, "permanent"))));

        router.get("/config")
                .handler(
                        ctx -> Responses.json(ctx, level(registry.globalConfig().name())));
        router.put("/config")
                .handler(ctx -> routes.write(
                        ctx,
                        () -> new JsonObject()
                                .put(
                                        "compatibility",
                                        registry.setConfig(null, SchemaRequest.compatibility(ctx))
                                                .name())));
        router.delete("/config")
                .handler(ctx -> routes.write(
                        ctx, () -> level(registry.deleteConfig(null).name())));
        router.get("/config/:subject")
                .handler(ctx -> Responses.json(
                        ctx,
                        level(registry.subjectConfig(subject(ctx), flag(ctx, "defaultToGlobal"))
                                .name())));
        router.put("/config/:subject")
                .handler(ctx -> routes.write(
                        ctx,
                        () -> new JsonObject()
                                .put(
                                        "compatibility",
                                        registry.setConfig(subject(ctx), SchemaRequest.compatibility(ctx))
                                                .name())));
        router.delete("/config/:subject")
                .handler(ctx -> routes.write(
                        ctx, () -> level(registry.deleteConfig(subject(ctx)).name())));

        router.post("/compatibility/subjects/:subject/versions/:version")
                .handler(ctx -> compatibility(ctx, registry, ctx.pathParam("version")));
        router.post("/compatibility/subjects/:subject/versions").handler(ctx -> compatibility(ctx, registry, null));

        router.get("/mode").handler(ctx -> Responses.json(ctx, new JsonObject().put("mode", "READWRITE")));
        router.get("/mode/:subject").handler(ctx -> Responses.json(ctx, new JsonObject().put("mode", "READWRITE")));
        router.put("/mode").handler(routes::putMode);
        router.put("/mode/:subject").handler(routes::putMode);

        router.route()
                .last()
                .handler(ctx -> Responses.error(
                        ctx,
                        ErrorCode.NOT_FOUND,
                        ErrorCode.NOT_FOUND.exception().getMessage()));
        router.errorHandler(
                404,
                ctx -> Responses.error(
                        ctx,
                        ErrorCode.NOT_FOUND,
                        ErrorCode.NOT_FOUND.exception().getMessage()));
        router.errorHandler(
                405,
                ctx -> Responses.error(
                        ctx,
                        ErrorCode.METHOD_NOT_ALLOWED,
                        ErrorCode.METHOD_NOT_ALLOWED.exception().getMessage()));
        router.errorHandler(
                413,
                ctx -> Responses.error(
                        ctx,
                        ErrorCode.PAYLOAD_TOO_LARGE,
                        ErrorCode.PAYLOAD_TOO_LARGE.exception(maxBodyBytes).getMessage()));
        router.errorHandler(500, ctx -> Responses.error(ctx, ctx.failure()));
        return router;
    }

    private void checkContentType(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        String type = ctx.request().getHeader("Content-Type");
        if ((method == HttpMethod.POST || method == HttpMethod.PUT) && type != null) {
            String bare = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (!ACCEPTED_TYPES.contains(bare)) {
                Responses.error(
                        ctx,
                        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                        ErrorCode.UNSUPPORTED_MEDIA_TYPE
                                .exception(bare + "; use application/vnd.schemaregistry.v1+json or application/json")
                                .getMessage());
                return;
            }
        }
        ctx.next();
    }

    /** Runs a write on a worker thread, or forwards it when another instance is the writer. */
    private void write(RoutingContext ctx, Callable<Object> operation) {
        if (!registry.isLeader()) {
            forwarder.forward(ctx);
            return;
        }
        vertx.executeBlocking(operation, false).onComplete(result -> {
            if (result.succeeded()) {
                Responses.json(ctx, result.result());
            } else {
                Responses.error(ctx, result.cause());
            }
        });
    }

    private void putMode(RoutingContext ctx) {
        JsonObject body = SchemaRequest.body(ctx);
        String mode = body.getString("mode");
        if (!"READWRITE".equalsIgnoreCase(mode)) {
            throw ErrorCode.INVALID_MODE.exception(mode);
        }
        Responses.json(ctx, new JsonObject().put("mode", "READWRITE"));
    }

    private static void compatibility(RoutingContext ctx, SchemaRegistry registry, String version) {
        JsonObject body = SchemaRequest.body(ctx);
        boolean verbose = flag(ctx, "verbose");
        SchemaRegistry.CompatibilityResult result = registry.testCompatibility(
                subject(ctx), version, SchemaRequest.schema(body), SchemaRequest.schemaType(body), verbose);
        JsonObject json = new JsonObject().put("is_compatible", result.compatible());
        if (verbose) {
            json.put("messages", new JsonArray(List.copyOf(result.messages())));
        }
        Responses.json(ctx, json);
    }

    private static JsonObject versionJson(SchemaVersion v) {
        return new JsonObject()
                .put("subject", v.subject())
                .put("version", v.version())
                .put("id", v.id())
                .put("schema", v.schema());
    }

    private static JsonObject level(String mode) {
        return new JsonObject().put("compatibilityLevel", mode);
    }

    private static String subject(RoutingContext ctx) {
        return ctx.pathParam("subject");
    }

    private static int schemaId(RoutingContext ctx) {
        String text = ctx.pathParam("id");
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ErrorCode.SCHEMA_ID_NOT_FOUND.exception(text);
        }
    }

    private static boolean flag(RoutingContext ctx, String name) {
        return "true".equalsIgnoreCase(ctx.queryParams().get(name));
    }
}
