package io.chartpulse.registry;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A plain HTTP client for the registry's REST API in tests: what curl would send. */
final class RegistryClient {

    static final String VND = "application/vnd.schemaregistry.v1+json";

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String base;
    private String authorization;

    RegistryClient(String base) {
        this.base = base;
    }

    RegistryClient withBasicAuth(String user, String password) {
        RegistryClient client = new RegistryClient(base);
        client.authorization =
                "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return client;
    }

    record Response(int status, String body, String contentType) {
        JsonObject json() {
            return new JsonObject(body);
        }

        JsonArray array() {
            return new JsonArray(body);
        }

        int errorCode() {
            return json().getInteger("error_code");
        }
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), null);
    }

    Response delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), null);
    }

    Response post(String path, Object body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)), "POST", body, VND);
    }

    Response put(String path, Object body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)), "PUT", body, VND);
    }

    Response send(HttpRequest.Builder request, String method, Object body, String contentType) {
        String text = body instanceof String s ? s : Json.encode(body);
        request.method(method, HttpRequest.BodyPublishers.ofString(text));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request, null);
    }

    /** Registers {@code schema} (Avro JSON text) under {@code subject}. */
    Response register(String subject, String schema) {
        return post("/subjects/" + subject + "/versions", new JsonObject().put("schema", schema));
    }

    int registerOk(String subject, String schema) {
        Response r = register(subject, schema);
        if (r.status() != 200) {
            throw new AssertionError("register failed: " + r);
        }
        return r.json().getInteger("id");
    }

    private Response send(HttpRequest.Builder request, Void unused) {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response =
                    http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return new Response(
                    response.statusCode(),
                    response.body(),
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
