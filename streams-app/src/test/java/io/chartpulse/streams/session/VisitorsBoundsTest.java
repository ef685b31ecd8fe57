package io.chartpulse.streams.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.avro.Chart;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.EventType;
import io.chartpulse.avro.Page;
import io.chartpulse.avro.Product;
import io.chartpulse.avro.Session;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** A crawler that never pauses cannot grow a session, or a store record, without bound. */
class VisitorsBoundsTest {

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final int EVENTS = 200_000;

    @Test
    void aCrawlerOf200kEventsGetsDaySessionsFlaggedWithCappedListsAndSmallStoreRecords() {
        MockProcessorContext<String, SpecificRecord> context = new MockProcessorContext<>();
        KeyValueStore<String, VisitorState> store = VisitorsSessionPropertyTest.sessionStore(context, T0);
        Serde<VisitorState> serde = VisitorState.serde();
        Visitors processor =
                VisitorsSessionPropertyTest.sessions(Duration.ofMinutes(30), Duration.ofMinutes(5), () -> {});
        processor.init(context);
        Random random = new Random(7);
        EnrichedEvent template = VisitorsSessionPropertyTest.event("crawler", T0, EventType.PAGE_VIEW, random);
        int largest = 0;
        // One event a second for 200 000 s (55.6 h), each on a page, chart and product of its own.
        for (int i = 0; i < EVENTS; i++) {
            Instant at = T0.plusSeconds(i);
            EnrichedEvent e = EnrichedEvent.newBuilder(template)
                    .setEventId(new UUID(7, i))
                    .setEventType(i % 2 == 0 ? EventType.PAGE_VIEW : EventType.PRODUCT_IMPRESSION)
                    .setDerivedAt(at)
                    .setReceivedAt(at)
                    .setSessionId("client-" + i)
                    .setPage(Page.newBuilder(template.getPage())
                            .setPath("/catalog/page/" + i)
                            .build())
                    .setChart(Chart.newBuilder(template.getChart())
                            .setChartId("chart-" + i)
                            .build())
                    .setProduct(Product.newBuilder(template.getProduct())
                            .setProductId("product-" + i)
                            .build())
                    .build();
            processor.process(new Record<>("crawler", e, at.toEpochMilli()));
            if (i % 1000 == 0) {
                largest = Math.max(largest, serde.serializer().serialize("t", store.get("crawler")).length);
            }
        }
        List<Session> closed = VisitorsSessionPropertyTest.forwardedSessions(context);
        assertThat(closed).as("two full days closed at the maximum duration").hasSize(2);
        for (Session s : closed) {
            assertThat(s.getMaxDurationReached()).isTrue();
            assertThat(s.getIsTruncated()).isTrue();
            assertThat(Duration.ofMillis(s.getDurationMs())).isLessThanOrEqualTo(Duration.ofHours(24));
            assertThat(s.getEventCount()).as("counts stay exact").isEqualTo(86_401);
            assertThat(s.getPages()).hasSizeLessThanOrEqualTo(SessionAggregation.MAX_LIST_SIZE);
            assertThat(s.getProductsImpressed()).hasSizeLessThanOrEqualTo(SessionAggregation.MAX_LIST_SIZE);
            assertThat(s.getClientSessionIds()).hasSizeLessThanOrEqualTo(SessionAggregation.MAX_LIST_SIZE);
        }
        assertThat(closed.get(1).getStartAt())
                .isEqualTo(closed.get(0).getEndAt().plusSeconds(1));
        assertThat(closed.get(0).getSessionId()).isNotEqualTo(closed.get(1).getSessionId());
        List<Session> open = store.get("crawler").sessions();
        assertThat(open).hasSize(1);
        assertThat(store.get("crawler").ids().size())
                .as("the ids kept are bounded too")
                .isEqualTo(Visitors.DEFAULT_MAX_IDS);
        assertThat(open.get(0).getEventCount()).isEqualTo(EVENTS - 2 * 86_401);
        assertThat(largest)
                .as("a store (and changelog) record stays far below the broker's 1 MB default")
                .isLessThan(128 * 1024);
    }

    @Test
    void aStoreValueWrittenBeforeTheVersionHeaderStillReads() throws Exception {
        Session s = SessionAggregation.start(
                VisitorsSessionPropertyTest.event("old", T0, EventType.PAGE_VIEW, new Random(1)));
        // The value as the previous release wrote it: plain Avro of array<Session v2>, no header.
        Schema v2;
        try (var in = getClass().getClassLoader().getResourceAsStream("chartpulse/schema-history/Session/v2.avsc")) {
            v2 = new Schema.Parser().parse(in);
        }
        GenericData.Record old = new GenericData.Record(v2);
        for (Schema.Field f : v2.getFields()) {
            old.put(f.name(), s.get(f.name()));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<List<Object>>(Schema.createArray(v2)).write(List.of(old), encoder);
        encoder.flush();
        List<Session> read = OpenSessions.serde().deserializer().deserialize("t", bytes.toByteArray());
        assertThat(read).hasSize(1);
        assertThat(read.get(0).getAnonymousId()).isEqualTo("old");
        assertThat(read.get(0).getIsTruncated()).isFalse();
        assertThat(read.get(0).getMaxDurationReached()).isFalse();
        byte[] now = OpenSessions.serde().serializer().serialize("t", read);
        assertThat(now[0]).isEqualTo((byte) OpenSessions.MARKER);
        assertThat(now[1]).as("the released version of the current schema").isEqualTo((byte) 3);
    }
}
