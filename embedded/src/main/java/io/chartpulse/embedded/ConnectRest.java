package io.chartpulse.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain calls to a Kafka Connect worker's REST API, for the embedded workers and their tests. */
public final class ConnectRest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** A client of the worker at {@code url}, e.g. {@code http://127.0.0.1:8083}. */
    public ConnectRest(String url) {
        this.url = url;
    }

    /** Base URL of the REST API. */
    public String url() {
        return url;
    }

    /** A REST call: returns the status code and body. */
    public HttpResponse<String> request(String method, String path, String jsonBody) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json");
        request.method(
                method,
                jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Waits until the worker lists connectors: its REST server answers before the herder has joined its group, and
     * connectors can be created only once it has.
     *
     * @param alive checked between tries, so a worker process that died fails at once
     */
    public void awaitReady(Duration atMost, Runnable alive) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            alive.run();
            try {
                if (request("GET", "/connectors", null).statusCode() == 200) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException(
                "Kafka Connect at " + url + " did not become ready within " + atMost.toSeconds() + " s");
    }

    /** A REST call to a worker: method, path and JSON body (or null) to its answer. */
    @FunctionalInterface
    public interface Call {
        HttpResponse<String> request(String method, String path, String jsonBody);
    }

    /** Waits until connector {@code name} and its tasks (at least one) run. */
    public void awaitRunning(String name, Duration atMost) {
        awaitRunning(this::request, name, atMost);
    }

    /**
     * Waits until connector {@code name} and its tasks (at least one) run, on whichever worker {@code rest} calls.
     *
     * @throws IllegalStateException after {@code atMost}, with the last status the worker gave
     */
    public static void awaitRunning(Call rest, String name, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> status = rest.request("GET", "/connectors/" + name + "/status", null);
                last = status.statusCode() + " " + status.body();
                if (status.statusCode() == 200 && running(JSON.readTree(status.body()))) {
                    return;
                }
            } catch (IOException | IllegalStateException notYet) {
                last = notYet.getMessage();
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException(
                "connector " + name + " is not running after " + atMost.toSeconds() + " s; last status: " + last);
    }

    private static boolean running(JsonNode status) {
        if (!"RUNNING".equals(status.path("connector").path("state").asText())
                || status.path("tasks").isEmpty()) {
            return false;
        }
        for (JsonNode task : status.path("tasks")) {
            if (!"RUNNING".equals(task.path("state").asText())) {
                return false;
            }
        }
        return true;
    }
}
