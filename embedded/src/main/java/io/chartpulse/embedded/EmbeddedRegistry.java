package io.chartpulse.embedded;

import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.FreePorts;
import io.chartpulse.registry.RegistryConfig;
import io.chartpulse.registry.RegistryServer;
import java.util.HashMap;
import java.util.Map;

/** The ChartPulse schema registry, in this JVM, on an embedded broker. */
public final class EmbeddedRegistry implements AutoCloseable {

    private final RegistryServer server;

    private EmbeddedRegistry(RegistryServer server) {
        this.server = server;
    }

    /**
     * Starts a registry whose store is {@code storeTopic} on {@code kafka}.
     *
     * @param port 0 picks a free port; a taken port fails with a message naming it
     */
    public static EmbeddedRegistry start(EmbeddedKafka kafka, int port, String storeTopic) {
        if (port != 0) {
            FreePorts.requireFree("the schema registry", port);
        }
        Map<String, String> config = new HashMap<>();
        config.put(RegistryConfig.PORT_CONFIG, String.valueOf(port));
        config.put(RegistryConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(RegistryConfig.STORE_TOPIC_CONFIG, storeTopic);
        return new EmbeddedRegistry(RegistryServer.start(new RegistryConfig(config)));
    }

    /** Base URL, e.g. {@code http://127.0.0.1:8081}, for {@code schema.registry.url}. */
    public String url() {
        return server.url();
    }

    /** Serde or converter configs pointing at this registry. */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put("schema.registry.url", url());
        return config;
    }

    @Override
    public void close() {
        server.close();
    }
}
