package io.chartpulse.cli.dev;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.provider.ConfigProvider;

/**
 * The development stack's {@code env} config provider: the connector configs' {@code ${env:NAME}} variables resolve
 * to the values {@link DevStack} sets (its ports, dev credentials), then to the process environment. Production
 * workers use Kafka's EnvVarConfigProvider with real variables; the configs are the same files.
 */
public final class DevEnvConfigProvider implements ConfigProvider {

    static final Map<String, String> VALUES = new ConcurrentHashMap<>();

    @Override
    public void configure(Map<String, ?> configs) {}

    @Override
    public ConfigData get(String path) {
        Map<String, String> all = new HashMap<>(System.getenv());
        all.putAll(VALUES);
        return new ConfigData(all);
    }

    @Override
    public ConfigData get(String path, Set<String> keys) {
        Map<String, String> values = new HashMap<>();
        for (String key : keys) {
            String value = VALUES.containsKey(key) ? VALUES.get(key) : System.getenv(key);
            if (value != null) {
                values.put(key, value);
            }
        }
        return new ConfigData(values);
    }

    @Override
    public void close() {}
}
