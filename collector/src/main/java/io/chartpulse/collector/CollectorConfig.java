package io.chartpulse.collector;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.collector.limits.ClientAddress;
import io.chartpulse.config.ConfigChoices;
import io.chartpulse.schemas.Topic;
import io.chartpulse.schemas.evolution.SchemaHistory;
import io.chartpulse.schemas.evolution.VersionedSchema;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Every setting of the collector, declared once. Values come from a properties file and {@code CHARTPULSE_COLLECTOR_*}
 * environment variables; any {@code kafka.*} key is passed to the producer and any {@code serde.*} key to the Avro
 * serializer (e.g. {@code serde.basic.auth.user.info}).
 */
public final class CollectorConfig extends AbstractConfig {

    public static final String ENV_PREFIX = "CHARTPULSE_COLLECTOR_";
    public static final String KAFKA_PREFIX = "kafka.";
    public static final String SERDE_PREFIX = "serde.";

    private static final String GROUP_HTTP = "HTTP";
    private static final String GROUP_KAFKA = "Kafka";
    private static final String GROUP_LIMITS = "Limits";
    private static final String GROUP_PRIVACY = "Client data";

    public static final String HOST_CONFIG = "host";
    public static final String PORT_CONFIG = "port";
    public static final String PATH_PREFIX_CONFIG = "path.prefix";
    public static final String CORS_ORIGINS_CONFIG = "cors.allowed.origins";
    public static final String PIXEL_ENABLED_CONFIG = "pixel.enabled";
    public static final String HTTP_INSTANCES_CONFIG = "http.instances";
    public static final String BOOTSTRAP_SERVERS_CONFIG = "kafka.bootstrap.servers";
    public static final String REGISTRY_URL_CONFIG = "schema.registry.url";
    public static final String RAW_TOPIC_CONFIG = "topic.raw";
    public static final String INVALID_TOPIC_CONFIG = "topic.invalid";
    public static final String ERASURE_TOPIC_CONFIG = "topic.erasure";
    public static final String RAW_SCHEMA_VERSION_CONFIG = "topic.raw.schema.version";
    /** The value of {@value #RAW_SCHEMA_VERSION_CONFIG} that writes the ChartEvent schema this collector was built with. */
    public static final String LATEST_SCHEMA = "latest";

    public static final String PRODUCE_TIMEOUT_CONFIG = "produce.timeout.ms";
    public static final String RETRY_AFTER_CONFIG = "retry.after.seconds";
    public static final String MAX_BODY_BYTES_CONFIG = "max.body.bytes";
    public static final String MAX_EVENTS_CONFIG = "max.events.per.batch";
    public static final String MAX_EVENT_BYTES_CONFIG = "max.event.bytes";
    public static final String RATE_LIMIT_CONFIG = "rate.limit.events.per.second";
    public static final String RATE_LIMIT_BURST_CONFIG = "rate.limit.burst";
    public static final String MAX_IN_FLIGHT_CONFIG = "max.in.flight.requests";
    public static final String TRUSTED_PROXIES_CONFIG = "trusted.proxies";
    public static final String IP_MODE_CONFIG = "ip.anonymization";
    public static final String IP_SALT_CONFIG = "ip.hash.salt";
    public static final String COUNTRY_HEADER_CONFIG = "country.header";

