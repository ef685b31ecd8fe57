package io.chartpulse.embedded;

import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.FreePorts;
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
    private final ConnectRest rest;

    private EmbeddedConnect(Connect<?> connect, String url) {
        this.connect = connect;
        this.rest = new ConnectRest(url);
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
        int actual = restPort(port);
        Map<String, String> props = workerProperties(kafka.bootstrapServers(), actual, groupId, pluginPath, overrides);
        Connect<?> connect = new ConnectDistributed().startConnect(props);
        EmbeddedConnect worker = new EmbeddedConnect(connect, "http://127.0.0.1:" + actual);
        worker.rest.awaitReady(Duration.ofSeconds(60), () -> {});
        return worker;
    }

    /** {@code port}, checked to be free, or a free one when it is 0. */
    static int restPort(int port) {
        if (port != 0) {
            FreePorts.requireFree("the Kafka Connect REST API", port);
        }
        return port == 0 ? FreePorts.pick() : port;
    }

    /**
     * The settings of a ChartPulse development worker: distributed mode on 127.0.0.1, replication factor 1, plugins
     * found through their service entries, the env and file config providers; {@code overrides} win.
     */
    public static Map<String, String> workerProperties(
            String bootstrapServers, int port, String groupId, List<Path> pluginPath, Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", groupId);
        props.put("listeners", "http://127.0.0.1:" + port);
        props.put("rest.advertised.host.name", "127.0.0.1");
        props.put("rest.advertised.port", String.valueOf(port));
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
        return props;
    }

    /** Base URL of the REST API, e.g. {@code http://127.0.0.1:8083}. */
    public String url() {
        return rest.url();
    }

    /** A REST call: returns the status code and body. */
    public HttpResponse<String> request(String method, String path, String jsonBody) {
        return rest.request(method, path, jsonBody);
    }

    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }
}
