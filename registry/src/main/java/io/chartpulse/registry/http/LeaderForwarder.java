package io.chartpulse.registry.http;

import io.chartpulse.registry.core.ErrorCode;
import io.chartpulse.registry.core.SchemaRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Sends a write that reached an instance which is not the writer on to the writer announced in the store, and
 * relays its answer unchanged. A request that was already forwarded once is refused instead of bouncing.
 */
final class LeaderForwarder {

    static final String FORWARDED_HEADER = "X-ChartPulse-Forwarded";

    private final Vertx vertx;
    private final SchemaRegistry registry;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    LeaderForwarder(Vertx vertx, SchemaRegistry registry) {
        this.vertx = vertx;
        this.registry = registry;
    }

    void forward(RoutingContext ctx) {
        String leader = registry.leaderUrl().orElse(null);
        if (leader == null || ctx.request().getHeader(FORWARDED_HEADER) != null) {
            Responses.error(
                    ctx,
                    ErrorCode.NOT_LEADER,
                    ErrorCode.NOT_LEADER
                            .exception(
                                    leader == null
                                            ? "no writer has announced itself"
                                            : "the request was already forwarded once")
                            .getMessage());
            return;
        }
        String body = ctx.body() == null || ctx.body().buffer() == null
                ? ""
                : ctx.body().asString();
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(leader + ctx.request().uri()))
                .timeout(Duration.ofSeconds(30))
                .header(FORWARDED_HEADER, "1")
                .header("Content-Type", Responses.CONTENT_TYPE)
                .method(ctx.request().method().name(), HttpRequest.BodyPublishers.ofString(body));
        String auth = ctx.request().getHeader("Authorization");
        if (auth != null) {
            request.header("Authorization", auth);
        }
        Future.fromCompletionStage(
                        client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()),
                        vertx.getOrCreateContext())
                .onComplete(result -> {
                    if (result.succeeded()) {
                        HttpResponse<String> response = result.result();
                        ctx.response()
                                .setStatusCode(response.statusCode())
                                .putHeader("Content-Type", Responses.CONTENT_TYPE)
                                .end(response.body());
                    } else {
                        Responses.error(
                                ctx,
                                ErrorCode.FORWARDING_ERROR,
                                ErrorCode.FORWARDING_ERROR
                                        .exception(leader + " did not answer")
                                        .getMessage());
                    }
                });
    }
}
