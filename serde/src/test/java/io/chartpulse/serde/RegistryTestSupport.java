package io.chartpulse.serde;

import java.util.HashMap;
import java.util.Map;

import io.chartpulse.embedded.EmbeddedKafka;
import io.chartpulse.registry.RegistryConfig;
import io.chartpulse.registry.RegistryServer;

/** Starts the real ChartPulse registry on the shared embedded broker, on a fresh store topic. */
public final class RegistryTestSupport {

    private RegistryTestSupport() {
    }

    public static RegistryServer startRegistry(EmbeddedKafka kafka, String storeTopic, String... extra) {
        Map<String, String> config = new HashMap<>();
        config.put(RegistryConfig.PORT_CONFIG, "0");
        config.put(RegistryConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(RegistryConfig.STORE_TOPIC_CONFIG, storeTopic);
        for (int i = 0; i + 1 < extra.length; i += 2) {
            config.put(extra[i], extra[i + 1]);
        }
        return RegistryServer.start(new RegistryConfig(config));
    }

    /** Serde configs pointing at {@code registry}. */
    public static Map<String, Object> serdeConfig(RegistryServer registry, Object... extra) {
        Map<String, Object> config = new HashMap<>();
        config.put("schema.registry.url", registry.url());
        for (int i = 0; i + 1 < extra.length; i += 2) {
            config.put((String) extra[i], extra[i + 1]);
        }
        return config;
    }
}
