package io.chartpulse.streams.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chartpulse.avro.ChartEvent;
import io.chartpulse.config.ServiceMain;
import io.chartpulse.serde.avro.SpecificAvroSerde;
import io.chartpulse.streams.enrich.AgentPrefetch;
import io.chartpulse.streams.enrich.Agents;
import io.chartpulse.streams.enrich.Enrichers;
import io.chartpulse.streams.topology.ChartPulseTopology;
import io.chartpulse.streams.topology.DependencyGuard;
import io.chartpulse.streams.topology.TopologyCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runnable streams app: the topology in a KafkaStreams instance (exactly_once_v2 by default) and an HTTP API on
 * port 8084 — {@code /healthz}, {@code /readyz} (state RUNNING), {@code /metrics} (Kafka Streams metrics and the
 * topology's counters) and interactive queries over the chart-metrics store, asked of every instance
 * ({@code application.server}) and merged.
 */
public final class StreamsService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    // How long a thread that gave up waiting for a dependency pauses before it is replaced.
    private static final Duration OUTAGE_PAUSE = Duration.ofSeconds(2);

    /** The dashboard's period when a request names none, and the longest one: a day. */
    static final int DEFAULT_MINUTES = 30;

    static final int MAX_MINUTES = 24 * 60;
    /** The most products {@code /api/charts/{chart}/products} lists. */
    static final int MAX_PRODUCTS = 1000;
    /** "Current visitors": distinct visitors of the chart over the last five minutes. */
    static final Duration CURRENT_VISITORS = Duration.ofMinutes(5);
    /** Where the dashboard's built files are on the classpath (the dashboard module's jar), served at /dashboard/. */
    static final String DASHBOARD_ROOT = "io/chartpulse/dashboard";

    private final KafkaStreams streams;
    private final Duration retention;
    private final Vertx vertx;
    private final HttpServer http;
    private final HostInfo self;
    private final ChartQueries queries;
    private final DependencyGuard guard;
    private final AgentPrefetch prefetch;
    private final ThreadFailures failures;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3))
            .build();

    private StreamsService(StreamsAppConfig config) throws Exception {
        String host = config.getString(StreamsAppConfig.HOST_CONFIG);
        int port = ServiceMain.resolvePort(config.getInt(StreamsAppConfig.PORT_CONFIG));
        String advertised = config.getString(StreamsAppConfig.APPLICATION_SERVER_CONFIG);
        this.self = HostInfo.buildFromEndpoint(
                advertised.isBlank() ? ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + port : advertised);
        this.guard = new DependencyGuard(Duration.ofMillis(config.getLong(StreamsAppConfig.MAX_STALL_CONFIG)));
        this.failures = new ThreadFailures(
                config.getInt(StreamsAppConfig.MAX_REPLACEMENTS_CONFIG),
                Duration.ofMillis(config.getLong(StreamsAppConfig.REPLACEMENT_WINDOW_CONFIG)),
                OUTAGE_PAUSE);
        TopologyCounters counters = new TopologyCounters(guard);
        this.retention = config.topology().metricsRetention();
        StreamsBuilder builder = new StreamsBuilder();
        Agents agents = new Agents(Agents.DEFAULT_SIZE);
        ChartPulseTopology.build(
                builder, config.topology(), Enrichers.standard(agents), config.serdeConfig(), counters);
        Properties props = config.streamsProperties(self.host() + ":" + self.port());
        if (config.getBoolean(StreamsAppConfig.AGENT_PREFETCH_CONFIG)) {
            SpecificAvroSerde<ChartEvent> raw = new SpecificAvroSerde<>(ChartEvent.class);
            raw.configure(config.serdeConfig(), false);
            this.prefetch = new AgentPrefetch(
                    agents,
                    config.topology().rawTopic(),
                    raw.deserializer(),
                    config.getString(StreamsAppConfig.APPLICATION_ID_CONFIG));
            prefetch.install(props);
        } else {
            this.prefetch = null;
        }
        this.streams = new KafkaStreams(builder.build(), props);
        this.queries = new ChartQueries(streams);
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new KafkaStreamsMetrics(streams).bindTo(metrics);
        FunctionCounter.builder("chartpulse.streams.events.valid", counters, TopologyCounters::validCount)
                .register(metrics);
        FunctionCounter.builder("chartpulse.streams.events.duplicate", counters, TopologyCounters::duplicateCount)
                .register(metrics);
        FunctionCounter.builder("chartpulse.streams.events.bot", counters, TopologyCounters::botCount)
                .register(metrics);
        FunctionCounter.builder("chartpulse.streams.dropped", counters, TopologyCounters::erasedCount)
                .tag("reason", "erased")
                .tag("what", "events")
                .description("Events of a visitor whose erasure was requested: dropped, never enriched")
                .register(metrics);
        FunctionCounter.builder("chartpulse.streams.dropped", counters, TopologyCounters::erasedSessionCount)
                .tag("reason", "erased")
                .tag("what", "sessions")
                .description("Open sessions of an erased visitor: deleted from the store when due, never emitted")
                .register(metrics);
        FunctionCounter.builder("chartpulse.streams.catalog.miss", counters, TopologyCounters::catalogMissCount)
                .register(metrics);
        if (prefetch != null) {
            FunctionCounter.builder("chartpulse.streams.agents.prefetch.records", prefetch, AgentPrefetch::records)
                    .description(
                            "Raw records whose user agent the prefetch thread looked up ahead of the stream threads")
                    .register(metrics);
            FunctionCounter.builder("chartpulse.streams.agents.prefetch.parsed", prefetch, AgentPrefetch::parsed)
                    .description("New user-agent strings parsed by the prefetch thread (not by a stream thread)")
                    .register(metrics);
            FunctionCounter.builder(
                            "chartpulse.streams.agents.prefetch.passed.over", prefetch, AgentPrefetch::passedOver)
                    .description("Raw records not prefetched because the prefetch thread was behind")
                    .register(metrics);
        }
        FunctionCounter.builder("chartpulse.streams.late", counters, TopologyCounters::lateForMetricsCount)
                .tag("for", "metrics")
                .description("Inputs for a metric window already emitted (or past end + grace): left out of it")
                .register(metrics);
        FunctionCounter.builder("chartpulse.streams.late", counters, TopologyCounters::lateForSessionCount)
                .tag("for", "sessions")
                .description("Events for a session already emitted: left out of it")
                .register(metrics);
        FunctionTimer.builder(
                        "chartpulse.streams.enrich",
                        counters,
                        TopologyCounters::enrichCount,
                        TopologyCounters::enrichSeconds,
                        TimeUnit.SECONDS)
                .description("Time in the enrichment chain")
                .register(metrics);
        Gauge.builder(
                        "chartpulse.streams.newest.enriched.received",
                        counters,
                        TopologyCounters::newestEnrichedReceivedSeconds)
                .baseUnit("seconds")
                .description("received_at of the newest enriched event (epoch seconds): freshness")
                .register(metrics);
        Gauge.builder(
                        "chartpulse.streams.dependency.stalled",
                        guard,
                        g -> g.stalls().size())
                .description("Stream threads waiting now for an unreachable dependency (see /readyz)")
                .register(metrics);
        FunctionCounter.builder("chartpulse.streams.dependency.stalls", guard, DependencyGuard::stallCount)
                .description("Times a stream thread began to wait for an unreachable dependency")
                .register(metrics);
        FunctionCounter.builder("chartpulse.streams.thread.failures", failures, ThreadFailures::crashes)
                .tag("kind", "crash")
                .description("Stream threads that died of a failure other than a dependency outage")
                .register(metrics);
        FunctionCounter.builder("chartpulse.streams.thread.failures", failures, ThreadFailures::outages)
                .tag("kind", "dependency_outage")
                .description("Stream threads replaced after waiting out the stall limit for a dependency")
                .register(metrics);
        Gauge.builder("chartpulse.streams.running", streams, s -> s.state() == KafkaStreams.State.RUNNING ? 1 : 0)
                .register(metrics);
        this.vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.get("/healthz").handler(ctx -> {
            KafkaStreams.State state = streams.state();
            boolean alive = state != KafkaStreams.State.ERROR
                    && state != KafkaStreams.State.NOT_RUNNING
                    && state != KafkaStreams.State.PENDING_ERROR
                    && !failures.isExhausted();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("state", state.name());
            if (!alive && failures.last() != null) {
                body.put("last_failure", failures.last());
            }
            json(ctx, alive ? 200 : 503, body);
        });
        router.get("/readyz").handler(ctx -> {
            Map<String, DependencyGuard.Stall> stalls = guard.stalls();
            boolean ready = streams.state() == KafkaStreams.State.RUNNING && stalls.isEmpty();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("state", streams.state().name());
            if (!stalls.isEmpty()) {
                Map<String, Object> waiting = new TreeMap<>();
                stalls.forEach((thread, stall) -> waiting.put(
                        thread,
                        Map.of(
                                "dependency",
                                stall.dependency(),
                                "since",
                                stall.since().toString(),
                                "cause",
                                stall.cause())));
                body.put("stalled", waiting);
            }
            if (failures.last() != null) {
                body.put("last_failure", failures.last());
            }
            json(ctx, ready ? 200 : 503, body);
        });
        router.get("/metrics").handler(ctx -> {
            StringBuilder out = new StringBuilder(metrics.scrape());
            counters.rejectedByCode()
                    .forEach((code, n) -> out.append("chartpulse_streams_events_rejected_total{code=\"")
                            .append(code)
                            .append("\"} ")
                            .append(n)
                            .append('\n'));
            // Per chart, from the final one-minute windows (people only): what the engagement dashboard graphs and
            // the anomaly alerts compare with last week, with the chart's site (from the catalog) for the per-site
            // ones.
            String[] names = {
                "chartpulse_chart_impressions_total",
                "chartpulse_chart_clicks_total",
                "chartpulse_chart_outbound_clicks_total"
            };
            counters.chartTotals().forEach((chart, totals) -> {
                for (int i = 0; i < names.length; i++) {
                    out.append(names[i])
                            .append("{chart_id=\"")
                            .append(label(chart))
                            .append("\",site_id=\"")
                            .append(label(counters.site(chart)))
                            .append("\"} ")
                            .append(totals[i])
                            .append('\n');
                }
            });
            ctx.response()
                    .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(out.toString());
        });
        router.get("/internal/charts/:chart/rows")
                .handler(ctx -> local(ctx, () -> queries.rows(ctx.pathParam("chart"), from(ctx), to(ctx))));
        router.get("/internal/charts").handler(ctx -> local(ctx, () -> queries.charts(from(ctx), to(ctx))));
        router.get("/api/charts/:chart/metrics")
                .handler(ctx ->
                        gather(ctx, "/internal/charts/" + encode(ctx.pathParam("chart")) + "/rows", rows -> rows));
        router.get("/internal/charts/:chart/visitors")
                .handler(ctx -> local(ctx, () -> queries.visitors(ctx.pathParam("chart"), from(ctx), to(ctx))));
        router.get("/internal/pipeline")
                .handler(ctx -> local(ctx, () -> DashboardQueries.minuteRows(counters.minutes(), from(ctx), to(ctx))));
        router.get("/api/charts/:chart/top-products").handler(ctx -> products(ctx, "ctr", 60, 10));
        router.get("/api/charts/:chart/products")
                .handler(ctx -> products(ctx, "impressions", DEFAULT_MINUTES, MAX_PRODUCTS));
        router.get("/api/charts/:chart/summary")
                .handler(ctx -> answer(ctx, () -> {
                    long[] range = lastMinutes(ctx);
                    long span = range[1] - range[0];
                    long now = range[1];
                    String chart = ctx.pathParam("chart");
                    // The previous period only when the store still holds all of it.
                    boolean previousKept = 2 * span <= retention.toMillis();
                    List<Map<String, Object>> rows =
                            asRows(chartRows(ctx, previousKept ? now - 2 * span : now - span, now));
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("chart_id", chart);
                    body.put("minutes", span / DashboardQueries.MINUTE_MS);
                    body.put("visitors_5m", visitors(chart, now - CURRENT_VISITORS.toMillis(), now));
                    body.put(
                            "current",
                            DashboardQueries.totals(rows, now - span, now, visitors(chart, now - span, now)));
                    body.put(
                            "previous",
                            previousKept
                                    ? DashboardQueries.totals(
                                            rows,
                                            now - 2 * span,
                                            now - span,
                                            visitors(chart, now - 2 * span, now - span))
                                    : null);
                    return body;
                }));
        router.get("/api/charts/:chart/series")
                .handler(ctx -> answer(ctx, () -> {
                    long[] range = lastMinutes(ctx);
                    return DashboardQueries.series(asRows(chartRows(ctx, range[0], range[1])), range[0], range[1]);
                }));
        router.get("/api/charts/:chart/ranks")
                .handler(ctx -> answer(ctx, () -> {
                    long[] range = lastMinutes(ctx);
                    return DashboardQueries.ranks(asRows(chartRows(ctx, range[0], range[1])));
                }));
        router.get("/api/charts/:chart/merchants")
                .handler(ctx -> answer(ctx, () -> {
                    long[] range = lastMinutes(ctx);
                    return DashboardQueries.merchants(asRows(chartRows(ctx, range[0], range[1])));
                }));
        router.get("/api/pipeline")
                .handler(ctx -> answer(ctx, () -> {
                    long[] range = lastMinutes(ctx);
                    long span = range[1] - range[0];
                    List<Object> minutes = askAll("/internal/pipeline?from=" + (range[0] - span) + "&to=" + range[1]);
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("minutes", span / DashboardQueries.MINUTE_MS);
                    body.put("current", DashboardQueries.pipeline(minutes, range[0], range[1]));
                    body.put("previous", DashboardQueries.pipeline(minutes, range[0] - span, range[0]));
                    return body;
                }));
        // Exactly /dashboard (a plain route would match /dashboard/ too and redirect it to itself).
        router.routeWithRegex("^/dashboard$").handler(ctx -> ctx.redirect("/dashboard/"));
        router.route("/dashboard/*")
                .handler(StaticHandler.create(DASHBOARD_ROOT)
                        .setCachingEnabled(false)
                        .setIndexPage("index.html"));
        router.get("/api/charts")
                .handler(ctx -> gather(
                        ctx,
                        "/internal/charts",
                        charts -> charts.stream()
                                .distinct()
                                .sorted((a, b) -> a.toString().compareTo(b.toString()))
                                .toList()));
        this.http = vertx.createHttpServer(
                        new HttpServerOptions().setHost(host).setPort(port).setHttp2ClearTextEnabled(false))
                .requestHandler(router)
                .listen()
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        streams.setUncaughtExceptionHandler(failures);
        streams.start();
        LOG.info("Streams app {} started; HTTP on {}", config.getString(StreamsAppConfig.APPLICATION_ID_CONFIG), self);
    }

    public static StreamsService start(StreamsAppConfig config) {
        try {
            return new StreamsService(config);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the streams app: " + e.getMessage(), e);
        }
    }

    public KafkaStreams streams() {
        return streams;
    }

    public String url() {
        return "http://" + self.host() + ":" + self.port();
    }

    private static long from(RoutingContext ctx) {
        return ChartQueries.time(ctx.queryParams().get("from"), 0);
    }

    private static long to(RoutingContext ctx) {
        return ChartQueries.time(ctx.queryParams().get("to"), Long.MAX_VALUE);
    }

    private void local(RoutingContext ctx, Supplier<List<?>> read) {
        try {
            json(ctx, 200, read.get());
        } catch (DateTimeParseException e) {
            json(
                    ctx,
                    400,
                    Map.of(
                            "error",
                            Map.of(
                                    "code",
                                    "invalid_time",
                                    "message",
                                    "from and to are epoch milliseconds or ISO-8601 instants")));
        } catch (InvalidStateStoreException e) {
            json(ctx, 503, Map.of("error", Map.of("code", "not_ready", "message", "the stores are being restored")));
        }
    }

    // Asks every instance (this one included) for its rows and merges them, off the event loop.
    private void gather(RoutingContext ctx, String path, Function<List<Object>, List<?>> shape) {
        String query = ctx.request().query();
        String suffix = query == null ? "" : (path.contains("?") ? "&" : "?") + query;
        answer(ctx, () -> shape.apply(askAll(path + suffix)));
    }

    // The merged answers of every instance (this one included) to pathAndQuery; blocking.
    private List<Object> askAll(String pathAndQuery) throws Exception {
        List<Object> merged = new ArrayList<>();
        for (StreamsMetadata instance : streams.metadataForAllStreamsClients()) {
            HostInfo host = instance.hostInfo();
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(host + " answered " + response.statusCode() + ": " + response.body());
            }
            merged.addAll(JSON.readValue(response.body(), new TypeReference<List<Object>>() {}));
        }
        return merged;
    }

    // The rows of the chart of the request, window start in [from, to), from every instance.
    private List<Object> chartRows(RoutingContext ctx, long from, long to) throws Exception {
        return askAll("/internal/charts/" + encode(ctx.pathParam("chart")) + "/rows?from=" + from + "&to=" + to);
    }

    // Distinct visitors of the chart's own windows with start in [from, to): the union of every instance's sketch.
    private long visitors(String chart, long from, long to) throws Exception {
        return ChartQueries.unionEstimate(
                askAll("/internal/charts/" + encode(chart) + "/visitors?from=" + from + "&to=" + to));
    }

    /** A Prometheus label value: backslash, double quote and newline escaped. */
    static String label(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A request the API refuses, with the code and message of its 400 answer. */
    static final class BadRequest extends RuntimeException {
        final String code;

        BadRequest(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    // Answers with what compute returns, computed off the event loop: 400 for a BadRequest, 503 when an instance
    // did not answer.
    private void answer(RoutingContext ctx, Callable<Object> compute) {
        vertx.executeBlocking(compute, false).onComplete(done -> {
            if (done.succeeded()) {
                json(ctx, 200, done.result());
            } else if (done.cause() instanceof BadRequest bad) {
                json(ctx, 400, Map.of("error", Map.of("code", bad.code, "message", bad.getMessage())));
            } else {
                LOG.warn(
                        "Interactive query {} failed: {}",
                        ctx.request().path(),
                        done.cause().toString());
                json(
                        ctx,
                        503,
                        Map.of(
                                "error",
                                Map.of(
                                        "code",
                                        "query_failed",
                                        "message",
                                        "an instance did not answer; retry shortly")));
            }
        });
    }

    // The chart's products of the request's period, summed, best first by its `by`, at most limit of them.
    private void products(RoutingContext ctx, String defaultOrder, int defaultMinutes, int limit) {
        String by = parameter(ctx, "by", defaultOrder);
        answer(ctx, () -> {
            if (!ChartQueries.PRODUCT_ORDERS.contains(by)) {
                throw new BadRequest("invalid_order", "by is one of " + ChartQueries.PRODUCT_ORDERS + ", not " + by);
            }
            long[] range = lastMinutes(ctx, defaultMinutes);
            return ChartQueries.topProducts(asRows(chartRows(ctx, range[0], range[1])), by, limit);
        });
    }

    private static String parameter(RoutingContext ctx, String name, String fallback) {
        String value = ctx.queryParams().get(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /**
     * [now - minutes, now) of the request's {@code minutes} (default {@value #DEFAULT_MINUTES}, at most a day), as
     * epoch ms; "now" is rounded up to the next whole minute so the current, open minute is inside.
     */
    private static long[] lastMinutes(RoutingContext ctx) {
        return lastMinutes(ctx, DEFAULT_MINUTES);
    }

    private static long[] lastMinutes(RoutingContext ctx, int defaultMinutes) {
        String text = parameter(ctx, "minutes", Integer.toString(defaultMinutes));
        int minutes;
        try {
            minutes = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            minutes = -1;
        }
        if (minutes < 1 || minutes > MAX_MINUTES) {
            throw new BadRequest(
                    "invalid_minutes", "minutes is a whole number from 1 to " + MAX_MINUTES + ", not " + text);
        }
        long now = System.currentTimeMillis();
        long end = now - Math.floorMod(now, DashboardQueries.MINUTE_MS) + DashboardQueries.MINUTE_MS;
        return new long[] {end - minutes * DashboardQueries.MINUTE_MS, end};
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> asRows(List<Object> rows) {
        return rows.stream().map(r -> (Map<String, Object>) r).toList();
    }

    private static void json(RoutingContext ctx, int status, Object body) {
        try {
            ctx.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .end(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            ctx.response().setStatusCode(500).end();
        }
    }

    @Override
    public void close() {
        guard.close();
        streams.close(Duration.ofSeconds(30));
        if (prefetch != null) {
            prefetch.close();
        }
        try {
            http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("HTTP did not stop cleanly", e);
        }
    }
}
