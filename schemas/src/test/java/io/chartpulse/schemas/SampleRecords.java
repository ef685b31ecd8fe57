package io.chartpulse.schemas;

import io.chartpulse.avro.Campaign;
import io.chartpulse.avro.CatalogEntry;
import io.chartpulse.avro.CatalogEntryType;
import io.chartpulse.avro.Chart;
import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.ChartMetric;
import io.chartpulse.avro.Consent;
import io.chartpulse.avro.ConsentState;
import io.chartpulse.avro.Context;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.EventType;
import io.chartpulse.avro.Interaction;
import io.chartpulse.avro.Page;
import io.chartpulse.avro.PayloadFormat;
import io.chartpulse.avro.Product;
import io.chartpulse.avro.Referrer;
import io.chartpulse.avro.ReferrerClass;
import io.chartpulse.avro.RejectedEvent;
import io.chartpulse.avro.RejectionSource;
import io.chartpulse.avro.RejectionStage;
import io.chartpulse.avro.Sdk;
import io.chartpulse.avro.Session;
import io.chartpulse.avro.UserAgentInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;

/**
 * Fully populated instances of every ChartPulse record (no field left null), shared with other modules' tests
 * through the schemas test jar.
 */
public final class SampleRecords {

    public static final Instant CREATED = Instant.parse("2026-03-01T10:15:30.123Z");

    /**
     * A realistic mix of comparison-chart event types, one slot per tenth of the traffic: product impressions
     * dominate (four tenths), deal clicks are one tenth. What the benchmarks draw their event types from.
     */
    public static final List<EventType> TRAFFIC_MIX = List.of(
            EventType.PAGE_VIEW,
            EventType.CHART_IMPRESSION,
            EventType.PRODUCT_IMPRESSION,
            EventType.PRODUCT_IMPRESSION,
            EventType.PRODUCT_IMPRESSION,
            EventType.PRODUCT_IMPRESSION,
            EventType.PRODUCT_CLICK,
            EventType.OUTBOUND_CLICK,
            EventType.FILTER_CHANGE,
            EventType.SCROLL_DEPTH);

    private SampleRecords() {}

    public static Page page() {
        return Page.newBuilder()
                .setUrl("https://reviews.example/best-laptops?utm_source=news&utm_medium=email")
                .setPath("/best-laptops")
                .setTitle("Best laptops 2026")
                .setReferrer("https://www.google.com/")
                .build();
    }

    public static Chart chart() {
        return Chart.newBuilder()
                .setChartId("laptops-2026")
                .setSiteId("reviews.example")
                .setWidgetInstanceId("w-1")
                .setStateHash("9f2c1a")
                .setSortKey("price_asc")
                .setFilters(Map.of("brand", "acme"))
                .setProductCount(10)
                .build();
    }

    public static Product product() {
        return Product.newBuilder()
                .setProductId("p-42")
                .setRank(3)
                .setPrice(999.5)
                .setCurrency("EUR")
                .setMerchant("shop-a")
                .setImpressionId("imp-1")
                .build();
    }

    public static Interaction interaction() {
        return Interaction.newBuilder()
                .setCta("view_deal")
                .setTargetUrl("https://shop-a.example/p42?cpid=c1")
                .setClickId("c1")
                .setFilterKey("brand")
                .setFilterValue("acme")
                .setScrollDepthPct(75)
                .build();
    }

    public static Context context() {
        return Context.newBuilder()
                .setUserAgent("Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36")
                .setIp("203.0.113.0")
                .setCountry("DE")
                .setLanguage("de-DE")
                .setTimezone("Europe/Berlin")
                .setScreenWidth(1920)
                .setScreenHeight(1080)
                .setViewportWidth(1280)
                .setViewportHeight(720)
                .setWebdriver(false)
                .setHeadless(false)
                .build();
    }

    public static Consent consent() {
        return Consent.newBuilder()
                .setState(ConsentState.GRANTED)
                .setCookieless(false)
                .setGpc(false)
                .build();
    }

    public static Sdk sdk() {
        return Sdk.newBuilder().setName("chartpulse-js").setVersion("0.1.0").build();
    }

    public static ChartEvent chartEvent() {
        return ChartEvent.newBuilder()
                .setEventId(UUID.fromString("2f1b8a5e-8c1d-4f7a-9a51-6d1e0c3b7a10"))
                .setEventType(EventType.OUTBOUND_CLICK)
                .setEventName("deal")
                .setProperties(Map.of("k", "v"))
                .setCreatedAt(CREATED)
                .setSentAt(CREATED.plusMillis(400))
                .setReceivedAt(CREATED.plusMillis(650))
                .setAnonymousId("anon-1")
                .setUserId("user-1")
                .setSessionId("s-1")
                .setSessionIndex(2)
                .setPageViewId("pv-1")
                .setPage(page())
                .setChart(chart())
                .setProduct(product())
                .setInteraction(interaction())
                .setContext(context())
                .setConsent(consent())
                .setSdk(sdk())
                .setSampleRate(0.5)
                .setVariant("compact-table")
                .build();
    }

    public static CatalogEntry catalogEntry() {
        return CatalogEntry.newBuilder()
                .setEntryType(CatalogEntryType.PRODUCT)
                .setId("p-42")
                .setName("Acme Book 14")
                .setBrand("Acme")
                .setCategory("laptops")
                .setPrice(1049.0)
                .setCurrency("EUR")
                .setMerchant("shop-a")
                .setSiteId("reviews.example")
                .setUpdatedAt(CREATED.minusSeconds(3600))
                .build();
    }

