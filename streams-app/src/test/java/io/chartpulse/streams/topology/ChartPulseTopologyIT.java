package io.chartpulse.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.avro.CatalogEntry;
import io.chartpulse.avro.CatalogEntryType;
import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.ChartMetric;
import io.chartpulse.avro.Context;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.EventType;
import io.chartpulse.avro.Interaction;
import io.chartpulse.avro.Page;
import io.chartpulse.avro.PayloadFormat;
import io.chartpulse.avro.Product;
import io.chartpulse.avro.ReferrerClass;
import io.chartpulse.avro.RejectedEvent;
import io.chartpulse.avro.RejectionStage;
import io.chartpulse.avro.Session;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.junit.StackExtension;
import io.chartpulse.embedded.kafka.DataDirs;
import io.chartpulse.schemas.ErasureKeys;
import io.chartpulse.schemas.SampleRecords;
import io.chartpulse.serde.avro.KafkaAvroSerializer;
import io.chartpulse.serde.avro.SpecificAvroDeserializer;
import io.chartpulse.serde.avro.SpecificAvroSerializer;
import io.chartpulse.streams.enrich.Enricher;
import io.chartpulse.streams.enrich.Enrichers;
import io.chartpulse.streams.metrics.ChartMetrics;
import io.chartpulse.streams.metrics.MetricAggregate;
import io.chartpulse.streams.session.Visitors;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every branch of the topology through TopologyTestDriver, with the real registry behind the serdes. */
@ExtendWith(StackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChartPulseTopologyIT {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String CHROME =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                    + "Chrome/131.0.0.0 Safari/537.36";

    // YAUAA takes seconds to load its rules: one chain for the whole class.
    private static final List<Enricher> ENRICHERS = Enrichers.standard();

    private Map<String, Object> serde;
    private TopologyTestDriver driver;
    private TopologyCounters counters;
    private TestInputTopic<String, byte[]> raw;
    private TestInputTopic<String, CatalogEntry> catalog;
    private TestInputTopic<String, byte[]> erasures;
    private TestOutputTopic<String, EnrichedEvent> enriched;
    private TestOutputTopic<String, RejectedEvent> invalid;
    private TestOutputTopic<String, Session> sessions;
    private TestOutputTopic<String, ChartMetric> metrics;
    private KafkaAvroSerializer serializer;

    @BeforeAll
    void registry(EmbeddedRegistry registry) {
        serde = registry.serdeConfig();
    }

    @BeforeEach
    void start() {
        counters = new TopologyCounters();
        TopologySettings settings = TopologySettings.defaults()
                .withDedupHorizon(Duration.ofHours(1))
                .withSessions(Duration.ofMinutes(30), Duration.ofMinutes(5), Duration.ofSeconds(10));
        StreamsBuilder builder = new StreamsBuilder();
        ChartPulseTopology.build(builder, settings, ENRICHERS, serde, counters);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(
                StreamsConfig.STATE_DIR_CONFIG,
                DataDirs.temporary("topology-test").toString());
        driver = new TopologyTestDriver(builder.build(), props);
        serializer = new KafkaAvroSerializer();
        serializer.configure(serde, false);
        raw = driver.createInputTopic(settings.rawTopic(), new StringSerializer(), new ByteArraySerializer());
        SpecificAvroSerializer<CatalogEntry> catalogValues = new SpecificAvroSerializer<>();
        catalogValues.configure(serde, false);
        catalog = driver.createInputTopic(settings.catalogTopic(), new StringSerializer(), catalogValues);
        erasures = driver.createInputTopic(settings.erasureTopic(), new StringSerializer(), new ByteArraySerializer());
        SpecificAvroDeserializer<EnrichedEvent> enrichedValues = new SpecificAvroDeserializer<>(EnrichedEvent.class);
        enrichedValues.configure(serde, false);
        enriched = driver.createOutputTopic(settings.enrichedTopic(), new StringDeserializer(), enrichedValues);
        SpecificAvroDeserializer<RejectedEvent> invalidValues = new SpecificAvroDeserializer<>(RejectedEvent.class);
        invalidValues.configure(serde, false);
        invalid = driver.createOutputTopic(settings.invalidTopic(), new StringDeserializer(), invalidValues);
        SpecificAvroDeserializer<Session> sessionValues = new SpecificAvroDeserializer<>(Session.class);
        sessionValues.configure(serde, false);
        sessions = driver.createOutputTopic(settings.sessionsTopic(), new StringDeserializer(), sessionValues);
        SpecificAvroDeserializer<ChartMetric> metricValues = new SpecificAvroDeserializer<>(ChartMetric.class);
        metricValues.configure(serde, false);
        metrics = driver.createOutputTopic(settings.metricsTopic(), new StringDeserializer(), metricValues);
    }

    @AfterEach
    void stop() {
        try {
            assertThat(enriched.isEmpty()).as("no unexpected enriched output").isTrue();
            assertThat(invalid.isEmpty()).as("no unexpected rejections").isTrue();
        } finally {
            driver.close();
        }
    }

    private static ChartEvent.Builder event() {
        ChartEvent sample = SampleRecords.chartEvent();
        return ChartEvent.newBuilder(sample)
                .setEventId(UUID.randomUUID())
                .setCreatedAt(T0)
                .setSentAt(T0.plusMillis(500))
                .setReceivedAt(T0.plusMillis(700))
                .setSampleRate(null)
                .setContext(Context.newBuilder(sample.getContext())
                        .setUserAgent(CHROME)
                        .build());
    }

    private void send(ChartEvent e) {
        raw.pipeInput(e.getAnonymousId(), serializer.serialize("chart.events.raw.v1", e), e.getReceivedAt());
    }

    @Test
    void aValidEventIsEnrichedWithTimeAgentReferrerCampaignAndCatalog() {
        catalog.pipeInput("product:p-42", SampleRecords.catalogEntry());
        catalog.pipeInput(
                "chart:laptops-2026",
                CatalogEntry.newBuilder(SampleRecords.catalogEntry())
                        .setEntryType(CatalogEntryType.CHART)
                        .setId("laptops-2026")
                        .setName("Best laptops")
                        .build());
        ChartEvent e = event().build();
        send(e);

        EnrichedEvent out = enriched.readValue();
        assertThat(out.getEventId()).isEqualTo(e.getEventId());
        // derived = received - (sent - created) = T0 + 700 - 500
        assertThat(out.getDerivedAt()).isEqualTo(T0.plusMillis(200));
        assertThat(out.getClockSkewMs()).isEqualTo(-200L);
        assertThat(out.getUserAgent().getBrowser()).isEqualTo("Chrome");
        assertThat(out.getUserAgent().getBrowserVersion()).isEqualTo("131");
        assertThat(out.getUserAgent().getDeviceClass()).isEqualTo("Desktop");
        assertThat(out.getIsBot()).isFalse();
        assertThat(out.getBotReason()).isNull();
        assertThat(out.getReferrer().getReferrerClass()).isEqualTo(ReferrerClass.EMAIL);
        assertThat(out.getCampaign().getSource()).isEqualTo("news");
        assertThat(out.getCampaign().getMedium()).isEqualTo("email");
        assertThat(out.getProductCatalog().getBrand()).isEqualTo("Acme");
        assertThat(out.getChartCatalog().getName()).isEqualTo("Best laptops");
        // The chart's site, for the per-site Prometheus totals (and the traffic anomaly alerts on them).
        assertThat(counters.site("laptops-2026")).isEqualTo("reviews.example");
        assertThat(counters.site("a-chart-the-catalog-does-not-know")).isEmpty();
        assertThat(out.getCountry()).isEqualTo("DE");
        assertThat(out.getDedupFingerprint()).isEqualTo(e.getEventId().toString());
        assertThat(out.getVariant()).isEqualTo("compact-table");
        assertThat(counters.validCount()).isEqualTo(1);
        assertThat(counters.catalogMissCount()).isZero();
    }

    @Test
    void eachBrokenRuleIsRejectedWithItsCode() {
        List<ChartEvent> broken = List.of(
                event().setProduct(null).build(),
                event().setProduct(Product.newBuilder(SampleRecords.product())
                                .setRank(null)
                                .build())
                        .build(),
                event().setInteraction(Interaction.newBuilder(SampleRecords.interaction())
                                .setTargetUrl(null)
                                .build())
                        .build(),
                event().setInteraction(Interaction.newBuilder(SampleRecords.interaction())
                                .setTargetUrl("javascript:alert(1)")
                                .build())
                        .build(),
                event().setEventType(EventType.CHART_IMPRESSION).setChart(null).build(),
                event().setCreatedAt(T0.minus(Duration.ofDays(3))).build(),
                event().setSentAt(T0.minusMillis(1)).build(),
                event().setAnonymousId("").build());
        broken.forEach(this::send);

        List<RejectedEvent> rejected = invalid.readValuesToList();
        assertThat(rejected)
                .extracting(RejectedEvent::getCode)
                .containsExactly(
                        "missing_product",
                        "missing_rank",
                        "missing_target_url",
                        "invalid_target_url",
                        "missing_chart",
                        "clock_skew",
                        "invalid_timestamps",
                        "invalid_id");
        assertThat(rejected).allSatisfy(r -> {
            assertThat(r.getStage()).isEqualTo(RejectionStage.STREAMS);
            assertThat(r.getPayloadFormat()).isEqualTo(PayloadFormat.AVRO);
            assertThat(r.getSource().getTopic()).isEqualTo("chart.events.raw.v1");
            assertThat(r.getSource().getOffset()).isNotNull();
        });
        assertThat(rejected.get(1).getField()).isEqualTo("product.rank");
        assertThat(rejected.get(5).getMessage()).contains("created_at").contains("received_at");
        assertThat(counters.rejectedByCode()).containsEntry("missing_rank", 1L).hasSize(8);
    }

    @Test
    void aPoisonPillIsRejectedAndTheStreamGoesOn() {
        raw.pipeInput("anon-x", "not avro at all".getBytes(), T0);
        raw.pipeInput("anon-y", null, T0);
        send(event().build());

        List<RejectedEvent> rejected = invalid.readValuesToList();
        assertThat(rejected).extracting(RejectedEvent::getCode).containsExactly("undecodable", "undecodable");
        assertThat(rejected.get(0).getPayloadFormat()).isEqualTo(PayloadFormat.BYTES);
        assertThat(new String(rejected.get(0).getPayload().array())).isEqualTo("not avro at all");
        assertThat(rejected.get(0).getMessage()).contains("magic byte");
        assertThat(rejected.get(0).getSource().getAnonymousId()).isEqualTo("anon-x");
        assertThat(enriched.readValuesToList()).hasSize(1);
    }

    @Test
    void duplicatesWithinTheHorizonAreDroppedAndCountedBeyondItTheyPass() {
        ChartEvent e = event().build();
        send(e);
        send(e);
        send(ChartEvent.newBuilder(e)
                .setSentAt(T0.plusSeconds(30))
                .setReceivedAt(T0.plusSeconds(31))
                .build());
        assertThat(enriched.readValuesToList()).hasSize(1);
        assertThat(counters.duplicateCount()).isEqualTo(2);

        Instant later = T0.plus(Duration.ofHours(2));
        send(ChartEvent.newBuilder(e)
                .setCreatedAt(later)
                .setSentAt(later)
                .setReceivedAt(later)
                .build());
        assertThat(enriched.readValuesToList()).hasSize(1);
    }

    @Test
    void botsAreFlaggedWithTheFirstRuleThatMatches() {
        send(event().setContext(Context.newBuilder()
                        .setUserAgent("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
                        .build())
                .build());
        send(event().setContext(Context.newBuilder().setUserAgent("curl/8.5.0").build())
                .build());
        send(event().setContext(Context.newBuilder()
                        .setUserAgent(CHROME)
                        .setHeadless(true)
                        .build())
                .build());
        send(event().setContext(Context.newBuilder()
                        .setUserAgent(CHROME)
                        .setWebdriver(true)
                        .build())
                .build());

        // YAUAA already knows curl as a robot; the bot list catches what it does not (see BotEnricherTest).
        assertThat(enriched.readValuesToList())
                .extracting(EnrichedEvent::getBotReason)
                .containsExactly("ua_robot_class", "ua_robot_class", "headless", "webdriver");
        assertThat(counters.botCount()).isEqualTo(4);
    }

    @Test
    void aCatalogMissLeavesFieldsNullAndIsCounted() {
        send(event().build());
        EnrichedEvent out = enriched.readValue();
        assertThat(out.getProductCatalog()).isNull();
        assertThat(out.getChartCatalog()).isNull();
        assertThat(counters.catalogMissCount()).isEqualTo(2);
    }

    // Due sessions and windows are looked for at most every close.check.ms of wall-clock time.
    private void tick() {
        driver.advanceWallClockTime(Duration.ofSeconds(10));
    }

    private ChartEvent at(String anon, Instant t, EventType type) {
        return event().setAnonymousId(anon)
                .setEventType(type)
                .setCreatedAt(t)
                .setSentAt(t)
                .setReceivedAt(t)
                .build();
    }

    @Test
    void sessionsSplitOnTheGapAndAreEmittedOnceTheWatermarkPassesGapAndGrace() {
        send(at("v1", T0, EventType.PAGE_VIEW));
        send(at("v1", T0.plus(Duration.ofMinutes(10)), EventType.OUTBOUND_CLICK));
        send(at("v1", T0.plus(Duration.ofMinutes(42)), EventType.PAGE_VIEW)); // beyond the gap: a new session
        assertThat(sessions.isEmpty()).as("nothing is final before gap + grace").isTrue();
        // Another visitor moves stream time past the first session's end + 30 min gap + 5 min grace.
        send(at("v2", T0.plus(Duration.ofMinutes(46)), EventType.PAGE_VIEW));
        tick();
        Session first = sessions.readValue();
        assertThat(first.getAnonymousId()).isEqualTo("v1");
        assertThat(first.getEventCount()).isEqualTo(2);
        assertThat(first.getPageViews()).isEqualTo(1);
        assertThat(first.getOutboundClicks()).isEqualTo(1);
        assertThat(first.getDurationMs()).isEqualTo(Duration.ofMinutes(10).toMillis());
        assertThat(first.getIsBounce()).isFalse();
        assertThat(first.getProductsClicked()).containsExactly("p-42");
        assertThat(first.getDevice().getBrowser()).isEqualTo("Chrome");
        assertThat(sessions.isEmpty())
                .as("the second session of v1 and v2's are still open")
                .isTrue();
        enriched.readValuesToList();
    }

    @Test
    void aQuietPartitionClosesItsSessionsByTheWallClock() {
        send(at("quiet", T0, EventType.PAGE_VIEW));
        driver.advanceWallClockTime(Duration.ofMinutes(20));
        assertThat(sessions.isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofMinutes(16));
        Session closed = sessions.readValue();
        assertThat(closed.getAnonymousId()).isEqualTo("quiet");
        assertThat(closed.getIsBounce()).isTrue();
        assertThat(closed.getEntryPage()).isEqualTo("/best-laptops");
        enriched.readValuesToList();
    }

    @Test
    void anErasedVisitorsNewEventsAreDroppedAndCountedAndTheirOpenSessionIsNeverEmitted() {
        send(at("erased", T0, EventType.PAGE_VIEW));
        send(at("kept", T0, EventType.PAGE_VIEW));
        assertThat(enriched.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("erased", "kept");
        // The request (any bytes: only the key matters to the streams app), then more of both visitors.
        erasures.pipeInput(ErasureKeys.ANONYMOUS_ID + "erased", new byte[] {1});
        erasures.pipeInput(ErasureKeys.USER_ID + "u-erased", new byte[] {1});
        send(at("erased", T0.plus(Duration.ofMinutes(1)), EventType.OUTBOUND_CLICK));
        send(event().setAnonymousId("another-device")
                .setUserId("u-erased")
                .setCreatedAt(T0.plus(Duration.ofMinutes(1)))
                .setSentAt(T0.plus(Duration.ofMinutes(1)))
                .setReceivedAt(T0.plus(Duration.ofMinutes(1)))
                .build());
        send(at("kept", T0.plus(Duration.ofMinutes(1)), EventType.OUTBOUND_CLICK));
        assertThat(enriched.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("kept");
        assertThat(counters.erasedCount()).isEqualTo(2);
        assertThat(invalid.isEmpty()).as("never kept as a rejection").isTrue();

        // Both sessions come due: only the kept visitor's is emitted; the erased one is deleted from the store.
        send(at("later", T0.plus(Duration.ofMinutes(50)), EventType.PAGE_VIEW));
        tick();
        assertThat(sessions.readValuesToList())
                .extracting(s -> s.getAnonymousId().toString())
                .containsExactly("kept");
        assertThat(counters.erasedSessionCount()).isEqualTo(1);
        KeyValueStore<String, ?> open = driver.getKeyValueStore(Visitors.STORE);
        assertThat(open.get("erased")).isNull();
        assertThat(open.get("later")).isNotNull();
        enriched.readValuesToList();
    }

    @Test
    void eventsLaterThanGraceAreCountedAndLeftOutOfSessions() {
        send(at("v1", T0, EventType.PAGE_VIEW));
        send(at("v2", T0.plus(Duration.ofMinutes(40)), EventType.PAGE_VIEW));
        tick();
        assertThat(sessions.readValuesToList()).hasSize(1);
        send(at("v1", T0.plus(Duration.ofMinutes(1)), EventType.PAGE_VIEW));
        assertThat(counters.lateForSessionCount()).isEqualTo(1);
        assertThat(enriched.readValuesToList()).hasSize(3);
    }

    @Test
    void outOfOrderEventsWithinGraceJoinTheirSessionAndIdsAreDeterministic() {
        List<ChartEvent> input = List.of(
                at("v1", T0.plus(Duration.ofMinutes(20)), EventType.PAGE_VIEW),
                at("v1", T0, EventType.PAGE_VIEW),
                at("v1", T0.plus(Duration.ofMinutes(40)), EventType.PRODUCT_CLICK),
                at("v2", T0.plus(Duration.ofHours(2)), EventType.PAGE_VIEW));
        input.forEach(this::send);
        tick();
        Session session = sessions.readValue();
        assertThat(session.getEventCount()).isEqualTo(3);
        assertThat(session.getStartAt()).isEqualTo(T0);
        enriched.readValuesToList();
        driver.close();
        start();
        input.forEach(this::send);
        tick();
        assertThat(sessions.readValue().getSessionId()).isEqualTo(session.getSessionId());
        enriched.readValuesToList();
    }

    @Test
    void chartMetricsPerMinuteCountImpressionsClicksCtrAndVisitorsWithoutBots() {
        Instant m = T0.plus(Duration.ofMinutes(5));
        send(at("v1", m, EventType.CHART_IMPRESSION));
        for (int i = 0; i < 4; i++) {
            send(at(i % 2 == 0 ? "v1" : "v2", m.plusSeconds(i), EventType.PRODUCT_IMPRESSION));
        }
        send(at("v1", m.plusSeconds(10), EventType.PRODUCT_CLICK));
        send(at("v2", m.plusSeconds(20), EventType.OUTBOUND_CLICK));
        send(event().setAnonymousId("bot")
                .setEventType(EventType.PRODUCT_IMPRESSION)
                .setCreatedAt(m)
                .setSentAt(m)
                .setReceivedAt(m)
                .setContext(Context.newBuilder().setUserAgent("curl/8").build())
                .build());
        assertThat(metrics.isEmpty())
                .as("a window is final only after its end and grace")
                .isTrue();
        // Another event moves stream time past the window's end (+1 min) and grace (+1 min).
        send(at("v3", m.plus(Duration.ofMinutes(3)), EventType.CHART_IMPRESSION));
        tick();

        Map<String, ChartMetric> byKey = new HashMap<>();
        metrics.readKeyValuesToList().forEach(kv -> byKey.put(kv.key, kv.value));
        long window = m.toEpochMilli();
        ChartMetric chart = byKey.get("laptops-2026||" + window);
        assertThat(chart.getImpressions()).isEqualTo(1);
        assertThat(chart.getClicks()).isEqualTo(2);
        assertThat(chart.getOutboundClicks()).isEqualTo(1);
        assertThat(chart.getCtr()).isEqualTo(2.0);
        assertThat(chart.getUniqueVisitors()).isEqualTo(2);
        assertThat(chart.getWindowEnd()).isEqualTo(m.plus(Duration.ofMinutes(1)));
        ChartMetric product = byKey.get("laptops-2026|p-42|" + window);
        assertThat(product.getImpressions()).isEqualTo(4);
        assertThat(product.getClicks()).isEqualTo(2);
        assertThat(product.getCtr()).isEqualTo(0.5);
        assertThat(product.getUniqueVisitors()).isEqualTo(2);
        assertThat(byKey).hasSize(2);
        // The per-chart Prometheus totals take the chart row of each final minute (product rows left out).
        assertThat(counters.chartTotals()).containsOnlyKeys("laptops-2026");
        assertThat(counters.chartTotals().get("laptops-2026")).containsExactly(1L, 2L, 1L);
        enriched.readValuesToList();
    }

    @Test
    void emittedWindowsStayQueryableUntilTheirRetentionEnds() {
        Instant m = T0.plus(Duration.ofMinutes(5));
        send(at("v1", m, EventType.PRODUCT_IMPRESSION));
        send(at("v1", m.plus(Duration.ofMinutes(3)), EventType.CHART_IMPRESSION));
        assertThat(metrics.readKeyValuesToList())
                .as("the first minute's chart and product rows")
                .hasSize(2);
        KeyValueStore<String, MetricAggregate> store = driver.getKeyValueStore(ChartMetrics.STORE);
        assertThat(storeKeys(store)).as("emitted rows stay queryable").hasSize(3);

        // Six hours (the default retention) after the first window's end, its rows are gone; younger ones stay.
        send(at("v2", m.plus(Duration.ofHours(6)).plus(Duration.ofMinutes(1)), EventType.CHART_IMPRESSION));
        List<String> keys = storeKeys(store);
        assertThat(keys).noneMatch(k -> k.endsWith(String.format("%019d", m.toEpochMilli())));
        assertThat(keys)
                .anyMatch(k -> k.endsWith(
                        String.format("%019d", m.plus(Duration.ofMinutes(3)).toEpochMilli())));
        assertThat(keys).hasSize(2);
        metrics.readKeyValuesToList();
        sessions.readValuesToList();
        enriched.readValuesToList();
    }

    private static List<String> storeKeys(KeyValueStore<String, ?> store) {
        List<String> keys = new ArrayList<>();
        try (var all = store.all()) {
            all.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }

    @Test
    void referrersAreClassified() {
        send(event().setPage(Page.newBuilder(SampleRecords.page())
                        .setUrl("https://reviews.example/x")
                        .setReferrer(null)
                        .build())
                .build());
        send(event().setPage(Page.newBuilder(SampleRecords.page())
                        .setUrl("https://reviews.example/x")
                        .setReferrer("https://www.google.de/")
                        .build())
                .build());
        send(event().setPage(Page.newBuilder(SampleRecords.page())
                        .setUrl("https://reviews.example/x")
                        .setReferrer("https://reviews.example/best-phones")
                        .build())
                .build());
        send(event().setPage(Page.newBuilder(SampleRecords.page())
                        .setUrl("https://reviews.example/x?gclid=abc")
                        .setReferrer("https://www.google.com/")
                        .build())
                .build());
        send(event().setPage(Page.newBuilder(SampleRecords.page())
                        .setUrl("https://reviews.example/x")
                        .setReferrer("https://t.co/xyz")
                        .build())
                .build());
        send(event().setPage(Page.newBuilder(SampleRecords.page())
                        .setUrl("https://reviews.example/x")
                        .setReferrer("https://blog.other.example/post")
                        .build())
                .build());

        assertThat(enriched.readValuesToList())
                .extracting(r -> r.getReferrer().getReferrerClass())
                .containsExactly(
                        ReferrerClass.DIRECT,
                        ReferrerClass.SEARCH,
                        ReferrerClass.INTERNAL,
                        ReferrerClass.PAID,
                        ReferrerClass.SOCIAL,
                        ReferrerClass.OTHER);
    }
}
