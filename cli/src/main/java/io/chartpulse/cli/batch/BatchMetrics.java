package io.chartpulse.cli.batch;

import io.chartpulse.batch.Interval;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * What a batch run tells Prometheus, through a Pushgateway (a batch job is gone before any scrape): each run's outcome
 * and time, and on success the end of the newest interval the step has completed, which the batch SLA alerts compare
 * with the clock. Pushed with POST to {@code <gateway>/metrics/job/chartpulse_batch/step/<step>/grain/<grain>}, so a
 * failed run replaces its outcome and time but leaves the newest completed interval as the last success pushed it.
 *
 * <pre>
 * chartpulse_batch_last_run_timestamp_seconds{step,grain}      when the run ended
 * chartpulse_batch_last_run_ok{step,grain}                     1 when it succeeded, 0 when it failed
 * chartpulse_batch_completed_interval_end_seconds{step,grain}  end of the newest interval completed (success only)
 * </pre>
 *
 * <p>A push that fails is reported on stderr and does not change the run's exit code: the run's work is done, and a
 * missing push shows in Prometheus as a run that did not happen, which the SLA alert catches.
 */
final class BatchMetrics {

    /** The Pushgateway's job label of every batch push. */
    static final String JOB = "chartpulse_batch";

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String gateway;
    private final PrintWriter err;

    /** @param gateway the Pushgateway's base URL, or null/empty to push nothing */
    BatchMetrics(String gateway, PrintWriter err) {
        this.gateway = gateway == null || gateway.isBlank() ? null : gateway.replaceAll("/+$", "");
        this.err = err;
    }

    /**
     * Pushes a run's outcome.
     *
     * @param newestCompleted the end of the newest interval the step has completed (success only; empty to leave it)
     */
    void push(String step, Interval.Grain grain, Instant endedAt, boolean ok, Optional<Instant> newestCompleted) {
        if (gateway == null) {
            return;
        }
        StringBuilder body = new StringBuilder();
        line(
                body,
                "chartpulse_batch_last_run_timestamp_seconds",
                "When the batch step's last run ended.",
                seconds(endedAt));
        line(
                body,
                "chartpulse_batch_last_run_ok",
                "1 when the batch step's last run succeeded, 0 when it failed.",
                ok ? "1" : "0");
        if (ok) {
            newestCompleted.ifPresent(end -> line(
                    body,
                    "chartpulse_batch_completed_interval_end_seconds",
                    "End of the newest interval the batch step has completed.",
                    seconds(end)));
        }
        URI uri = URI.create(
                gateway + "/metrics/job/" + JOB + "/step/" + encode(step) + "/grain/" + encode(grain.label()));
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "text/plain; version=0.0.4")
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                warn(
                        uri,
                        "answered " + response.statusCode() + " "
                                + response.body().strip());
            }
        } catch (IOException e) {
            warn(uri, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            warn(uri, "interrupted");
        }
    }

    private void warn(URI uri, String why) {
        err.printf("warning: could not push the run's metrics to %s: %s%n", uri, why);
        err.flush();
    }

    private static void line(StringBuilder body, String name, String help, String value) {
        body.append("# HELP ").append(name).append(' ').append(help).append('\n');
        body.append("# TYPE ").append(name).append(" gauge\n");
        body.append(name).append(' ').append(value).append('\n');
    }

    private static String seconds(Instant at) {
        return String.format(Locale.ROOT, "%.3f", at.toEpochMilli() / 1000.0);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
