package io.chartpulse.registry;

import io.chartpulse.config.ServiceConfigLoader;
import io.chartpulse.schemas.evolution.CompatibilityMode;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;

/**
 * Every setting of the registry, declared once. Values come from a properties file and {@code CHARTPULSE_REGISTRY_*}
 * environment variables (see {@link ServiceConfigLoader}); any {@code kafka.*} key is passed to the Kafka clients.
 */
public final class RegistryConfig extends AbstractConfig {

    public static final String ENV_PREFIX = "CHARTPULSE_REGISTRY_";
    public static final String KAFKA_PREFIX = "kafka.";

    public static final String HOST_CONFIG = "host";
    public static final String PORT_CONFIG = "port";
    public static final String ADVERTISED_URL_CONFIG = "advertised.url";
    public static final String BOOTSTRAP_SERVERS_CONFIG = "kafka.bootstrap.servers";
    public static final String STORE_TOPIC_CONFIG = "store.topic";
    public static final String STORE_REPLICATION_CONFIG = "store.replication.factor";
    public static final String STORE_TIMEOUT_CONFIG = "store.timeout.ms";
    public static final String LEADER_ELIGIBILITY_CONFIG = "leader.eligibility";
    public static final String DEFAULT_COMPATIBILITY_CONFIG = "compatibility.default";
    public static final String MAX_REQUEST_BYTES_CONFIG = "max.request.bytes";
    public static final String USERS_FILE_CONFIG = "auth.basic.users.file";
    public static final String USER_INFO_CONFIG = "auth.basic.user.info";

    public static final ConfigDef CONFIG = new ConfigDef()
            .define(
                    HOST_CONFIG,
                    Type.STRING,
                    "127.0.0.1",
                    Importance.HIGH,
                    "Address the HTTP server binds to; 0.0.0.0 in a container.")
            .define(
                    PORT_CONFIG,
                    Type.INT,
                    8081,
                    Range.between(0, 65535),
                    Importance.HIGH,
                    "HTTP port; 0 picks a free one.")
            .define(
                    ADVERTISED_URL_CONFIG,
                    Type.STRING,
                    "",
                    Importance.MEDIUM,
                    "URL other instances forward writes to when this one is the writer; empty means http://<host>:<port>.")
            .define(
                    BOOTSTRAP_SERVERS_CONFIG,
                    Type.STRING,
                    "localhost:9092",
                    Importance.HIGH,
                    "Kafka bootstrap servers of the store topic. Any other kafka.* key (e.g. kafka.security.protocol) is passed to the Kafka clients.")
            .define(
                    STORE_TOPIC_CONFIG,
                    Type.STRING,
                    "_schemas",
                    Importance.MEDIUM,
                    "Compacted single-partition topic holding the registry's state; created if missing.")
            .define(
                    STORE_REPLICATION_CONFIG,
                    Type.SHORT,
                    (short) -1,
                    Importance.MEDIUM,
                    "Replication factor used when creating the store topic; -1 uses the broker's default.replication.factor.")
            .define(
                    STORE_TIMEOUT_CONFIG,
                    Type.LONG,
                    30_000L,
                    Range.atLeast(1),
                    Importance.LOW,
                    "How long start-up and each write may wait for Kafka, in milliseconds.")
            .define(
                    LEADER_ELIGIBILITY_CONFIG,
                    Type.BOOLEAN,
                    true,
                    Importance.MEDIUM,
                    "Whether this instance takes over writing when it starts (fencing earlier writers). Ineligible instances forward writes to the writer.")
            .define(
                    DEFAULT_COMPATIBILITY_CONFIG,
                    Type.STRING,
                    "BACKWARD",
                    ValidString.in(names()),
                    Importance.MEDIUM,
                    "Global compatibility mode until one is set with PUT /config.")
            .define(
                    MAX_REQUEST_BYTES_CONFIG,
                    Type.LONG,
                    4L * 1024 * 1024,
                    Range.atLeast(1024),
                    Importance.LOW,
                    "Largest request body accepted; larger ones get 413.")
            .define(
                    USERS_FILE_CONFIG,
                    Type.STRING,
                    "",
                    Importance.MEDIUM,
                    "Properties file of basic-auth users (user=password). Empty, with no user info either, disables authentication.")
            .define(
                    USER_INFO_CONFIG,
                    Type.PASSWORD,
                    "",
                    Importance.MEDIUM,
                    "One basic-auth user as user:password, best given as CHARTPULSE_REGISTRY_AUTH_BASIC_USER_INFO.");

    public RegistryConfig(Map<?, ?> values) {
        super(CONFIG, values, false);
    }

    /** Kafka client configs: every {@code kafka.*} key without its prefix. */
    public Map<String, Object> kafkaConfig() {
        Map<String, Object> kafka = new HashMap<>();
        originalsWithPrefix(KAFKA_PREFIX).forEach(kafka::put);
        kafka.put("bootstrap.servers", getString(BOOTSTRAP_SERVERS_CONFIG));
        return kafka;
    }

    public CompatibilityMode defaultCompatibility() {
        return CompatibilityMode.parse(getString(DEFAULT_COMPATIBILITY_CONFIG));
    }

    private static String[] names() {
        CompatibilityMode[] modes = CompatibilityMode.values();
        String[] names = new String[modes.length];
        for (int i = 0; i < modes.length; i++) {
            names[i] = modes[i].name();
        }
        return names;
    }
}
