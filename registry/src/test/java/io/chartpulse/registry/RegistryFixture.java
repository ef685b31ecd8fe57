package io.chartpulse.registry;

import io.chartpulse.embedded.kafka.EmbeddedKafka;
import java.util.HashMap;
import java.util.Map;

/** Starts registries on the shared embedded broker. */
final class RegistryFixture {

    private RegistryFixture() {}

    static RegistryServer start(EmbeddedKafka kafka, String storeTopic, String... extra) {
        Map<String, String> config = new HashMap<>();
        config.put(RegistryConfig.PORT_CONFIG, "0");
        config.put(RegistryConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(RegistryConfig.STORE_TOPIC_CONFIG, storeTopic);
        config.put(RegistryConfig.STORE_TIMEOUT_CONFIG, "20000");
        for (int i = 0; i + 1 < extra.length; i += 2) {
            config.put(extra[i], extra[i + 1]);
        }
        return RegistryServer.start(new RegistryConfig(config));
    }
}
