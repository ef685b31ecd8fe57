package io.chartpulse.cli.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chartpulse.cli.common.CliException;
import io.chartpulse.cli.common.ExitCode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Kafka Connect REST API as the commands use it: one typed method per call, errors turned into clear messages
 * and exit codes, connector names URL-encoded.
 */
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
    private JsonNode call(String method, String path, Object body, boolean missingOk) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long wait = 100;
        while (true) {
            try {
                return once(method, path, body, missingOk);
            } catch (Rebalancing e) {
                if (System.nanoTime() + wait * 1_000_000 > deadline) {
                    throw new CliException(
                            ExitCode.REMOTE_ERROR,
                            method + " " + path + " failed: Kafka Connect " + "kept rebalancing for "
                                    + timeout.toMillis() + " ms (--timeout): " + e.getMessage());
                }
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new CliException(ExitCode.UNREACHABLE, "interrupted");
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
                                && message.toLowerCase(Locale.ROOT).contains("rebalanc"))) {
                    throw new Rebalancing("HTTP " + response.statusCode() + ": " + message);
                }
                if (response.statusCode() == 401 || response.statusCode() == 403) {
                    throw new CliException(
                            ExitCode.REMOTE_ERROR,
                            "Kafka Connect at " + url + " refused the " + "credentials (HTTP " + response.statusCode()
                                    + "); check --user/--password");
                }
                throw new CliException(
                        ExitCode.REMOTE_ERROR,
                        method + " " + path + " failed with HTTP " + response.statusCode() + ": " + message);
            }
            return response.body() == null || response.body().isBlank() ? null : JSON.readTree(response.body());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new CliException(
                    ExitCode.UNREACHABLE,
                    "Cannot reach Kafka Connect at " + url + " ("
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                            + "). Is the worker running? Set --connect-url or CHARTPULSE_CONNECT_URL.");
        } catch (HttpTimeoutException e) {
            throw new CliException(
                    ExitCode.UNREACHABLE,
                    "Kafka Connect at " + url + " did not answer " + method + " " + path + " within "
                            + timeout.toMillis() + " ms (--timeout)");
        } catch (IOException e) {
            throw new CliException(ExitCode.UNREACHABLE, "Talking to Kafka Connect at " + url + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.UNREACHABLE, "interrupted");
        }
    }

    /** A connector's stored config, sorted by key; null when there is no such connector. */
    Map<String, String> config(String name) {
        JsonNode node = call("GET", connector(name) + "/config", null, true);
        if (node == null) {
            return null;
        }
        Map<String, String> config = new TreeMap<>();
        node.fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        return config;
    }

    /** One error Connect's validation found: the key and its message. */
    record ConfigError(String key, String message) {}

    /** What the worker's plugin says about {@code config}: every error, none when it is valid. */
    List<ConfigError> validate(String connectorClass, Map<String, String> config) {
        String plugin = connectorClass.substring(connectorClass.lastIndexOf('.') + 1);
        JsonNode result = call("PUT", "/connector-plugins/" + encode(plugin) + "/config/validate", config, false);
        List<ConfigError> errors = new ArrayList<>();
        for (JsonNode entry : result.path("configs")) {
            String key = entry.path("value").path("name").asText();
            entry.path("value").path("errors").forEach(error -> errors.add(new ConfigError(key, error.asText())));
        }
        return errors;
    }

    /** Creates the connector or replaces its config. */
    void put(String name, Map<String, String> config) {
        call("PUT", connector(name) + "/config", config, false);
    }

    /** The connectors' names, sorted. */
    List<String> names() {
        List<String> names = new ArrayList<>();
        call("GET", "/connectors", null, false).forEach(n -> names.add(n.asText()));
        names.sort(null);
        return names;
    }

    /** A task's or a connector's state, with its worker and, when FAILED, its trace ("" otherwise). */
    record State(String state, String workerId, String trace) {
        boolean failed() {
            return "FAILED".equals(state);
        }
    }

    /** A connector's status: its type, its own state and each task's (by task id). */
    record Status(String name, String type, State connector, Map<Integer, State> tasks) {}

    /** Every connector's status, sorted by name. */
    List<Status> statuses() {
        JsonNode all = call("GET", "/connectors?expand=status", null, false);
        List<Status> statuses = new ArrayList<>();
        all.fields().forEachRemaining(entry -> {
            JsonNode status = entry.getValue().path("status");
            Map<Integer, State> tasks = new TreeMap<>();
            status.path("tasks").forEach(task -> tasks.put(task.path("id").asInt(), state(task)));
            statuses.add(
                    new Status(entry.getKey(), status.path("type").asText(), state(status.path("connector")), tasks));
        });
        statuses.sort(Comparator.comparing(Status::name));
        return statuses;
    }

    private static State state(JsonNode node) {
        return new State(
                node.path("state").asText(),
                node.path("worker_id").asText(),
                node.path("trace").asText());
    }

    /** Restarts the connector and its tasks, or only those that FAILED. */
    void restart(String name, boolean onlyFailed) {
        call("POST", connector(name) + "/restart?includeTasks=true&onlyFailed=" + onlyFailed, null, false);
    }

    /** Pauses the connector: its tasks stop, its offsets stay. */
    void pause(String name) {
        call("PUT", connector(name) + "/pause", null, false);
    }

    /** Resumes a paused connector. */
    void resume(String name) {
        call("PUT", connector(name) + "/resume", null, false);
    }

    /** Deletes the connector (its committed offsets stay with its consumer group). */
    void delete(String name) {
        call("DELETE", connector(name), null, false);
    }

    private static String connector(String name) {
        return "/connectors/" + encode(name);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    String url() {
        return url;
    }
}
