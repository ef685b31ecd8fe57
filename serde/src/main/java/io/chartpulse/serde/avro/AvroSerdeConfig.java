package io.chartpulse.serde.avro;

import io.chartpulse.config.ConfigChoice;
import io.chartpulse.config.ConfigChoices;
import io.chartpulse.serde.registry.RegistryClientSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings of the Avro serializer, deserializer, serdes and Connect converter. Key names are Confluent's where the
 * meaning is the same, so a configuration written for Confluent's serde works unchanged; Confluent's strategy class
 * names are accepted and mapped to ours.
 */
public final class AvroSerdeConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";
    public static final String USE_LATEST_VERSION_CONFIG = "use.latest.version";
    public static final String LATEST_CACHE_TTL_CONFIG = "latest.cache.ttl.sec";
    public static final String KEY_SUBJECT_NAME_STRATEGY_CONFIG = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY_CONFIG = "value.subject.name.strategy";
    public static final String SPECIFIC_AVRO_READER_CONFIG = "specific.avro.reader";
    public static final String USE_LOGICAL_TYPE_CONVERTERS_CONFIG = "avro.use.logical.type.converters";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO_CONFIG = "basic.auth.user.info";
    public static final String BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG = "bearer.auth.credentials.source";
    public static final String BEARER_AUTH_TOKEN_CONFIG = "bearer.auth.token";

    /** {@value #BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG}: where basic-auth credentials come from. */
    public enum BasicAuthSource implements ConfigChoice {
        NONE(""),
        USER_INFO("USER_INFO"),
        URL("URL");

        private final String value;

        BasicAuthSource(String value) {
            this.value = value;
        }

        @Override
        public String configValue() {
            return value;
        }
    }

    /** {@value #BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG}: where a bearer token comes from. */
    public enum BearerAuthSource implements ConfigChoice {
        NONE(""),
        STATIC_TOKEN("STATIC_TOKEN");

        private final String value;

        BearerAuthSource(String value) {
            this.value = value;
        }

        @Override
        public String configValue() {
            return value;
        }
    }

    public static final String CONNECT_TIMEOUT_CONFIG = "http.connect.timeout.ms";
    public static final String READ_TIMEOUT_CONFIG = "http.read.timeout.ms";
    public static final String MAX_RETRIES_CONFIG = "max.retries";
    public static final String RETRIES_WAIT_CONFIG = "retries.wait.ms";
    public static final String RETRIES_MAX_WAIT_CONFIG = "retries.max.wait.ms";

    private static final String TOPIC_NAME = SubjectNameStrategy.TopicNameStrategy.class.getName();

    public static final ConfigDef CONFIG = new ConfigDef()
            .define(
                    SCHEMA_REGISTRY_URL_CONFIG,
                    Type.LIST,
                    ConfigDef.NO_DEFAULT_VALUE,
                    Importance.HIGH,
                    "Comma-separated registry URLs, tried in order. User info in a URL (http://user:pass@host) is used for basic auth when basic.auth.credentials.source=URL.")
            .define(
                    AUTO_REGISTER_SCHEMAS_CONFIG,
                    Type.BOOLEAN,
                    true,
                    Importance.MEDIUM,
                    "Serializer: register the record's schema if the subject lacks it. When false, the schema must already be registered.")
            .define(
                    USE_LATEST_VERSION_CONFIG,
                    Type.BOOLEAN,
                    false,
                    Importance.MEDIUM,
                    "Serializer: write with the subject's latest registered schema (converting the record by field name) instead of the record's own.")
            .define(
                    LATEST_CACHE_TTL_CONFIG,
                    Type.LONG,
                    -1L,
                    Importance.LOW,
                    "Seconds a subject's latest version is cached; -1 caches it for the serializer's life.")
            .define(
                    KEY_SUBJECT_NAME_STRATEGY_CONFIG,
                    Type.STRING,
                    TOPIC_NAME,
                    Importance.MEDIUM,
                    "Subject naming for keys: TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy (simple or full class name, ours or Confluent's), or a class implementing io.chartpulse.serde.avro.SubjectNameStrategy.")
            .define(
                    VALUE_SUBJECT_NAME_STRATEGY_CONFIG,
                    Type.STRING,
                    TOPIC_NAME,
                    Importance.MEDIUM,
                    "Subject naming for values; same choices as key.subject.name.strategy.")
            .define(
                    SPECIFIC_AVRO_READER_CONFIG,
                    Type.BOOLEAN,
                    false,
                    Importance.MEDIUM,
                    "Deserializer: return generated SpecificRecord classes (found by the writer schema's full name) instead of GenericRecord.")
            .define(
                    USE_LOGICAL_TYPE_CONVERTERS_CONFIG,
                    Type.BOOLEAN,
                    true,
                    Importance.LOW,
                    "Generic records: read and write logical types as Java types (Instant, LocalDate, BigDecimal, UUID).")
            .define(
                    BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG,
                    Type.STRING,
                    "",
                    ConfigChoices.validator(BasicAuthSource.class),
                    Importance.MEDIUM,
                    "Where basic-auth credentials come from: USER_INFO (basic.auth.user.info), URL (the URL's user info), or empty for none.")
            .define(
                    BASIC_AUTH_USER_INFO_CONFIG,
                    Type.PASSWORD,
                    "",
                    Importance.MEDIUM,
                    "Basic-auth credentials as user:password, used with basic.auth.credentials.source=USER_INFO.")
            .define(
                    BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG,
                    Type.STRING,
                    "",
                    ConfigChoices.validator(BearerAuthSource.class),
                    Importance.MEDIUM,
                    "STATIC_TOKEN sends bearer.auth.token as a bearer token; empty for none.")
            .define(
                    BEARER_AUTH_TOKEN_CONFIG,
                    Type.PASSWORD,
                    "",
                    Importance.MEDIUM,
                    "Bearer token, used with bearer.auth.credentials.source=STATIC_TOKEN.")
            .define(
                    CONNECT_TIMEOUT_CONFIG,
                    Type.INT,
                    10_000,
                    Range.atLeast(1),
                    Importance.LOW,
                    "Registry connect timeout, milliseconds.")
            .define(
                    READ_TIMEOUT_CONFIG,
                    Type.INT,
                    30_000,
                    Range.atLeast(1),
                    Importance.LOW,
                    "Registry request timeout, milliseconds.")
            .define(
                    MAX_RETRIES_CONFIG,
                    Type.INT,
                    3,
                    Range.atLeast(0),
                    Importance.LOW,
                    "Retries of a registry request after connection errors, timeouts or 5xx answers (each retry tries every URL).")
            .define(
                    RETRIES_WAIT_CONFIG,
                    Type.INT,
                    100,
                    Range.atLeast(0),
                    Importance.LOW,
                    "First backoff before a retry, milliseconds; doubles each retry, with jitter.")
            .define(
                    RETRIES_MAX_WAIT_CONFIG,
                    Type.INT,
                    5_000,
                    Range.atLeast(0),
                    Importance.LOW,
                    "Longest backoff between retries, milliseconds.");

    public AvroSerdeConfig(Map<?, ?> props) {
        super(CONFIG, props, false);
    }

    /** The subject naming strategy for keys or values. */
    public SubjectNameStrategy subjectNameStrategy(boolean isKey) {
        String key = isKey ? KEY_SUBJECT_NAME_STRATEGY_CONFIG : VALUE_SUBJECT_NAME_STRATEGY_CONFIG;
        String name = getString(key).trim();
        String simple = name.substring(name.lastIndexOf('.') + 1);
        switch (simple) {
            case "TopicNameStrategy":
                return new SubjectNameStrategy.TopicNameStrategy();
            case "RecordNameStrategy":
                return new SubjectNameStrategy.RecordNameStrategy();
            case "TopicRecordNameStrategy":
                return new SubjectNameStrategy.TopicRecordNameStrategy();
            default:
                break;
        }
        try {
            Object strategy = Class.forName(
                            name,
                            true,
                            Thread.currentThread().getContextClassLoader() == null
                                    ? getClass().getClassLoader()
                                    : Thread.currentThread().getContextClassLoader())
                    .getDeclaredConstructor()
                    .newInstance();
            if (strategy instanceof SubjectNameStrategy s) {
                return s;
            }
            throw new ConfigException(key, name, "must implement " + SubjectNameStrategy.class.getName());
        } catch (ReflectiveOperationException e) {
            throw new ConfigException(
                    key,
                    name,
                    "unknown strategy; valid: TopicNameStrategy, RecordNameStrategy, "
                            + "TopicRecordNameStrategy, or a class implementing "
                            + SubjectNameStrategy.class.getName());
        }
    }

    /** Registry client settings: URLs without user info, the Authorization header, timeouts, retries. */
    public RegistryClientSettings registrySettings() {
        List<String> urls = new ArrayList<>();
        String urlUserInfo = null;
        for (String url : getList(SCHEMA_REGISTRY_URL_CONFIG)) {
            String trimmed = url.trim().replaceAll("/+$", "");
            if (trimmed.isEmpty()) {
                continue;
            }
            URI uri = URI.create(trimmed);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new ConfigException(SCHEMA_REGISTRY_URL_CONFIG, url, "not an absolute http(s) URL");
            }
            if (uri.getUserInfo() != null) {
                urlUserInfo = uri.getUserInfo();
                trimmed = trimmed.replace(uri.getRawUserInfo() + "@", "");
            }
            urls.add(trimmed);
        }
        if (urls.isEmpty()) {
            throw new ConfigException(
                    SCHEMA_REGISTRY_URL_CONFIG, getList(SCHEMA_REGISTRY_URL_CONFIG), "at least one URL is required");
        }
        return new RegistryClientSettings(
                urls,
                authorization(urlUserInfo),
                Duration.ofMillis(getInt(CONNECT_TIMEOUT_CONFIG)),
                Duration.ofMillis(getInt(READ_TIMEOUT_CONFIG)),
                getInt(MAX_RETRIES_CONFIG),
                Duration.ofMillis(getInt(RETRIES_WAIT_CONFIG)),
                Duration.ofMillis(getInt(RETRIES_MAX_WAIT_CONFIG)),
                Duration.ofSeconds(getLong(LATEST_CACHE_TTL_CONFIG)));
    }

    private String authorization(String urlUserInfo) {
        BasicAuthSource basic = ConfigChoices.parse(
                BasicAuthSource.class,
                BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG,
                getString(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG));
        String userInfo = switch (basic) {
            case USER_INFO -> value(getPassword(BASIC_AUTH_USER_INFO_CONFIG));
            case URL -> urlUserInfo;
            case NONE -> null;
        };
        if (userInfo != null && !userInfo.isEmpty()) {
            if (!userInfo.contains(":")) {
                throw new ConfigException(BASIC_AUTH_USER_INFO_CONFIG, "[hidden]", "must be user:password");
            }
            return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        }
        if (basic != BasicAuthSource.NONE) {
            throw new ConfigException(
                    BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG,
                    basic.configValue(),
                    "set, but no credentials found in "
                            + (basic == BasicAuthSource.URL
                                    ? SCHEMA_REGISTRY_URL_CONFIG
                                    : BASIC_AUTH_USER_INFO_CONFIG));
        }
        BearerAuthSource bearer = ConfigChoices.parse(
                BearerAuthSource.class,
                BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG,
                getString(BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG));
        if (bearer == BearerAuthSource.STATIC_TOKEN) {
            String token = value(getPassword(BEARER_AUTH_TOKEN_CONFIG));
            if (token.isEmpty()) {
                throw new ConfigException(BEARER_AUTH_TOKEN_CONFIG, "[hidden]", "required with STATIC_TOKEN");
            }
            return "Bearer " + token;
        }
        return null;
    }

    private static String value(Password password) {
        return password == null ? "" : password.value();
    }
}
