package io.chartpulse.cli.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chartpulse.cli.ChartPulseCli;
import io.chartpulse.cli.ChartPulseCli.CliException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** The Kafka Connect REST calls the commands make, with errors turned into clear messages and exit codes. */
final class ConnectClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final String authorization;
    private final Duration timeout;
    private final HttpClient http;

    ConnectClient(String url, String user, String password, Duration timeout) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.authorization = user == null
                ? null
                : "Basic "
                        + Base64.getEncoder()
                                .encodeToString((user + ":" + (password == null ? "" : password))
                                        .getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
    }

    /**
     * The response body as JSON (null for an empty body); 404 gives null too when {@code missingOk}. While the worker
     * group rebalances (after a connector is created or changed) Connect answers 409 or 500 "rebalance"; such a
     * request is retried with backoff for up to the timeout.
     */
    JsonNode call(String method, String path, Object body, boolean missingOk) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long wait = 100;
        while (true) {
            try {
                return once(method, path, body, missingOk);
            } catch (Rebalancing e) {
                if (System.nanoTime() + wait * 1_000_000 > deadline) {
                    throw new CliException(
                            ChartPulseCli.REMOTE_ERROR,
                            method + " " + path + " failed: Kafka Connect " + "kept rebalancing for "
                                    + timeout.toMillis() + " ms (--timeout): " + e.getMessage());
                }
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new CliException(ChartPulseCli.UNREACHABLE, "interrupted");
                }
                wait = Math.min(2000, wait * 2);
            }
        }
    }

    /** Connect's answer while its group rebalances: worth retrying. */
    private static final class Rebalancing extends RuntimeException {
        Rebalancing(String message) {
            super(message);
        }
    }

    private JsonNode once(String method, String path, Object body, boolean missingOk) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("Content-Type", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            request.method(
                    method,
                    body == null
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404 && missingOk) {
                return null;
            }
            if (response.statusCode() >= 400) {
                String message = response.body();
                try {
                    JsonNode error = JSON.readTree(response.body());
                    if (error != null && error.has("message")) {
                        message = error.get("message").asText();
                    }
                } catch (IOException notJson) {
                    // keep the raw body
                }
                if (response.statusCode() == 409
                        || (response.statusCode() >= 500
                                && message.toLowerCase(java.util.Locale.ROOT).contains("rebalanc"))) {
                    throw new Rebalancing("HTTP " + response.statusCode() + ": " + message);
                }
                if (response.statusCode() == 401 || response.statusCode() == 403) {
                    throw new CliException(
                            ChartPulseCli.REMOTE_ERROR,
                            "Kafka Connect at " + url + " refused the " + "credentials (HTTP " + response.statusCode()
                                    + "); check --user/--password");
                }
                throw new CliException(
                        ChartPulseCli.REMOTE_ERROR,
                        method + " " + path + " failed with HTTP " + response.statusCode() + ": " + message);
            }
            return response.body() == null || response.body().isBlank() ? null : JSON.readTree(response.body());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new CliException(
                    ChartPulseCli.UNREACHABLE,
                    "Cannot reach Kafka Connect at " + url + " ("
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                            + "). Is the worker running? Set --connect-url or CHARTPULSE_CONNECT_URL.");
        } catch (HttpTimeoutException e) {
            throw new CliException(
                    ChartPulseCli.UNREACHABLE,
                    "Kafka Connect at " + url + " did not answer " + method + " " + path + " within "
                            + timeout.toMillis() + " ms (--timeout)");
        } catch (IOException e) {
            throw new CliException(ChartPulseCli.UNREACHABLE, "Talking to Kafka Connect at " + url + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ChartPulseCli.UNREACHABLE, "interrupted");
        }
    }

    String url() {
        return url;
    }
}
