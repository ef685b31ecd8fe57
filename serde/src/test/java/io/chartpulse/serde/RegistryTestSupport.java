package io.chartpulse.serde;

import io.chartpulse.embedded.EmbeddedRegistry;
import java.util.Map;

/** Serde configs for tests against the embedded registry. */
public final class RegistryTestSupport {

    private RegistryTestSupport() {}

    /** {@code schema.registry.url} of {@code registry} plus {@code extra} key/value pairs. */
    public static Map<String, Object> serdeConfig(EmbeddedRegistry registry, Object... extra) {
        Map<String, Object> config = registry.serdeConfig();
        for (int i = 0; i + 1 < extra.length; i += 2) {
            config.put((String) extra[i], extra[i + 1]);
        }
        return config;
    }
}