    public static final ConfigDef CONFIG = new ConfigDef()
            .define(
                    HOST_CONFIG,
                    Type.STRING,
                    "127.0.0.1",
                    Importance.HIGH,
                    "Address the HTTP server binds to; 0.0.0.0 in a container.",
                    GROUP_HTTP,
                    1,
                    ConfigDef.Width.SHORT,
                    "host")
            .define(
                    PORT_CONFIG,
                    Type.INT,
                    8080,
                    Range.between(0, 65535),
                    Importance.HIGH,
                    "HTTP port; 0 picks a free one.",
                    GROUP_HTTP,
                    2,
                    ConfigDef.Width.SHORT,
                    "port")
            .define(
                    PATH_PREFIX_CONFIG,
                    Type.STRING,
                    "/v1",
                    Importance.MEDIUM,
                    "Path prefix of the endpoints: POST <prefix>/events and GET <prefix>/p.gif. Change it to a first-party path that ad blockers do not list.",
                    GROUP_HTTP,
                    3,
                    ConfigDef.Width.SHORT,
                    "path prefix")
            .define(
                    CORS_ORIGINS_CONFIG,
                    Type.LIST,
                    "*",
                    Importance.HIGH,
                    "Origins allowed to post from a browser (exact, e.g. https://reviews.example), or * for any. Requests without an Origin header are always allowed.",
                    GROUP_HTTP,
                    4,
                    ConfigDef.Width.LONG,
                    "CORS origins")
            .define(
                    PIXEL_ENABLED_CONFIG,
                    Type.BOOLEAN,
                    true,
                    Importance.LOW,
                    "Serve the no-JavaScript fallback GET <prefix>/p.gif?<field>=<value>..., one event per request, answered with a 1x1 GIF.",
                    GROUP_HTTP,
                    5,
                    ConfigDef.Width.SHORT,
                    "pixel")
            .define(
                    HTTP_INSTANCES_CONFIG,
                    Type.INT,
                    0,
                    Range.atLeast(0),
                    Importance.LOW,
                    "HTTP servers (one per event loop) sharing the port; 0 means one per CPU core.",
                    GROUP_HTTP,
                    6,
                    ConfigDef.Width.SHORT,
                    "HTTP instances")
            .define(
                    BOOTSTRAP_SERVERS_CONFIG,
                    Type.STRING,
                    "localhost:9092",
                    Importance.HIGH,
                    "Kafka bootstrap servers. Any other kafka.* key (e.g. kafka.security.protocol) is passed to the producer.",
                    GROUP_KAFKA,
                    1,
                    ConfigDef.Width.LONG,
                    "bootstrap servers")
            .define(
                    REGISTRY_URL_CONFIG,
                    Type.STRING,
                    "http://localhost:8081",
                    Importance.HIGH,
                    "Schema registry URL(s), comma-separated. serde.* keys go to the Avro serializer (auth, timeouts).",
                    GROUP_KAFKA,
                    2,
                    ConfigDef.Width.LONG,
                    "registry")
            .define(
                    RAW_TOPIC_CONFIG,
                    Type.STRING,
                    Topic.RAW_EVENTS.topicName(),
                    Importance.MEDIUM,
                    "Topic accepted events are written to, keyed by anonymous_id.",
                    GROUP_KAFKA,
                    3,
                    ConfigDef.Width.MEDIUM,
                    "raw topic")
            .define(
                    INVALID_TOPIC_CONFIG,
                    Type.STRING,
                    Topic.INVALID_EVENTS.topicName(),
                    Importance.MEDIUM,
                    "Topic rejected events are written to, as RejectedEvent with stage COLLECTOR.",
                    GROUP_KAFKA,
                    4,
                    ConfigDef.Width.MEDIUM,
                    "invalid topic")
            .define(
                    ERASURE_TOPIC_CONFIG,
                    Type.STRING,
                    Topic.ERASURE_REQUESTS.topicName(),
                    Importance.MEDIUM,
                    "Erasure requests (compacted): events of a visitor named there are answered as taken but not"
                            + " written. Read from its beginning and followed; until it can be read, events pass.",
                    GROUP_KAFKA,
                    5,
                    ConfigDef.Width.MEDIUM,
                    "erasure topic")
            .define(
                    PRODUCE_TIMEOUT_CONFIG,
                    Type.INT,
                    10_000,
                    Range.atLeast(100),
                    Importance.MEDIUM,
                    "How long a request waits for Kafka to acknowledge its events before answering 503.",
                    GROUP_KAFKA,
                    5,
                    ConfigDef.Width.SHORT,
                    "produce timeout")
            .define(
                    RETRY_AFTER_CONFIG,
                    Type.INT,
                    5,
                    Range.atLeast(1),
                    Importance.LOW,
                    "Retry-After seconds sent with 503 answers.",
                    GROUP_KAFKA,
                    6,
                    ConfigDef.Width.SHORT,
                    "retry after")
            .define(
                    RAW_SCHEMA_VERSION_CONFIG,
                    Type.STRING,
                    LATEST_SCHEMA,
                    (name, value) -> releasedSchema(String.valueOf(value)),
                    Importance.LOW,
                    "The ChartEvent version accepted events are written with: latest (the schema this collector was"
                            + " built with), or a released version (1, 2, ...) to keep writing an older one during a"
                            + " rollout or to roll a writer back without redeploying. Fields the pinned version lacks"
                            + " are skipped as unknown.",
                    GROUP_KAFKA,
                    7,
                    ConfigDef.Width.SHORT,
                    "raw schema version")
            .define(
                    MAX_BODY_BYTES_CONFIG,
                    Type.INT,
                    1024 * 1024,
                    Range.atLeast(1024),
                    Importance.MEDIUM,
                    "Largest request body, after gzip decompression; larger answers 413.",
                    GROUP_LIMITS,
                    1,
                    ConfigDef.Width.SHORT,
                    "max body")
            .define(
                    MAX_EVENTS_CONFIG,
                    Type.INT,
                    500,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "Most events in one batch; more answers 413.",
                    GROUP_LIMITS,
                    2,
                    ConfigDef.Width.SHORT,
                    "max events")
            .define(
                    MAX_EVENT_BYTES_CONFIG,
                    Type.INT,
                    32 * 1024,
                    Range.atLeast(256),
                    Importance.MEDIUM,
                    "Largest single event as JSON; a larger one is rejected (event_too_large) and the rest of the batch accepted.",
                    GROUP_LIMITS,
                    3,
                    ConfigDef.Width.SHORT,
                    "max event")
            .define(
                    RATE_LIMIT_CONFIG,
                    Type.DOUBLE,
                    200.0,
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    "Events per second one client IP may send (token bucket); over it answers 429 with Retry-After. 0 disables.",
                    GROUP_LIMITS,
                    4,
                    ConfigDef.Width.SHORT,
                    "rate limit")
            .define(
                    RATE_LIMIT_BURST_CONFIG,
                    Type.INT,
                    1000,
                    Range.atLeast(1),
                    Importance.LOW,
                    "Token-bucket size per client IP: events one client may send at once.",
                    GROUP_LIMITS,
                    5,
                    ConfigDef.Width.SHORT,
                    "rate burst")
            .define(
                    MAX_IN_FLIGHT_CONFIG,
                    Type.INT,
                    2000,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "Requests waiting for Kafka at once, over all clients; more answers 503 with Retry-After.",
                    GROUP_LIMITS,
                    6,
                    ConfigDef.Width.SHORT,
                    "max in flight")
            .define(
                    TRUSTED_PROXIES_CONFIG,
                    Type.LIST,
                    "",
                    Importance.HIGH,
                    "Addresses or CIDR ranges of proxies (load balancer, CDN) whose X-Forwarded-For is believed. Empty: the socket address is the client IP.",
                    GROUP_PRIVACY,
                    1,
                    ConfigDef.Width.LONG,
                    "trusted proxies")
            .define(
                    IP_MODE_CONFIG,
                    Type.STRING,
                    ClientAddress.Mode.TRUNCATE.configValue(),
                    ConfigChoices.validator(ClientAddress.Mode.class),
                    Importance.HIGH,
                    "What is kept of the client IP: truncate (IPv4 /24, IPv6 /48), hash (salted SHA-256, needs ip.hash.salt) or none (the full IP; an explicit opt-in).",
                    GROUP_PRIVACY,
                    2,
                    ConfigDef.Width.SHORT,
                    "IP anonymization",
                    ConfigChoices.recommender(ClientAddress.Mode.class))
            .define(
                    IP_SALT_CONFIG,
                    Type.PASSWORD,
                    "",
                    Importance.MEDIUM,
                    "Secret salt for ip.anonymization=hash; best given as CHARTPULSE_COLLECTOR_IP_HASH_SALT.",
                    GROUP_PRIVACY,
                    3,
                    ConfigDef.Width.MEDIUM,
                    "IP salt")
            .define(
                    COUNTRY_HEADER_CONFIG,
                    Type.STRING,
                    "",
                    Importance.LOW,
                    "Header a trusted CDN sets to the visitor's country (e.g. CloudFront-Viewer-Country); empty: no country.",
                    GROUP_PRIVACY,
                    4,
                    ConfigDef.Width.MEDIUM,
                    "country header");

