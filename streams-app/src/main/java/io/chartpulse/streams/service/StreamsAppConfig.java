package io.chartpulse.streams.service;

import io.chartpulse.config.ConfigChoice;
import io.chartpulse.config.ConfigChoices;
import io.chartpulse.streams.topology.TopologyCounters;
import io.chartpulse.streams.topology.TopologySettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Every setting of the streams app, declared once. Values come from a properties file and
 * {@code CHARTPULSE_STREAMS_*} environment variables; any {@code streams.*} key goes to Kafka Streams (e.g.
 * {@code streams.commit.interval.ms}), any {@code kafka.*} key to its clients, any {@code serde.*} key to the Avro
 * serdes.
 */
public final class StreamsAppConfig extends AbstractConfig {

    public static final String ENV_PREFIX = "CHARTPULSE_STREAMS_";

    public static final String APPLICATION_ID_CONFIG = "application.id";
    public static final String BOOTSTRAP_SERVERS_CONFIG = "kafka.bootstrap.servers";
    public static final String REGISTRY_URL_CONFIG = "schema.registry.url";
    public static final String GUARANTEE_CONFIG = "processing.guarantee";

    /** {@value #GUARANTEE_CONFIG}: the Kafka Streams processing guarantees this app supports. */
    public enum Guarantee implements ConfigChoice {
        EXACTLY_ONCE_V2(StreamsConfig.EXACTLY_ONCE_V2),
        AT_LEAST_ONCE(StreamsConfig.AT_LEAST_ONCE);

        private final String value;

        Guarantee(String value) {
            this.value = value;
        }

        @Override
        public String configValue() {
            return value;
        }
    }

    public static final String THREADS_CONFIG = "num.stream.threads";
    public static final String STANDBYS_CONFIG = "num.standby.replicas";
    public static final String AGENT_PREFETCH_CONFIG = "agent.prefetch";
    public static final String WRITE_BEHIND_CONFIG = "state.write.behind";
    public static final String STATE_DIR_CONFIG = "state.dir";
    public static final String HOST_CONFIG = "host";
    public static final String PORT_CONFIG = "port";
    public static final String APPLICATION_SERVER_CONFIG = "application.server";
    public static final String RAW_TOPIC_CONFIG = "topic.raw";
    public static final String ENRICHED_TOPIC_CONFIG = "topic.enriched";
    public static final String INVALID_TOPIC_CONFIG = "topic.invalid";
    public static final String CATALOG_TOPIC_CONFIG = "topic.catalog";
    public static final String SESSIONS_TOPIC_CONFIG = "topic.sessions";
    public static final String METRICS_TOPIC_CONFIG = "topic.metrics";
    public static final String ERASURE_TOPIC_CONFIG = "topic.erasure";
    public static final String DEDUP_HORIZON_CONFIG = "dedup.horizon.ms";
    public static final String DEDUP_MAX_IDS_CONFIG = "dedup.max.ids";
    public static final String MAX_SKEW_CONFIG = "max.clock.skew.ms";
    public static final String SESSION_GAP_CONFIG = "session.gap.ms";
    public static final String SESSION_GRACE_CONFIG = "session.grace.ms";
    public static final String CLOSE_CHECK_CONFIG = "close.check.ms";
    public static final String METRICS_GRACE_CONFIG = "metrics.grace.ms";
    public static final String METRICS_RETENTION_CONFIG = "metrics.retention.ms";
    public static final String SESSION_MAX_DURATION_CONFIG = "session.max.duration.ms";
    public static final String MAX_STALL_CONFIG = "dependency.max.stall.ms";
    public static final String MAX_REPLACEMENTS_CONFIG = "thread.max.replacements";
    public static final String REPLACEMENT_WINDOW_CONFIG = "thread.replacement.window.ms";

    /**
     * The producers' transaction timeout unless {@code streams.producer.transaction.timeout.ms} says otherwise:
     * Kafka Streams' own default (10 s) would abort the open transaction under a thread waiting out a registry
     * outage for longer.
     */
    static final long TRANSACTION_TIMEOUT_MS = 60_000;

