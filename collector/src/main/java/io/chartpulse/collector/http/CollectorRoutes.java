package io.chartpulse.collector.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chartpulse.collector.CollectorConfig;
import io.chartpulse.collector.CollectorMetrics;
import io.chartpulse.collector.kafka.ErasureList;
import io.chartpulse.collector.kafka.EventProducer;
import io.chartpulse.collector.limits.ClientAddress;
import io.chartpulse.collector.limits.RateLimiter;
import io.chartpulse.collector.mapping.QueryEvent;
import io.chartpulse.collector.mapping.ServerFields;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's HTTP surface. {@code POST <prefix>/events} takes a batch; the answer comes only after Kafka
 * acknowledged every record of it: {@code 200 {"accepted": n, "rejected": [{"index", "code", "message"}]}}.
 * Everything runs on the event loop; nothing in the request path blocks (see {@link EventProducer}).
 */
public final class CollectorRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(CollectorRoutes.class);
    private static final byte[] GIF =
            Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private final Vertx vertx;
    private final CollectorConfig config;
    private final CollectorMetrics metrics;
    private final EventProducer producer;
    private final BatchProcessor processor;
    private final ClientAddress addresses;
    private final RateLimiter rateLimiter;
    private final Cors cors;
    private final BooleanSupplier prepared;
    private final int maxBody;
    private final int maxEvents;
    private final int maxInFlight;
    private final long produceTimeout;
    private final int retryAfter;
    private final String countryHeader;

    public CollectorRoutes(
            Vertx vertx,
            CollectorConfig config,
            CollectorMetrics metrics,
            EventProducer producer,
            ClientAddress addresses,
            RateLimiter rateLimiter,
            BooleanSupplier prepared,
            ErasureList erasures) {
        this.vertx = vertx;
        this.config = config;
        this.metrics = metrics;
        this.producer = producer;
        this.processor = new BatchProcessor(
                producer,
                config.getInt(CollectorConfig.MAX_EVENT_BYTES_CONFIG),
                config.getInt(CollectorConfig.MAX_EVENTS_CONFIG),
                erasures);
        this.addresses = addresses;
        this.rateLimiter = rateLimiter;
        this.cors = new Cors(config.corsOrigins());
        this.prepared = prepared;
        this.maxBody = config.getInt(CollectorConfig.MAX_BODY_BYTES_CONFIG);
        this.maxEvents = config.getInt(CollectorConfig.MAX_EVENTS_CONFIG);
        this.maxInFlight = config.getInt(CollectorConfig.MAX_IN_FLIGHT_CONFIG);
        this.produceTimeout = config.getInt(CollectorConfig.PRODUCE_TIMEOUT_CONFIG);
        this.retryAfter = config.getInt(CollectorConfig.RETRY_AFTER_CONFIG);
        this.countryHeader = config.getString(CollectorConfig.COUNTRY_HEADER_CONFIG);
    }

    /** Builds the router, with health and metrics endpoints at the root. */
    public Router router(BooleanSupplier ready) {
        String prefix = config.getString(CollectorConfig.PATH_PREFIX_CONFIG);
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            ctx.addEndHandler(done -> metrics.request(ctx.response().getStatusCode()));
            ctx.next();
        });
        router.options(prefix + "/events").handler(this::preflight);
        router.post(prefix + "/events").handler(this::admit);
        router.post(prefix + "/events").handler(BodyHandler.create(false).setBodyLimit(maxBody));
        router.post(prefix + "/events").handler(this::events);
        if (config.getBoolean(CollectorConfig.PIXEL_ENABLED_CONFIG)) {
            router.get(prefix + "/p.gif").handler(this::pixel);
        }
        router.get("/healthz").handler(ctx -> json(ctx, 200, Map.of("status", "UP")));
        router.get("/readyz").handler(ctx -> {
            boolean ok = ready.getAsBoolean();
            json(ctx, ok ? 200 : 503, Map.of("status", ok ? "READY" : "NOT_READY"));
        });
        router.get("/metrics")
                .handler(ctx -> ctx.response()
                        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(metrics.registry().scrape()));
        router.route()
                .last()
                .handler(ctx -> ErrorBody.send(
                        ctx,
                        404,
                        "not_found",
                        "no such endpoint: " + ctx.request().method() + " "
                                + ctx.request().path()));
        router.errorHandler(405, ctx -> ErrorBody.send(ctx, 405, "method_not_allowed", "method not allowed here"));
        router.errorHandler(
                413,
                ctx -> ErrorBody.send(ctx, 413, "payload_too_large", "the body is larger than " + maxBody + " bytes"));
        router.errorHandler(500, ctx -> {
            LOG.error(
                    "Unexpected failure on {} {}",
                    ctx.request().method(),
                    ctx.request().path(),
                    ctx.failure());
            ErrorBody.send(ctx, 500, "internal_error", "the collector failed to handle the request");
        });
        return router;
    }

    private void preflight(RoutingContext ctx) {
        String origin = ctx.request().getHeader("Origin");
        if (!cors.allows(origin)) {
            ErrorBody.send(ctx, 403, "origin_not_allowed", "origin " + origin + " may not post events here");
            return;
        }
        cors.preflight(ctx.response(), origin);
        ctx.response().setStatusCode(204).end();
    }

    // Cheap checks before the body is read: origin, content type and encoding, readiness, load.
    private void admit(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String origin = request.getHeader("Origin");
        if (!cors.allows(origin)) {
            ErrorBody.send(ctx, 403, "origin_not_allowed", "origin " + origin + " may not post events here");
            return;
        }
        cors.decorate(ctx.response(), origin);
        String type = request.getHeader("Content-Type");
        String bare = type == null ? null : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (bare != null && !bare.equals("application/json") && !bare.equals("text/plain")) {
            ErrorBody.send(
                    ctx,
                    415,
                    "unsupported_media_type",
                    "Content-Type " + bare + " is not accepted; send application/json or text/plain;charset=UTF-8");
            return;
        }
        String encoding = request.getHeader("Content-Encoding");
        if (encoding != null && !encoding.equalsIgnoreCase("gzip") && !encoding.equalsIgnoreCase("identity")) {
            ErrorBody.send(
                    ctx,
                    415,
                    "unsupported_encoding",
                    "Content-Encoding " + encoding + " is not accepted; send gzip or none");
            return;
        }
        if (!prepared.getAsBoolean()) {
            ErrorBody.send(
                    ctx,
                    503,
                    "unavailable",
                    "the collector is starting or cannot reach the schema registry",
                    retryAfter);
            return;
        }
        if (metrics.inFlight().get() >= maxInFlight) {
            ErrorBody.send(ctx, 503, "overloaded", "too many requests are waiting for Kafka", retryAfter);
            return;
        }
        ctx.next();
    }

    private void events(RoutingContext ctx) {
        long started = System.nanoTime();
        byte[] body =
                ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        BatchProcessor.Origin origin = origin(ctx);
        BatchProcessor.Outcome outcome;
        try {
            if ("gzip".equalsIgnoreCase(ctx.request().getHeader("Content-Encoding"))) {
                body = BatchReader.gunzip(body, maxBody);
            }
            outcome = processor.process(body, origin);
        } catch (BatchReader.MalformedBatch e) {
            ErrorBody.send(ctx, 400, "malformed_batch", e.getMessage());
            return;
        } catch (BatchReader.TooLarge e) {
            ErrorBody.send(ctx, 413, "payload_too_large", e.getMessage());
            return;
        }
        int events =
                outcome.accepted() + outcome.erased() + outcome.rejections().size();
        long wait = rateLimiter.tryAcquire(clientIp(ctx), Math.max(1, events));
        if (wait > 0) {
            ErrorBody.send(
                    ctx, 429, "rate_limited", "this client sent too many events; retry after " + wait + " s", wait);
            return;
        }
        send(ctx, outcome, started, () -> {
            if (outcome.rejections().isEmpty()) {
                // The common answer, written without a serializer.
                ctx.response()
                        .setStatusCode(200)
                        .putHeader("Content-Type", "application/json")
                        .end("{\"accepted\":" + (outcome.accepted() + outcome.erased()) + ",\"rejected\":[]}");
                return;
            }
            List<Map<String, Object>> rejected =
                    new ArrayList<>(outcome.rejections().size());
            for (BatchProcessor.Rejection r : outcome.rejections()) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("index", r.index());
                item.put("code", r.code());
                item.put("message", r.message());
                rejected.add(item);
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("accepted", outcome.accepted() + outcome.erased());
            answer.put("rejected", rejected);
            json(ctx, 200, answer);
        });
    }

    private void pixel(RoutingContext ctx) {
        if (!prepared.getAsBoolean()) {
            ErrorBody.send(ctx, 503, "unavailable", "the collector is starting", retryAfter);
            return;
        }
        long started = System.nanoTime();
        Map<String, String> params = new LinkedHashMap<>();
        ctx.queryParams().forEach(params::putIfAbsent);
        BatchProcessor.Origin origin = origin(ctx);
        if (rateLimiter.tryAcquire(clientIp(ctx), 1) > 0) {
            gif(ctx, "rate_limited");
            return;
        }
        ObjectNode event =
                QueryEvent.toJson(producer.rawSchema(), params, origin.server().receivedAt());
        BatchProcessor.Outcome outcome;
        try {
            outcome = processor.process(("[" + ErrorBody.encode(event) + "]").getBytes(StandardCharsets.UTF_8), origin);
        } catch (BatchReader.MalformedBatch | BatchReader.TooLarge e) {
            gif(ctx, "malformed_batch");
            return;
        }
        send(
                ctx,
                outcome,
                started,
                () -> gif(
                        ctx,
                        outcome.rejections().isEmpty()
                                ? null
                                : outcome.rejections().get(0).code()));
    }

    private void send(RoutingContext ctx, BatchProcessor.Outcome outcome, long started, Runnable onAcknowledged) {
        Context context = vertx.getOrCreateContext();
        AtomicBoolean answered = new AtomicBoolean();
        metrics.inFlight().incrementAndGet();
        long timer = vertx.setTimer(produceTimeout, id -> {
            if (answered.compareAndSet(false, true)) {
                metrics.inFlight().decrementAndGet();
                ErrorBody.send(
                        ctx,
                        503,
                        "kafka_unavailable",
                        "Kafka did not acknowledge the events in time; "
                                + "retry the whole batch (events are deduplicated by event_id)",
                        retryAfter);
            }
        });
        producer.sendAll(
                outcome.records(),
                failure -> context.runOnContext(v -> {
                    if (!answered.compareAndSet(false, true)) {
                        return;
                    }
                    vertx.cancelTimer(timer);
                    metrics.inFlight().decrementAndGet();
                    if (failure != null) {
                        LOG.warn(
                                "Kafka refused a batch of {} records: {}",
                                outcome.records().size(),
                                failure.toString());
                        ErrorBody.send(
                                ctx,
                                503,
                                "kafka_unavailable",
                                "Kafka is not accepting events right now; retry the "
                                        + "whole batch (events are deduplicated by event_id)",
                                retryAfter);
                        return;
                    }
                    metrics.batch(outcome.accepted() + outcome.rejections().size(), System.nanoTime() - started);
                    metrics.accepted(outcome.accepted());
                    metrics.erased(outcome.erased());
                    outcome.rejections().forEach(r -> metrics.rejected(r.code()));
                    onAcknowledged.run();
                }));
    }

    private BatchProcessor.Origin origin(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String country = countryHeader.isEmpty() ? null : request.getHeader(countryHeader);
        if (country != null && !country.matches("[A-Za-z]{2}")) {
            country = null;
        }
        ServerFields server = new ServerFields(
                System.currentTimeMillis(),
                addresses.anonymize(clientIp(ctx)),
                country == null ? null : country.toUpperCase(Locale.ROOT),
                request.getHeader("User-Agent"));
        return new BatchProcessor.Origin(server, request.getHeader("Origin"));
    }

    private String clientIp(RoutingContext ctx) {
        String socket = ctx.request().remoteAddress() == null
                ? null
                : ctx.request().remoteAddress().hostAddress();
        return addresses.clientIp(socket, ctx.request().getHeader("X-Forwarded-For"));
    }

    private static void gif(RoutingContext ctx, String rejectionCode) {
        if (rejectionCode != null) {
            ctx.response().putHeader("X-ChartPulse-Rejected", rejectionCode);
        }
        ctx.response()
                .putHeader("Content-Type", "image/gif")
                .putHeader("Cache-Control", "no-store")
                .end(Buffer.buffer(GIF));
    }

    private static void json(RoutingContext ctx, int status, Object body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(ErrorBody.encode(body));
    }
}
