package io.chartpulse.embedded;

import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;

/**
 * A real distributed Kafka Connect worker in this JVM, with its REST API on 127.0.0.1, loading connector plugins
 * from a plugin path (each plugin in its own class loader, as in production). Plugins are discovered through their
 * {@code META-INF/services} entries ({@code plugin.discovery=service_load}): ready in about a second, where a
 * classpath scan takes several.
 */
public final class EmbeddedConnect implements AutoCloseable {

    private final Connect<?> connect;
    private final String url;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private EmbeddedConnect(Connect<?> connect, String url) {
        this.connect = connect;
        this.url = url;
    }

    /**
     * Starts a worker of group {@code groupId} on {@code kafka}.
     *
     * @param port       REST port; 0 picks a free one
     * @param pluginPath directories holding plugin directories (or plugin jars/zips)
     * @param overrides  further worker settings, e.g. converters; they win over the defaults here
     */
    public static EmbeddedConnect start(
            EmbeddedKafka kafka, int port, String groupId, List<Path> pluginPath, Map<String, String> overrides) {
        if (port != 0) {
            FreePorts.requireFree("the Kafka Connect REST API", port);
        }
        int actual = port == 0 ? FreePorts.pick() : port;
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("group.id", groupId);
        props.put("listeners", "http://127.0.0.1:" + actual);
        props.put("rest.advertised.host.name", "127.0.0.1");
        props.put("rest.advertised.port", String.valueOf(actual));
        props.put("config.storage.topic", groupId + "-configs");
        props.put("offset.storage.topic", groupId + "-offsets");
        props.put("status.storage.topic", groupId + "-status");
        props.put("config.storage.replication.factor", "1");
        props.put("offset.storage.replication.factor", "1");
        props.put("status.storage.replication.factor", "1");
        props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        props.put(
                "plugin.path",
                pluginPath.stream().map(p -> p.toAbsolutePath().toString()).collect(Collectors.joining(",")));
        props.put("plugin.discovery", "service_load");
        props.put("offset.flush.interval.ms", "1000");
        props.put("scheduled.rebalance.max.delay.ms", "0");
        props.put("config.providers", "env,file");
        props.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        props.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        props.putAll(overrides);
        Connect<?> connect = new ConnectDistributed().startConnect(props);
        EmbeddedConnect worker = new EmbeddedConnect(connect, "http://127.0.0.1:" + actual);
        worker.awaitReady();
        return worker;
    }

    /** Base URL of the REST API, e.g. {@code http://127.0.0.1:8083}. */
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
        } catch (java.io.IOException e) {
            throw new IllegalStateException(method + " " + url + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    // The REST server answers before the herder has joined its group; connectors can be created once it lists them.
    private void awaitReady() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
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
        throw new IllegalStateException("Kafka Connect at " + url + " did not become ready within 60 s");
    }

    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }
}
