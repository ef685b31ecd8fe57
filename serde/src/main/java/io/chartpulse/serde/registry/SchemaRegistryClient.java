package io.chartpulse.serde.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client of a Confluent-compatible schema registry (ChartPulse's, Confluent's, Karapace, Redpanda, Apicurio's
 * ccompat API). Thread-safe; ids, schemas and subject registrations are cached for the client's life (ids never
 * change), a subject's latest version for the configured TTL.
 *
 * <p>Each request tries the configured URLs in turn and retries connection errors, timeouts and 5xx answers with
 * exponential backoff and jitter; 4xx answers are not retried and surface as {@link RegistryRestException} with
 * the registry's error code. When nothing answers, {@link RegistryUnavailableException} names every URL tried.
 */
public class SchemaRegistryClient {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private record SubjectSchema(String subject, Schema schema) {}

    private record CachedLatest(SchemaMetadata metadata, long fetchedAtNanos) {}

    private final RegistryClientSettings settings;
    private final HttpClient http;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
    private final Map<String, CachedLatest> latestBySubject = new ConcurrentHashMap<>();
    private final Map<String, Integer> versionsBySubjectId = new ConcurrentHashMap<>();

    public SchemaRegistryClient(RegistryClientSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .build();
    }

    /** Registers {@code schema} under {@code subject} (idempotent on the registry) and returns its id. */
    public int register(String subject, Schema schema) {
        return idsBySubjectSchema.computeIfAbsent(new SubjectSchema(subject, schema), key -> {
            JsonNode answer = request("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
            int id = answer.get("id").asInt();
            schemasById.putIfAbsent(id, schema);
            return id;
        });
    }

    /** The id of {@code schema} in {@code subject}, without registering it. */
    public int lookupId(String subject, Schema schema) {
        return idsBySubjectSchema.computeIfAbsent(new SubjectSchema(subject, schema), key -> {
            JsonNode answer = request("POST", "/subjects/" + encode(subject), schemaBody(schema));
            int id = answer.get("id").asInt();
            schemasById.putIfAbsent(id, schema);
            return id;
        });
    }

    /** The schema with global id {@code id}. */
    public Schema byId(int id) {
        return schemasById.computeIfAbsent(
                id,
                key -> parse(
                        request("GET", "/schemas/ids/" + id, null).get("schema").asText()));
    }

    /** The latest version of {@code subject}, cached for the configured TTL. */
    public SchemaMetadata latest(String subject) {
        CachedLatest cached = latestBySubject.get(subject);
        long ttl = settings.latestCacheTtl().toNanos();
        if (cached != null && (ttl < 0 || System.nanoTime() - cached.fetchedAtNanos() < ttl)) {
            return cached.metadata();
        }
        SchemaMetadata metadata = version(subject, "latest");
        latestBySubject.put(subject, new CachedLatest(metadata, System.nanoTime()));
        return metadata;
    }

    /** One version of a subject, by number or {@code latest}. */
    public SchemaMetadata version(String subject, String version) {
        JsonNode answer = request("GET", "/subjects/" + encode(subject) + "/versions/" + version, null);
        int id = answer.get("id").asInt();
        Schema schema = schemasById.computeIfAbsent(
                id, key -> parse(answer.get("schema").asText()));
        return new SchemaMetadata(id, answer.get("version").asInt(), schema);
    }

    /** The version number schema {@code id} has in {@code subject}. */
    public int versionOf(String subject, int id) {
        return versionsBySubjectId.computeIfAbsent(subject + "\u0000" + id, key -> {
            for (JsonNode use : request("GET", "/schemas/ids/" + id + "/versions", null)) {
                if (subject.equals(use.get("subject").asText())) {
                    return use.get("version").asInt();
                }
            }
            throw new RegistryRestException("Schema " + id + " is not registered under subject " + subject, 404, 40403);
        });
    }

    /** Whether {@code schema} may be registered under {@code subject} under its compatibility mode. */
    public boolean isCompatible(String subject, Schema schema) {
        return request("POST", "/compatibility/subjects/" + encode(subject) + "/versions", schemaBody(schema))
                .get("is_compatible")
                .asBoolean();
    }

    /** All subjects. */
    public List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        request("GET", "/subjects", null).forEach(node -> subjects.add(node.asText()));
        return subjects;
    }

    // ---- HTTP ----------------------------------------------------------------------------------------------

    private JsonNode request(String method, String path, String body) {
        Exception last = null;
        long wait = settings.retryWait().toMillis();
        for (int attempt = 0; attempt <= settings.maxRetries(); attempt++) {
            for (String base : settings.urls()) {
                try {
                    HttpResponse<String> response = http.send(
                            build(base, method, path, body),
                            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                    int status = response.statusCode();
                    if (status >= 200 && status < 300) {
                        return JSON.readTree(response.body());
                    }
                    RegistryRestException error = error(status, response.body(), base + path);
                    if (status < 500) {
                        throw error;
                    }
                    last = error;
                } catch (ConnectException | HttpTimeoutException e) {
                    last = e;
                } catch (IOException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RegistryUnavailableException("Interrupted calling the schema registry", e);
                }
                LOG.debug("Schema registry {} failed on {} {}: {}", base, method, path, last.toString());
            }
            if (attempt < settings.maxRetries()) {
                sleep(wait + ThreadLocalRandom.current().nextLong(wait / 2 + 1));
                wait = Math.min(wait * 2, settings.retryMaxWait().toMillis());
            }
        }
        throw new RegistryUnavailableException(
                "Schema registry unavailable at " + settings.urls() + " for " + method + " " + path + " after "
                        + (settings.maxRetries() + 1) + " attempt(s): " + last,
                last);
    }

    private HttpRequest build(String base, String method, String path, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(settings.readTimeout())
                .header("Accept", CONTENT_TYPE)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            builder.header("Content-Type", CONTENT_TYPE);
        }
        if (settings.authorization() != null) {
            builder.header("Authorization", settings.authorization());
        }
        return builder.build();
    }

    private static RegistryRestException error(int status, String body, String url) {
        try {
            JsonNode json = JSON.readTree(body);
            if (json != null && json.has("error_code")) {
                return new RegistryRestException(
                        json.path("message").asText("") + " [" + url + "]",
                        status,
                        json.get("error_code").asInt());
            }
        } catch (IOException notJson) {
            // fall through: not a registry error body
        }
        return new RegistryRestException("Unexpected answer from " + url, status, status);
    }

    private static String schemaBody(Schema schema) {
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        return body.toString();
    }

    private static Schema parse(String text) {
        return new Schema.Parser().parse(text);
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("Interrupted while waiting to retry the schema registry", e);
        }
    }
}