    /**
     * The producers' batch size unless {@code streams.producer.batch.size} says otherwise: measured with the streams
     * benchmark (a 1 KB enriched event fills Kafka's 16 KB batch in 16 events), 128 KB took 14 % less CPU per event
     * for the full topology at the same latency.
     */
    public static final int BATCH_SIZE_BYTES = 131_072;

    private static final String BATCH_SIZE_KEY = StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG);
    private static final String TRANSACTION_TIMEOUT_KEY =
            StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
    private static final String MAX_POLL_INTERVAL_KEY =
            StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG);

    private static final TopologySettings D = TopologySettings.defaults();

    /** The default application id: the streams app's consumer group (what lag-based scaling and readiness read). */
    public static final String DEFAULT_APPLICATION_ID = "chartpulse-streams";

    public static final ConfigDef CONFIG = new ConfigDef()
            .define(
                    APPLICATION_ID_CONFIG,
                    Type.STRING,
                    DEFAULT_APPLICATION_ID,
                    Importance.HIGH,
                    "Kafka Streams application id: consumer group, prefix of internal topics and state.")
            .define(
                    BOOTSTRAP_SERVERS_CONFIG,
                    Type.STRING,
                    "localhost:9092",
                    Importance.HIGH,
                    "Kafka bootstrap servers. Other kafka.* keys go to every client; streams.* keys to Kafka Streams.")
            .define(
                    REGISTRY_URL_CONFIG,
                    Type.STRING,
                    "http://localhost:8081",
                    Importance.HIGH,
                    "Schema registry URL(s), comma-separated; serde.* keys go to the Avro serdes.")
            .define(
                    GUARANTEE_CONFIG,
                    Type.STRING,
                    Guarantee.EXACTLY_ONCE_V2.configValue(),
                    ConfigChoices.validator(Guarantee.class),
                    Importance.HIGH,
                    "exactly_once_v2 (each input counted once in every output, read_committed readers) or at_least_once.",
                    null,
                    -1,
                    ConfigDef.Width.NONE,
                    GUARANTEE_CONFIG,
                    ConfigChoices.recommender(Guarantee.class))
            .define(
                    THREADS_CONFIG,
                    Type.INT,
                    1,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "Stream threads of this instance.")
            .define(
                    AGENT_PREFETCH_CONFIG,
                    Type.BOOLEAN,
                    true,
                    Importance.LOW,
                    "Parse the user agents of fetched raw events on a thread of its own, ahead of the stream threads"
                            + " (the output is the same either way; it pays while a core is left over).")
            .define(
                    WRITE_BEHIND_CONFIG,
                    Type.BOOLEAN,
                    D.writeBehind(),
                    Importance.LOW,
                    "Keep the visitor and chart-metric stores' changes as objects until each commit, then write each"
                            + " changed key once (true), or in Kafka Streams' record cache of serialized values"
                            + " (false). The output is the same either way.")
            .define(
                    STANDBYS_CONFIG,
                    Type.INT,
                    0,
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    "Standby replicas of each state store on other instances, for fast fail-over.")
            .define(
                    STATE_DIR_CONFIG,
                    Type.STRING,
                    ".chartpulse/streams-state",
                    Importance.MEDIUM,
                    "Directory of the local state stores (RocksDB); keep it across restarts.")
            .define(HOST_CONFIG, Type.STRING, "127.0.0.1", Importance.MEDIUM, "Address the HTTP API binds to.")
            .define(
                    PORT_CONFIG,
                    Type.INT,
                    8084,
                    Range.between(0, 65535),
                    Importance.MEDIUM,
                    "HTTP port; 0 picks a free one.")
            .define(
                    APPLICATION_SERVER_CONFIG,
                    Type.STRING,
                    "",
                    Importance.MEDIUM,
                    "host:port other instances reach this one's HTTP API at, for interactive queries; empty means host:port.")
            .define(RAW_TOPIC_CONFIG, Type.STRING, D.rawTopic(), Importance.LOW, "Input: raw events.")
            .define(ENRICHED_TOPIC_CONFIG, Type.STRING, D.enrichedTopic(), Importance.LOW, "Output: enriched events.")
            .define(INVALID_TOPIC_CONFIG, Type.STRING, D.invalidTopic(), Importance.LOW, "Output: rejected events.")
            .define(
                    CATALOG_TOPIC_CONFIG,
                    Type.STRING,
                    D.catalogTopic(),
                    Importance.LOW,
                    "Input: the catalog (compacted).")
            .define(SESSIONS_TOPIC_CONFIG, Type.STRING, D.sessionsTopic(), Importance.LOW, "Output: final sessions.")
            .define(
                    METRICS_TOPIC_CONFIG,
                    Type.STRING,
                    D.metricsTopic(),
                    Importance.LOW,
                    "Output: per-minute chart metrics.")
            .define(
                    ERASURE_TOPIC_CONFIG,
                    Type.STRING,
                    D.erasureTopic(),
                    Importance.LOW,
                    "Input: erasure requests (compacted); events of an erased visitor are dropped.")
            .define(
                    DEDUP_HORIZON_CONFIG,
                    Type.LONG,
                    D.dedupHorizon().toMillis(),
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "How long an event_id is remembered for deduplication.")
            .define(
                    DEDUP_MAX_IDS_CONFIG,
                    Type.INT,
                    D.dedupMaxIds(),
                    Range.between(1, 4096),
                    Importance.MEDIUM,
                    "How many of a visitor's most recent event ids are remembered for deduplication: a copy is"
                            + " recognised when it comes within the horizon and fewer events of the same visitor"
                            + " came between (the tracker keeps at most 500 unanswered events per tab). Each id costs"
                            + " about 20 bytes of the visitor's state.")
            .define(
                    MAX_SKEW_CONFIG,
                    Type.LONG,
                    D.maxClockSkew().toMillis(),
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    "Largest allowed distance of created_at and sent_at from received_at.")
            .define(
                    SESSION_GAP_CONFIG,
                    Type.LONG,
                    D.sessionGap().toMillis(),
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "Inactivity that ends a session.")
            .define(
                    SESSION_GRACE_CONFIG,
                    Type.LONG,
                    D.sessionGrace().toMillis(),
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    "How long a session waits for late events after its gap before it is emitted.")
            .define(
                    CLOSE_CHECK_CONFIG,
                    Type.LONG,
                    D.sessionCheck().toMillis(),
                    Range.atLeast(100),
                    Importance.LOW,
                    "How often (wall clock) an idle partition closes due sessions and metric windows.")
            .define(
                    METRICS_GRACE_CONFIG,
                    Type.LONG,
                    D.metricsGrace().toMillis(),
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    "How long a one-minute window waits for late events before it is emitted.")
            .define(
                    METRICS_RETENTION_CONFIG,
                    Type.LONG,
                    D.metricsRetention().toMillis(),
                    Range.atLeast(60_000),
                    Importance.LOW,
                    "How long emitted metric windows stay queryable through the HTTP API.")
            .define(
                    SESSION_MAX_DURATION_CONFIG,
                    Type.LONG,
                    D.sessionMaxDuration().toMillis(),
                    Range.atLeast(60_000),
                    Importance.LOW,
                    "The longest a session lasts: a visitor active without a pause that long (a crawler) has its"
                            + " session closed and flagged max_duration_reached, and the next event starts a new one.")
            .define(
                    MAX_STALL_CONFIG,
                    Type.LONG,
                    TopologyCounters.DEFAULT_MAX_STALL_MS,
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    "How long a stream thread waits in place, retrying, for an unreachable schema registry before it"
                            + " fails and is replaced (not counted as a crash). Must be below the producer's"
                            + " transaction.timeout.ms (60000 unless streams.producer.transaction.timeout.ms is set)"
                            + " and max.poll.interval.ms.")
            .define(
                    MAX_REPLACEMENTS_CONFIG,
                    Type.INT,
                    5,
                    Range.atLeast(0),
                    Importance.LOW,
                    "Stream thread crashes (dependency outages excluded) replaced within thread.replacement.window.ms;"
                            + " one more shuts the client down and /healthz fails.")
            .define(
                    REPLACEMENT_WINDOW_CONFIG,
                    Type.LONG,
                    600_000L,
                    Range.atLeast(1),
                    Importance.LOW,
                    "The window over which thread.max.replacements counts crashes.");

    public StreamsAppConfig(Map<?, ?> values) {
        super(CONFIG, values, false);
        long stall = getLong(MAX_STALL_CONFIG);
        for (Map.Entry<String, Long> limit : Map.of(
                        TRANSACTION_TIMEOUT_KEY, transactionTimeoutMs(),
                        MAX_POLL_INTERVAL_KEY, maxPollIntervalMs())
                .entrySet()) {
            if (stall >= limit.getValue()) {
                throw new ConfigException(MAX_STALL_CONFIG + "=" + stall
                        + " must be below streams." + limit.getKey() + " (" + limit.getValue()
                        + " ms): a thread waiting that long would lose its transaction or its group membership");
            }
        }
    }

    private long transactionTimeoutMs() {
        Object set = originalsWithPrefix("streams.").get(TRANSACTION_TIMEOUT_KEY);
        return set == null
                ? TRANSACTION_TIMEOUT_MS
                : Long.parseLong(set.toString().trim());
    }

    private long maxPollIntervalMs() {
        Object set = originalsWithPrefix("streams.").get(MAX_POLL_INTERVAL_KEY);
        return set == null ? 300_000L : Long.parseLong(set.toString().trim());
    }

    public TopologySettings topology() {
        return new TopologySettings(
                getString(RAW_TOPIC_CONFIG),
                getString(ENRICHED_TOPIC_CONFIG),
                getString(INVALID_TOPIC_CONFIG),
                getString(CATALOG_TOPIC_CONFIG),
                getString(SESSIONS_TOPIC_CONFIG),
                getString(METRICS_TOPIC_CONFIG),
                getString(ERASURE_TOPIC_CONFIG),
                ms(DEDUP_HORIZON_CONFIG),
                getInt(DEDUP_MAX_IDS_CONFIG),
                ms(MAX_SKEW_CONFIG),
                ms(SESSION_GAP_CONFIG),
                ms(SESSION_GRACE_CONFIG),
                ms(CLOSE_CHECK_CONFIG),
                ms(METRICS_GRACE_CONFIG),
                ms(METRICS_RETENTION_CONFIG),
                ms(SESSION_MAX_DURATION_CONFIG),
                getBoolean(WRITE_BEHIND_CONFIG));
    }

    public Map<String, Object> serdeConfig() {
        Map<String, Object> serde = new HashMap<>(originalsWithPrefix("serde."));
        serde.put("schema.registry.url", getString(REGISTRY_URL_CONFIG));
        return serde;
    }

    public Guarantee guarantee() {
        return ConfigChoices.parse(Guarantee.class, GUARANTEE_CONFIG, getString(GUARANTEE_CONFIG));
    }

    /** Kafka Streams properties; {@code applicationServer} is this instance's host:port for interactive queries. */
    public Properties streamsProperties(String applicationServer) {
        Properties props = new Properties();
        originalsWithPrefix("kafka.").forEach(props::put);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, getString(APPLICATION_ID_CONFIG));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, getString(BOOTSTRAP_SERVERS_CONFIG));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee().configValue());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, getInt(THREADS_CONFIG));
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, getInt(STANDBYS_CONFIG));
        props.put(StreamsConfig.STATE_DIR_CONFIG, getString(STATE_DIR_CONFIG));
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        props.put(TRANSACTION_TIMEOUT_KEY, (int) transactionTimeoutMs());
        props.put(BATCH_SIZE_KEY, BATCH_SIZE_BYTES);
        originalsWithPrefix("streams.").forEach(props::put);
        return props;
    }

    private Duration ms(String key) {
        return Duration.ofMillis(getLong(key));
    }
}
