package io.chartpulse.streams.topology;

import io.chartpulse.avro.CatalogEntry;
import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.ChartMetric;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.EventType;
import io.chartpulse.avro.RejectedEvent;
import io.chartpulse.avro.Session;
import io.chartpulse.serde.avro.SpecificAvroDeserializer;
import io.chartpulse.serde.avro.SpecificAvroSerde;
import io.chartpulse.streams.enrich.Enricher;
import io.chartpulse.streams.metrics.ChartMetrics;
import io.chartpulse.streams.metrics.MetricAggregate;
import io.chartpulse.streams.metrics.MetricInput;
import io.chartpulse.streams.metrics.MetricKeys;
import io.chartpulse.streams.privacy.ErasedVisitors;
import io.chartpulse.streams.session.VisitorState;
import io.chartpulse.streams.session.Visitors;
import io.chartpulse.streams.validate.EventValidator;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The ChartPulse topology, built from its settings so tests run the very same graph:
 * <pre>
 * chart.events.raw.v1 ─ decode + validate ─┬─ rejected ───────────────────────────────→ chart.events.invalid.v1
 *                                          └─ valid ─ not erased ─ enrich ─ catalog join ─ visitors ─┬→ chart.events.enriched.v1
 * chart.catalog.v1 ─ GlobalKTable ───────────────────────────────────┘  (dedupe, sessions) └→ chart.sessions.v1
 *                         enriched ─ by chart ─ repartition ─ one-minute windows → chart.metrics.minute.v1
 * </pre>
 * Decode and validate are stateless; the catalog is a global table (every instance holds all of it), joined by
 * product and by chart. A missing catalog entry leaves the fields null and is counted. Deduplication and sessions
 * share one state per anonymous id in {@value Visitors#STORE} (see {@link Visitors}): the visitor's recent event
 * ids and its open sessions; per-minute chart metrics, after re-keying by chart, in {@value ChartMetrics#STORE}
 * (see {@link ChartMetrics}). Bots do not count in metrics. The erasure requests are a global table too
 * ({@value ErasedVisitors#STORE}): a valid event of an erased visitor is dropped and counted before anything keeps
 * it, and an erased visitor's open session is deleted instead of emitted when it closes.
 */
public final class ChartPulseTopology {

    /** A key no catalog entry has: events without product or chart look it up and find nothing. */
    static final String NO_KEY = "\u0000none";

    private ChartPulseTopology() {}

    /**
     * Adds the topology to {@code builder}: {@link #enrich}, then {@link #sessionize} and {@link #chartMetrics} on
     * the enriched stream.
     *
     * @param serdeConfig Avro serde settings ({@code schema.registry.url} and any auth)
     */
    public static void build(
            StreamsBuilder builder,
            TopologySettings settings,
            List<Enricher> enrichers,
            Map<String, ?> serdeConfig,
            TopologyCounters counters) {
        build(builder, settings, enrichers, serdeConfig, counters, StoreKind.PERSISTENT);
    }

    /** {@link #build} with its state stores of {@code stores} (the replay runs the graph with in-memory ones). */
    public static void build(
            StreamsBuilder builder,
            TopologySettings settings,
            List<Enricher> enrichers,
            Map<String, ?> serdeConfig,
            TopologyCounters counters,
            StoreKind stores) {
        Enriched enriched = enrich(builder, settings, enrichers, serdeConfig, counters, stores);
        sessionize(builder, enriched, settings, serdeConfig, counters);
        chartMetrics(builder, enriched.events(), settings, serdeConfig, counters, stores);
    }

    /**
     * What {@link #enrich} adds to a topology: the enriched stream ({@link #events()}, for {@link #chartMetrics} or
     * a topology's own steps) and the visitor step that deduplicates it, which {@link #sessionize} asks to cut
     * sessions too (one state per visitor serves both).
     */
    public static final class Enriched {
        private KStream<String, EnrichedEvent> events;
        private KStream<String, SpecificRecord> visitors;
        // Read by the visitor processors when the application creates them, after the topology is built.
        private boolean sessions;

        private Enriched() {}

        /** The deduplicated, enriched events, as written to the enriched topic. */
        public KStream<String, EnrichedEvent> events() {
            return events;
        }
    }

    /**
     * Steps 1–4: decode and validate (rejections to the invalid topic), enrich, join the catalog, deduplicate, and
     * write the enriched topic. Returns the enriched stream with the visitor step, for {@link #sessionize},
     * {@link #chartMetrics} or a topology's own steps.
     */
    public static Enriched enrich(
            StreamsBuilder builder,
            TopologySettings settings,
            List<Enricher> enrichers,
            Map<String, ?> serdeConfig,
            TopologyCounters counters) {
        return enrich(builder, settings, enrichers, serdeConfig, counters, StoreKind.PERSISTENT);
    }

    /** {@link #enrich} with its state stores of {@code stores} (the replay runs it with in-memory ones). */
    public static Enriched enrich(
            StreamsBuilder builder,
            TopologySettings settings,
            List<Enricher> enrichers,
            Map<String, ?> serdeConfig,
            TopologyCounters counters,
            StoreKind stores) {
        SpecificAvroDeserializer<ChartEvent> events = new SpecificAvroDeserializer<>(ChartEvent.class);
        events.configure(serdeConfig, false);
        EventValidator validator = new EventValidator(settings.maxClockSkew());
        // Cached: a visitor's state changes with each of its events, and the cache writes it to RocksDB and the
        // changelog once per commit instead of once per event.
        builder.addStateStore(stores.logged(WriteBehindStore.cached(
                Stores.keyValueStoreBuilder(stores.keyValue(Visitors.STORE), Serdes.String(), VisitorState.serde()),
                settings.writeBehind())));
        builder.addStateStore(stores.logged(
                Stores.keyValueStoreBuilder(stores.keyValue(Visitors.WATERMARK), Serdes.String(), Serdes.Long())
                        .withCachingEnabled()));
        GlobalKTable<String, CatalogEntry> catalog = builder.globalTable(
                settings.catalogTopic(),
                Consumed.with(Serdes.String(), serde(CatalogEntry.class, serdeConfig, counters))
                        .withName("catalog"));

        // The erasure requests: only whether a visitor's key is there matters, so the values stay bytes.
        builder.globalTable(
                settings.erasureTopic(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("erasure-requests"),
                Materialized.<String, byte[], KeyValueStore<Bytes, byte[]>>as(ErasedVisitors.STORE)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.ByteArray()));

        KStream<String, Checked> checked = builder.stream(
                        settings.rawTopic(),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("raw-events"))
                .processValues(
                        () -> new DecodeAndValidate(events, validator, counters, counters.guard()),
                        Named.as("decode-and-validate"));

        checked.filter((key, value) -> value.rejected() != null, Named.as("rejected"))
                .mapValues(Checked::rejected, Named.as("rejection"))
                .to(
                        settings.invalidTopic(),
                        Produced.with(Serdes.String(), serde(RejectedEvent.class, serdeConfig, counters))
                                .withName("invalid-events"));

        KStream<String, EnrichedEvent> joined = checked.filter(
                        (key, value) -> value.rejected() == null, Named.as("valid"))
                .mapValues(Checked::event, Named.as("event"))
                .processValues(() -> new SuppressErased(counters), Named.as("suppress-erased"))
                .processValues(() -> new Enrich(enrichers, counters), Named.as("enrich"))
                .leftJoin(
                        catalog,
                        (key, e) -> e.getProduct() == null
                                ? NO_KEY
                                : "product:" + e.getProduct().getProductId(),
                        (e, entry) -> {
                            if (e.getProduct() != null && entry == null) {
                                counters.catalogMiss();
                            }
                            e.setProductCatalog(entry);
                            return e;
                        },
                        Named.as("product-catalog"))
                .leftJoin(
                        catalog,
                        (key, e) -> e.getChart() == null
                                ? NO_KEY
                                : "chart:" + e.getChart().getChartId(),
                        (e, entry) -> {
                            if (e.getChart() != null && entry == null) {
                                counters.catalogMiss();
                            } else if (entry != null) {
                                counters.chartSite(e.getChart().getChartId(), entry.getSiteId());
                            }
                            e.setChartCatalog(entry);
                            return e;
                        },
                        Named.as("chart-catalog"));
        // Deduplication follows enrichment so that one state per visitor serves it and sessions: a copy (about one
        // event in a hundred) costs its enrichment, a second visitor store would cost every event more.
        Enriched step = new Enriched();
        step.visitors = joined.process(
                () -> new Visitors(
                        settings.dedupHorizon(),
                        settings.dedupMaxIds(),
                        settings.sessionCheck(),
                        counters::duplicate,
                        counters::erasedSession,
                        step.sessions
                                ? new Visitors.SessionRules(
                                        settings.sessionGap(),
                                        settings.sessionGrace(),
                                        settings.sessionMaxDuration(),
                                        counters::lateForSession)
                                : null),
                Named.as("visitors"),
                Visitors.STORE,
                Visitors.WATERMARK);
        step.events = step.visitors
                .filter((key, value) -> value instanceof EnrichedEvent, Named.as("kept-events"))
                .mapValues(value -> (EnrichedEvent) value, Named.as("kept-event"));
        step.events.to(
                settings.enrichedTopic(),
                Produced.with(Serdes.String(), serde(EnrichedEvent.class, serdeConfig, counters))
                        .withName("enriched-events"));
        return step;
    }

    /**
     * Step 5: final sessions per anonymous id to the sessions topic: the visitor step of {@code enriched} cuts
     * sessions as well as deduplicating (see {@link Visitors}).
     */
    public static void sessionize(
            StreamsBuilder builder,
            Enriched enriched,
            TopologySettings settings,
            Map<String, ?> serdeConfig,
            TopologyCounters counters) {
        enriched.sessions = true;
        enriched.visitors
                .filter((key, value) -> value instanceof Session, Named.as("closed-sessions"))
                .mapValues(value -> (Session) value, Named.as("closed-session"))
                .to(
                        settings.sessionsTopic(),
                        Produced.with(Serdes.String(), serde(Session.class, serdeConfig, counters))
                                .withName("sessions"));
    }

    /**
     * Step 6: people's chart and product events, re-keyed by chart, counted in one-minute windows; final windows to
     * the metrics topic (see {@link ChartMetrics}). Bots do not count.
     */
    public static void chartMetrics(
            StreamsBuilder builder,
            KStream<String, EnrichedEvent> enriched,
            TopologySettings settings,
            Map<String, ?> serdeConfig,
            TopologyCounters counters) {
        chartMetrics(builder, enriched, settings, serdeConfig, counters, StoreKind.PERSISTENT);
    }

    static void chartMetrics(
            StreamsBuilder builder,
            KStream<String, EnrichedEvent> enriched,
            TopologySettings settings,
            Map<String, ?> serdeConfig,
            TopologyCounters counters,
            StoreKind stores) {
        // Cached: a chart's window changes with most of its events, and the cache writes it to RocksDB and the
        // changelog once per commit instead of once per event.
        builder.addStateStore(stores.logged(WriteBehindStore.cached(
                Stores.keyValueStoreBuilder(
                        stores.keyValue(ChartMetrics.STORE), Serdes.String(), MetricAggregate.serde()),
                settings.writeBehind())));
        builder.addStateStore(stores.logged(Stores.keyValueStoreBuilder(
                        stores.keyValue(ChartMetrics.WATERMARKS), Serdes.Integer(), Serdes.ByteArray())
                .withCachingEnabled()));
        enriched.filter((key, e) -> !e.getIsBot() && e.getChart() != null, Named.as("people-on-charts"))
                .process(MetricInputs::new, Named.as("metric-inputs"))
                .repartition(
                        Repartitioned.with(Serdes.String(), MetricInput.serde()).withName("metrics-by-chart"))
                .process(
                        () -> new ChartMetrics(
                                settings.metricsGrace(),
                                settings.metricsRetention(),
                                settings.sessionCheck(),
                                counters::lateForMetrics,
                                counters::chartMinute),
                        Named.as("chart-metrics"),
                        ChartMetrics.STORE,
                        ChartMetrics.WATERMARKS)
                .to(
                        settings.metricsTopic(),
                        Produced.with(Serdes.String(), serde(ChartMetric.class, serdeConfig, counters))
                                .withName("chart-metrics-minute"));
    }

    // Chart rows count chart impressions and every click on the chart; product rows their own impressions and
    // clicks, by the rank and merchant the row showed. Both count the visitor.
    // Tags each input with the raw-topic partition it came from (the enriched stream is co-partitioned with it):
    // chart metrics keep a watermark per upstream partition.
    private static final class MetricInputs implements Processor<String, EnrichedEvent, String, MetricInput> {
        private ProcessorContext<String, MetricInput> context;

        @Override
        public void init(ProcessorContext<String, MetricInput> context) {
            this.context = context;
        }

        @Override
        public void process(Record<String, EnrichedEvent> record) {
            int partition =
                    context.recordMetadata().map(RecordMetadata::partition).orElse(MetricInput.UNKNOWN_PARTITION);
            for (KeyValue<String, MetricInput> input : metricInputs(record.value(), partition)) {
                context.forward(record.withKey(input.key).withValue(input.value));
            }
        }
    }

    static List<KeyValue<String, MetricInput>> metricInputs(EnrichedEvent e, int partition) {
        String chartId = e.getChart().getChartId();
        String chart = MetricKeys.group(chartId, null);
        String product = e.getProduct() == null
                ? null
                : MetricKeys.group(chartId, e.getProduct().getProductId());
        long t = e.getDerivedAt().toEpochMilli();
        String visitor = e.getAnonymousId();
        Integer rank = e.getProduct() == null ? null : e.getProduct().getRank();
        String merchant = e.getProduct() == null ? null : e.getProduct().getMerchant();
        return switch (e.getEventType()) {
            case CHART_IMPRESSION ->
                List.of(KeyValue.pair(chart, new MetricInput(MetricInput.Kind.IMPRESSION, t, visitor, partition)));
            case PRODUCT_IMPRESSION ->
                product == null
                        ? List.of()
                        : List.of(
                                KeyValue.pair(
                                        product,
                                        new MetricInput(
                                                MetricInput.Kind.IMPRESSION, t, visitor, partition, rank, merchant)),
                                KeyValue.pair(chart, new MetricInput(MetricInput.Kind.VISIT, t, visitor, partition)));
            case PRODUCT_CLICK, OUTBOUND_CLICK -> {
                MetricInput.Kind kind = e.getEventType() == EventType.PRODUCT_CLICK
                        ? MetricInput.Kind.PRODUCT_CLICK
                        : MetricInput.Kind.OUTBOUND_CLICK;
                yield product == null
                        ? List.of(KeyValue.pair(chart, new MetricInput(kind, t, visitor, partition)))
                        : List.of(
                                KeyValue.pair(product, new MetricInput(kind, t, visitor, partition, rank, merchant)),
                                KeyValue.pair(chart, new MetricInput(kind, t, visitor, partition)));
            }
            default -> List.of();
        };
    }

    // A registry outage while encoding an output, or decoding a catalog entry, waits in the guard: the record is
    // written once the registry answers, never dropped or rejected for it.
    private static <T extends SpecificRecord> Serde<T> serde(
            Class<T> type, Map<String, ?> config, TopologyCounters counters) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(config, false);
        DependencyGuard guard = counters.guard();
        Serializer<T> serializer = serde.serializer();
        Deserializer<T> deserializer = serde.deserializer();
        return Serdes.serdeFrom(
                (topic, value) -> guard.call(DependencyGuard.SCHEMA_REGISTRY, () -> serializer.serialize(topic, value)),
                (topic, bytes) ->
                        guard.call(DependencyGuard.SCHEMA_REGISTRY, () -> deserializer.deserialize(topic, bytes)));
    }
}