    public static UserAgentInfo userAgent() {
        return UserAgentInfo.newBuilder()
                .setBrowser("Chrome")
                .setBrowserVersion("131")
                .setOs("Linux")
                .setOsVersion("??")
                .setDeviceClass("Desktop")
                .setAgentClass("Browser")
                .build();
    }

    public static Referrer referrer() {
        return Referrer.newBuilder()
                .setReferrerClass(ReferrerClass.SEARCH)
                .setHost("www.google.com")
                .setSource("google")
                .build();
    }

    public static Campaign campaign() {
        return Campaign.newBuilder()
                .setSource("news")
                .setMedium("email")
                .setName("spring")
                .setTerm("laptop")
                .setContent("hero")
                .build();
    }

    public static EnrichedEvent enrichedEvent() {
        ChartEvent raw = chartEvent();
        return EnrichedEvent.newBuilder()
                .setEventId(raw.getEventId())
                .setEventType(raw.getEventType())
                .setEventName(raw.getEventName())
                .setProperties(raw.getProperties())
                .setCreatedAt(raw.getCreatedAt())
                .setSentAt(raw.getSentAt())
                .setReceivedAt(raw.getReceivedAt())
                .setDerivedAt(CREATED.plusMillis(250))
                .setClockSkewMs(-250L)
                .setAnonymousId(raw.getAnonymousId())
                .setUserId(raw.getUserId())
                .setSessionId(raw.getSessionId())
                .setSessionIndex(raw.getSessionIndex())
                .setServerSessionId("ss-1")
                .setPageViewId(raw.getPageViewId())
                .setPage(raw.getPage())
                .setChart(raw.getChart())
                .setProduct(raw.getProduct())
                .setInteraction(raw.getInteraction())
                .setContext(raw.getContext())
                .setConsent(raw.getConsent())
                .setSdk(raw.getSdk())
                .setSampleRate(raw.getSampleRate())
                .setUserAgent(userAgent())
                .setIsBot(true)
                .setBotReason("headless")
                .setCountry("DE")
                .setReferrer(referrer())
                .setCampaign(campaign())
                .setProductCatalog(catalogEntry())
                .setChartCatalog(CatalogEntry.newBuilder(catalogEntry())
                        .setEntryType(CatalogEntryType.CHART)
                        .setId("laptops-2026")
                        .setName("Best laptops")
                        .build())
                .setDedupFingerprint(raw.getEventId().toString())
                .setProcessedAt(CREATED.plusSeconds(1))
                .setVariant(raw.getVariant())
                .build();
    }

    public static Session session() {
        return Session.newBuilder()
                .setSessionId("ss-1")
                .setAnonymousId("anon-1")
                .setUserId("user-1")
                .setClientSessionIds(List.of("s-1"))
                .setStartAt(CREATED)
                .setEndAt(CREATED.plusSeconds(90))
                .setDurationMs(90_000L)
                .setEventCount(12L)
                .setPageViews(2L)
                .setChartImpressions(1L)
                .setProductImpressions(6L)
                .setProductClicks(1L)
                .setOutboundClicks(1L)
                .setFilterChanges(1L)
                .setOtherEvents(0L)
                .setPages(List.of("/best-laptops", "/best-phones"))
                .setCharts(List.of("laptops-2026"))
                .setProductsImpressed(List.of("p-42", "p-7"))
                .setProductsClicked(List.of("p-42"))
                .setEntryPage("/best-laptops")
                .setExitPage("/best-phones")
                .setEntryAt(CREATED)
                .setExitAt(CREATED.plusSeconds(80))
                .setLandingReferrer(referrer())
                .setCampaign(campaign())
                .setDevice(userAgent())
                .setCountry("DE")
                .setIsBounce(false)
                .setIsBot(false)
                .build();
    }

    public static ChartMetric chartMetric() {
        return ChartMetric.newBuilder()
                .setChartId("laptops-2026")
                .setProductId("p-42")
                .setWindowStart(Instant.parse("2026-03-01T10:15:00Z"))
                .setWindowEnd(Instant.parse("2026-03-01T10:16:00Z"))
                .setImpressions(200L)
                .setClicks(9L)
                .setOutboundClicks(7L)
                .setCtr(0.045)
                .setUniqueVisitors(180L)
                .setUniqueVisitorsRse(0.0163)
                .build();
    }

    public static RejectedEvent rejectedEvent() {
        return RejectedEvent.newBuilder()
                .setStage(RejectionStage.COLLECTOR)
                .setCode("missing_field")
                .setMessage("product.rank is required for PRODUCT_CLICK")
                .setField("product.rank")
                .setPayload(ByteBuffer.wrap("{\"event_type\":\"PRODUCT_CLICK\"}".getBytes(StandardCharsets.UTF_8)))
                .setPayloadFormat(PayloadFormat.JSON)
                .setReceivedAt(CREATED)
                .setRejectedAt(CREATED.plusMillis(2))
                .setSource(RejectionSource.newBuilder()
                        .setTopic("chart.events.raw.v1")
                        .setPartition(0)
                        .setOffset(17L)
                        .setBatchIndex(4)
                        .setEventId("2f1b8a5e-8c1d-4f7a-9a51-6d1e0c3b7a10")
                        .setAnonymousId("anon-1")
                        .setIp("203.0.113.0")
                        .setUserAgent("curl/8")
                        .setOrigin("https://reviews.example")
                        .build())
                .build();
    }

    /** One fully populated instance of each top-level record, in {@link ChartPulseSchema} order. */
    public static List<SpecificRecord> allTopLevel() {
        return List.of(chartEvent(), enrichedEvent(), rejectedEvent(), session(), chartMetric(), catalogEntry());
    }
}
