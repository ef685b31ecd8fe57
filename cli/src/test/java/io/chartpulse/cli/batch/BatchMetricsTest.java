package io.chartpulse.cli.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.chartpulse.batch.Interval;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a batch run pushes, as a Pushgateway receives it (a JDK HTTP server recording the requests). */
class BatchMetricsTest {

    record Push(String method, String path, String contentType, String body) {}

    private final List<Push> pushes = new CopyOnWriteArrayList<>();
    private HttpServer gateway;
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws Exception {
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext("/", exchange -> {
            pushes.add(new Push(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            int status = exchange.getRequestURI().getPath().contains("refused") ? 400 : 200;
            byte[] answer = status == 200 ? new byte[0] : "bad grouping key".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        gateway.start();
    }

    @AfterEach
    void stop() {
        gateway.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + gateway.getAddress().getPort() + "/";
    }

    @Test
    void aSuccessfulRunPushesItsOutcomeTimeAndTheNewestCompletedInterval() {
        new BatchMetrics(url(), new PrintWriter(err))
                .push(
                        "rollup",
                        Interval.Grain.DAY,
                        Instant.parse("2026-12-02T06:30:00Z"),
                        true,
                        Optional.of(Interval.parse("2026-12-01").end()));

        assertThat(pushes).hasSize(1);
        Push push = pushes.get(0);
        assertThat(push.method()).isEqualTo("POST");
        assertThat(push.path()).isEqualTo("/metrics/job/chartpulse_batch/step/rollup/grain/day");
        assertThat(push.contentType()).startsWith("text/plain; version=0.0.4");
        assertThat(push.body())
                .contains("# TYPE chartpulse_batch_last_run_ok gauge\nchartpulse_batch_last_run_ok 1\n")
                .contains("chartpulse_batch_last_run_timestamp_seconds 1796193000.000\n")
                .contains("chartpulse_batch_completed_interval_end_seconds 1796169600.000\n");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aFailedRunPushesItsOutcomeAndLeavesTheNewestCompletedIntervalAlone() {
        new BatchMetrics(url(), new PrintWriter(err))
                .push(
                        "reconcile",
                        Interval.Grain.HOUR,
                        Instant.parse("2026-12-02T06:30:00Z"),
                        false,
                        Optional.of(Instant.parse("2026-12-02T00:00:00Z")));

        assertThat(pushes).singleElement().satisfies(push -> {
            assertThat(push.path()).isEqualTo("/metrics/job/chartpulse_batch/step/reconcile/grain/hour");
            assertThat(push.body())
                    .contains("chartpulse_batch_last_run_ok 0\n")
                    .doesNotContain("chartpulse_batch_completed_interval_end_seconds");
        });
    }

    @Test
    void aGatewayThatRefusesOrIsDownIsAWarningNotAFailure() {
        new BatchMetrics(url() + "refused", new PrintWriter(err))
                .push("rollup", Interval.Grain.DAY, Instant.now(), true, Optional.empty());
        assertThat(err.toString())
                .contains("warning: could not push the run's metrics to http://127.0.0.1:")
                .contains("answered 400 bad grouping key");

        gateway.stop(0);
        StringWriter down = new StringWriter();
        new BatchMetrics(url(), new PrintWriter(down))
                .push("rollup", Interval.Grain.DAY, Instant.now(), true, Optional.empty());
        assertThat(down.toString()).contains("warning: could not push the run's metrics");
    }

    @Test
    void withoutAGatewayNothingIsPushed() {
        new BatchMetrics("", new PrintWriter(err))
                .push("rollup", Interval.Grain.DAY, Instant.now(), true, Optional.empty());
        new BatchMetrics(null, new PrintWriter(err))
                .push("rollup", Interval.Grain.DAY, Instant.now(), true, Optional.empty());
        assertThat(pushes).isEmpty();
        assertThat(err.toString()).isEmpty();
    }
}
