package io.chartpulse.cli.dev;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.provider.ConfigProvider;

/**
 * The development stack's {@code env} config provider: the connector configs' {@code ${env:NAME}} variables resolve
 * to the values one {@link DevStack} set (its ports, dev credentials), then to the process environment. Production
 * workers use Kafka's EnvVarConfigProvider with real variables; the configs are the same files.
 *
 * <p>Connect creates config providers by class name, so a stack cannot hand its instance over: it registers its
 * variables under an id ({@link #register}) and gives its worker {@code config.providers.env.param.stack=<id>}
 * ({@link #workerConfig}); each provider instance then reads only its own stack's variables, and two stacks in one
 * JVM (the tests) never see each other's.
 */
public final class DevEnvConfigProvider implements ConfigProvider {

    /** The provider parameter naming the stack whose variables it reads. */
    public static final String STACK_PARAM = "stack";

    private static final Map<String, Map<String, String>> STACKS = new ConcurrentHashMap<>();

    private Map<String, String> values = Map.of();

    /** A stack's variables, until {@link Registration#close}. */
    public static Registration register(Map<String, String> variables) {
        String id = UUID.randomUUID().toString();
        STACKS.put(id, variables);
        return new Registration(id);
    }

    /** A stack's registration: its id, and the worker settings that point the {@code env} provider at it. */
    public record Registration(String id) implements AutoCloseable {

        /** The Connect worker settings: this class as the {@code env} provider, reading this stack. */
        public Map<String, String> workerConfig() {
            return Map.of(
                    "config.providers.env.class",
                    DevEnvConfigProvider.class.getName(),
                    "config.providers.env.param." + STACK_PARAM,
                    id);
        }

        @Override
        public void close() {
            STACKS.remove(id);
        }
    }

    @Override
    public void configure(Map<String, ?> configs) {
        Object id = configs.get(STACK_PARAM);
        if (id == null) {
            throw new ConfigException("config.providers.env.param." + STACK_PARAM
                    + " is not set: the dev stack's env provider reads one stack's variables (DevStack sets it)");
        }
        Map<String, String> registered = STACKS.get(id.toString());
        if (registered == null) {
            throw new ConfigException(
                    "config.providers.env.param." + STACK_PARAM, id, "no dev stack registered this id");
        }
        this.values = registered;
    }

    @Override
    public ConfigData get(String path) {
        Map<String, String> all = new HashMap<>(System.getenv());
        all.putAll(values);
        return new ConfigData(all);
    }

    @Override
    public ConfigData get(String path, Set<String> keys) {
        Map<String, String> found = new HashMap<>();
        for (String key : keys) {
            String value = values.containsKey(key) ? values.get(key) : System.getenv(key);
            if (value != null) {
                found.put(key, value);
            }
        }
        return new ConfigData(found);
    }

    @Override
    public void close() {}
}
