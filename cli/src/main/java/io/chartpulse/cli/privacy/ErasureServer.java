package io.chartpulse.cli.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.chartpulse.avro.ErasureAudit;
import io.chartpulse.avro.ErasureRequest;
import io.chartpulse.avro.ErasureStore;
import io.chartpulse.batch.erasure.Erasure;
import io.chartpulse.batch.erasure.ErasureTopics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The erasure requests' admin endpoint ({@code chartpulse erase serve}): off unless started, every call authenticated
 * with a bearer token, for a publisher's privacy tooling to file requests and follow them.
 *
 * <ul>
 *   <li>{@code POST /v1/erasures} with {@code {"anonymous_ids": [...], "user_ids": [...], "requester": "..."}}:
 *       202 and {@code {"request_id": ...}} once the brokers have the request; 400 naming what is wrong; 503 when
 *       Kafka did not take it (nothing was recorded: send it again);
 *   <li>{@code GET /v1/erasures/<request id>}: 200 with each store's state, 404 for an unknown id.
 * </ul>
 *
 * Anything else is 404 or 405; a missing or wrong token 401. Errors are one JSON line {@code {"error": ...}}, never a
 * stack trace. One request at a time (the topics' reader is not shared across threads); an admin endpoint's load.
 */
public final class ErasureServer implements AutoCloseable {

    /** The requests' path. */
    public static final String PATH = "/v1/erasures";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 64 * 1024;

    private final HttpServer server;
    private final ErasureTopics topics;
    private final byte[] token;
    private final Clock clock;
    private final Consumer<String> log;

    private ErasureServer(HttpServer server, ErasureTopics topics, byte[] token, Clock clock, Consumer<String> log) {
        this.server = server;
        this.topics = topics;
        this.token = token;
        this.clock = clock;
        this.log = log;
    }

    /**
     * Starts the endpoint on {@code host:port} (0: a free port).
     *
     * @param token the bearer token every call must carry; at least 16 characters
     */
    public static ErasureServer start(
            String host, int port, String token, ErasureTopics topics, Clock clock, Consumer<String> log)
            throws IOException {
        if (token == null || token.strip().length() < 16) {
            throw new IllegalArgumentException("The erasure endpoint needs a token of at least 16 characters");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
        ErasureServer erasures =
                new ErasureServer(server, topics, token.strip().getBytes(StandardCharsets.UTF_8), clock, log);
        server.createContext(PATH, erasures::handle);
        server.createContext("/", exchange -> erasures.send(exchange, 404, error("no such path")));
        server.start();
        return erasures;
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            if (!authenticated(exchange)) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
                send(exchange, 401, error("a valid bearer token is required"));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals(PATH) || path.equals(PATH + "/")) {
                if (!method.equals("POST")) {
                    exchange.getResponseHeaders().add("Allow", "POST");
                    send(exchange, 405, error(method + " is not allowed here; POST a request"));
                    return;
                }
                create(exchange);
            } else {
                if (!method.equals("GET")) {
                    exchange.getResponseHeaders().add("Allow", "GET");
                    send(exchange, 405, error(method + " is not allowed here; GET a request's state"));
                    return;
                }
                status(exchange, path.substring(PATH.length() + 1));
            }
        } catch (RuntimeException e) {
            log.accept("erasure endpoint: " + e);
            send(exchange, 500, error("internal error"));
        }
    }

    private boolean authenticated(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = header.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token);
    }

    private void create(HttpExchange exchange) throws IOException {
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                send(exchange, 413, error("the body is over " + MAX_BODY + " bytes"));
                return;
            }
            body = JSON.readTree(bytes);
        } catch (IOException e) {
            send(exchange, 400, error("the body is not JSON"));
            return;
        }
        ErasureRequest request;
        try {
            if (body == null || !body.isObject()) {
                throw new IllegalArgumentException("the body must be a JSON object");
            }
            request = Erasure.request(
                    strings(body, "anonymous_ids"),
                    strings(body, "user_ids"),
                    body.path("requester").isTextual() ? body.path("requester").asText() : null,
                    clock.instant());
        } catch (IllegalArgumentException e) {
            send(exchange, 400, error(e.getMessage()));
            return;
        }
        try {
            topics.request(request);
        } catch (RuntimeException e) {
            exchange.getResponseHeaders().add("Retry-After", "5");
            send(exchange, 503, error("the request was not recorded (Kafka: " + e.getMessage() + "); send it again"));
            return;
        }
        log.accept("erasure requested: " + request.getRequestId() + " by " + request.getRequester());
        ObjectNode out = JSON.createObjectNode().put("request_id", request.getRequestId());
        exchange.getResponseHeaders().add("Location", PATH + "/" + request.getRequestId());
        send(exchange, 202, out);
    }

    private static List<String> strings(JsonNode body, String field) {
        JsonNode node = body.get(field);
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(field + " must be an array of strings");
        }
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException(field + " must be an array of strings");
            }
            out.add(item.asText());
        }
        return out;
    }

    private void status(HttpExchange exchange, String requestId) throws IOException {
        ErasureRequest request = topics.requests().get(requestId);
        if (request == null) {
            send(exchange, 404, error("no erasure request " + requestId));
            return;
        }
        Map<String, ErasureAudit> audit = topics.audit(requestId);
        ObjectNode out = JSON.createObjectNode()
                .put("request_id", requestId)
                .put("requested_at", request.getRequestedAt().toString())
                .put("requester", request.getRequester())
                .put("complete", Erasure.complete(audit));
        ObjectNode stores = out.putObject("stores");
        for (ErasureStore store : Erasure.STORES) {
            ErasureAudit a = audit.get(store.name());
            ObjectNode s = stores.putObject(store.name());
            if (a == null) {
                s.put("state", "pending");
            } else {
                s.put("state", "done")
                        .put("finished_at", a.getFinishedAt().toString())
                        .put("removed", a.getRemoved())
                        .put("detail", a.getDetail());
            }
        }
        send(exchange, 200, out);
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(1);
    }
}
