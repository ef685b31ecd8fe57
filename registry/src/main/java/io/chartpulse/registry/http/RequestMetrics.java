package io.chartpulse.registry.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Times every request by method, matched route and status: {@code chartpulse_registry_http_requests_seconds}. */
final class RequestMetrics implements Handler<RoutingContext> {

    private final MeterRegistry metrics;

    RequestMetrics(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Timer.Sample sample = Timer.start(metrics);
        ctx.addEndHandler(done -> {
            String route = ctx.currentRoute() == null || ctx.currentRoute().getPath() == null
                    ? "unmatched"
                    : ctx.currentRoute().getPath();
            sample.stop(Timer.builder("chartpulse.registry.http.requests")
                    .description("Registry HTTP requests by method, route and status")
                    .tag("method", ctx.request().method().name())
                    .tag("route", route)
                    .tag("status", String.valueOf(ctx.response().getStatusCode()))
                    .register(metrics));
        });
        ctx.next();
    }
}