    public CollectorConfig(Map<?, ?> values) {
        super(CONFIG, values, false);
        if (ipMode() == ClientAddress.Mode.HASH
                && getPassword(IP_SALT_CONFIG).value().isEmpty()) {
            throw new ConfigException(IP_SALT_CONFIG, "[hidden]", "required when " + IP_MODE_CONFIG + "=hash");
        }
        String prefix = getString(PATH_PREFIX_CONFIG);
        if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
            throw new ConfigException(
                    PATH_PREFIX_CONFIG,
                    prefix,
                    "must start with / and not end with / (e.g. /v1 or /t/a1), or be empty");
        }
    }

    /** The schema accepted events are written with ({@value #RAW_SCHEMA_VERSION_CONFIG}). */
    public Schema rawSchema() {
        return releasedSchema(getString(RAW_SCHEMA_VERSION_CONFIG));
    }

    private static Schema releasedSchema(String version) {
        if (LATEST_SCHEMA.equals(version)) {
            return ChartEvent.getClassSchema();
        }
        List<VersionedSchema> released = SchemaHistory.fromClasspath(ChartEvent.class.getSimpleName());
        try {
            return released.get(Integer.parseInt(version) - 1).schema();
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new ConfigException(
                    RAW_SCHEMA_VERSION_CONFIG,
                    version,
                    LATEST_SCHEMA + " or a released ChartEvent version, 1 to " + released.size());
        }
    }

    /** What the collector keeps of a client IP. */
    public ClientAddress.Mode ipMode() {
        return ConfigChoices.parse(ClientAddress.Mode.class, IP_MODE_CONFIG, getString(IP_MODE_CONFIG));
    }

    /** Producer configs: every {@code kafka.*} key without its prefix. */
    public Map<String, Object> kafkaConfig() {
        Map<String, Object> kafka = new HashMap<>(originalsWithPrefix(KAFKA_PREFIX));
        kafka.put("bootstrap.servers", getString(BOOTSTRAP_SERVERS_CONFIG));
        return kafka;
    }

    /** Serializer configs: {@code schema.registry.url} and every {@code serde.*} key without its prefix. */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> serde = new HashMap<>(originalsWithPrefix(SERDE_PREFIX));
        serde.put("schema.registry.url", getString(REGISTRY_URL_CONFIG));
        return serde;
    }

    public List<String> corsOrigins() {
        return getList(CORS_ORIGINS_CONFIG);
    }
}
